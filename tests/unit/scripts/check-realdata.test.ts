import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkCodeownersFiles,
  checkMaintainersFiles,
  checkOwnersFiles,
  checkTektonFiles,
} from '../../../src/forges/realdata.ts';
import { checkReferenceCases, type ReferenceCase } from '../../../src/registry/reference-cases.ts';

const script = new URL('../../../scripts/check-realdata.ts', import.meta.url).pathname;

const PUSH_RUN = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: app-on-push
  annotations:
    pipelinesascode.tekton.dev/on-cel-expression: event == "push" && target_branch == "main"
spec:
  params:
  - name: build-platforms
    value: [linux/x86_64, linux/arm64]
`;

describe('checkReferenceCases', () => {
  const cases: ReferenceCase[] = [
    {
      input: 'quay.io/fedora/fedora-bootc:44',
      valid: true,
      kind: 'parse',
      test: 'T',
      repository: 'quay.io/fedora/fedora-bootc',
      tag: '44',
      digest: '',
    },
    {
      input: 'redis',
      valid: true,
      kind: 'normalized',
      test: 'T',
      dockerref: 'docker.io/library/redis:latest',
    },
    { input: 'Foo/Bar', valid: false, kind: 'name-regexp', test: 'T' },
    { input: 'a:1', valid: false, kind: 'name-regexp', test: 'T' },
    {
      input: 'quay.io/x',
      valid: true,
      kind: 'normalized',
      test: 'T',
      domain: 'ghcr.io',
      path: 'x',
    },
  ];

  it('counts the cases it reads as upstream does, and says what differs in the others', () => {
    expect(checkReferenceCases(cases)).toEqual({
      right: 4,
      wrong: ['T "quay.io/x": host "quay.io", expected "ghcr.io"'],
      divergent: [],
    });
  });

  it('counts a declared divergence apart, and flags one the parser does not diverge on', () => {
    const result = checkReferenceCases(cases, [
      { test: 'T', input: 'quay.io/x', reason: 'on purpose' },
      { test: 'T', input: 'redis', reason: 'stale' },
    ]);
    expect(result.right).toBe(3);
    expect(result.divergent).toEqual([
      'T "quay.io/x": host "quay.io", expected "ghcr.io" (on purpose)',
    ]);
    expect(result.wrong).toEqual([
      'T "redis": declared as a divergence but the parser agrees with upstream; remove it from the expectations',
    ]);
  });
});

describe('the ownership checks', () => {
  it('compares CODEOWNERS owners and rules without owners, and flags files without expectation', async () => {
    const files = [
      { name: 'a.CODEOWNERS', text: '* @alice @org/team\ndocs/\n' },
      { name: 'b.CODEOWNERS', text: '* @bob\n' },
      { name: 'c.CODEOWNERS', text: '* @carol\n' },
    ];
    const check = await checkCodeownersFiles(files, {
      'a.CODEOWNERS': { forge: 'github', owners: ['@alice', '@org/team'], unowned: ['docs/'] },
      'b.CODEOWNERS': { forge: 'github', owners: ['@robert'], unowned: [] },
      'gone.CODEOWNERS': { forge: 'github', owners: [], unowned: [] },
    });
    expect(check).toEqual({
      right: 1,
      wrong: [
        'b.CODEOWNERS: owners ["@bob"], expected ["@robert"]',
        'c.CODEOWNERS: no expectation; write what a human reads from it',
      ],
      notes: ['gone.CODEOWNERS: expected but not found'],
    });
  });

  it('reads OWNERS through the forge logic, by handle and role', async () => {
    const check = await checkOwnersFiles(
      [{ name: 'k.OWNERS', text: 'approvers:\n  - Alice\nreviewers:\n  - bob\n' }],
      {
        'k.OWNERS': {
          forge: 'github',
          owners: { 'github:alice': ['approver'], 'github:bob': ['approver'] },
        },
      },
    );
    expect(check.right).toBe(0);
    expect(check.wrong).toEqual([
      'k.OWNERS: owners {"github:alice":["approver"],"github:bob":["reviewer"]}, expected {"github:alice":["approver"],"github:bob":["approver"]}',
    ]);
  });

  it('reads MAINTAINERS handles on the forge the expectation names', async () => {
    const check = await checkMaintainersFiles(
      [{ name: 'm.MAINTAINERS', text: 'Jane Doe <jane@example.org> (@JaneD)\n' }],
      { 'm.MAINTAINERS': { forge: 'gitlab', owners: ['gitlab:janed'] } },
    );
    expect(check).toEqual({ right: 1, wrong: [], notes: [] });
  });
});

describe('checkTektonFiles', () => {
  it('checks each PipelineRun and reports runs found or expected on one side only', async () => {
    const expected = {
      name: 'app-on-push',
      events: ['push'],
      branches: ['main'],
      platforms: ['linux/arm64', 'linux/x86_64'],
      buildsOnPush: true,
    };
    const check = await checkTektonFiles(
      [
        { name: 'o_app__push.yaml', text: PUSH_RUN },
        { name: 'o_app__other.yaml', text: PUSH_RUN },
      ],
      {
        'o_app__push.yaml': [expected],
        'o_app__other.yaml': [{ ...expected, name: 'app-on-pull-request' }],
      },
    );
    expect(check.right).toBe(1);
    expect(check.wrong).toEqual([
      'o_app__other.yaml: PipelineRun app-on-push found but not expected',
      'o_app__other.yaml: PipelineRun app-on-pull-request expected but not found',
    ]);
  });
});

describe('npm run check:realdata', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'realdata-'));
    await mkdir(join(dir, 'files', 'codeowners'), { recursive: true });
    await mkdir(join(dir, 'files', 'tekton'), { recursive: true });
    await mkdir(join(dir, 'expected'));
    await writeFile(join(dir, 'files', 'codeowners', 'x.CODEOWNERS'), '* @x\n');
    await writeFile(join(dir, 'files', 'tekton', 'o_app__push.yaml'), PUSH_RUN);
    await writeFile(
      join(dir, 'expected', 'codeowners.json'),
      JSON.stringify({ 'x.CODEOWNERS': { forge: 'github', owners: ['@x'], unowned: [] } }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = (expectedTekton: unknown) =>
    writeFile(join(dir, 'expected', 'tekton.json'), JSON.stringify(expectedTekton)).then(
      () =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = execFile(
            process.execPath,
            [script, join(dir, 'files'), '--expected', join(dir, 'expected')],
            (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
          );
        }),
    );

  const expecting = (platforms: string[]) => ({
    'o_app__push.yaml': [
      { name: 'app-on-push', events: ['push'], branches: ['main'], platforms, buildsOnPush: true },
    ],
  });

  it('prints the counts per kind and exits 0 when everything is right', async () => {
    const result = await run(expecting(['linux/arm64', 'linux/x86_64']));
    expect(result.stdout).toMatch(/^codeowners\s+1\s+0$/m);
    expect(result.stdout).toMatch(/^tekton\s+1\s+0$/m);
    expect(result.code).toBe(0);
  });

  it('prints what is wrong and exits 1', async () => {
    const result = await run(expecting(['linux/s390x']));
    expect(result.stdout).toContain(
      'wrong  tekton  o_app__push.yaml: app-on-push: platforms ["linux/arm64","linux/x86_64"], expected ["linux/s390x"]',
    );
    expect(result.stdout).toMatch(/^tekton\s+0\s+1$/m);
    expect(result.code).toBe(1);
  });

  it('exits 2 with the usage when the folder does not exist', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [script, join(dir, 'nowhere')], (_e, _o, stderr) =>
        resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not exist. Usage: npm run check:realdata -- DIR');
  });
});
