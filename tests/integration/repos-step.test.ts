/** The repos step and the audit command end to end: files written, exit codes, the printed audit. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReposStep } from '../../src/sync/repos-step.ts';
import { readSnapshotFile } from '../../src/snapshot/io.ts';
import { AuditSnapshotSchema, ReposSnapshotSchema } from '../../src/snapshot/schema.ts';
import { startForgeServer, type ForgeServer } from '../helpers/forge-server.ts';
import { smallCatalog, smallRepos } from '../fixtures/forges/small.ts';

let server: ForgeServer;
let dir: string;
beforeAll(async () => {
  server = await startForgeServer(smallRepos());
  dir = await mkdtemp(join(tmpdir(), 'repos-step-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('runReposStep', () => {
  it('writes repos.json and audit.json, and exits 1 while a repo has no data', async () => {
    const lines: string[] = [];
    const run = () =>
      runReposStep({
        catalog: smallCatalog(),
        snapshotDir: dir,
        cacheFile: join(dir, 'etags.json'),
        env: {
          GITHUB_API_URL: server.githubApiUrl,
          GITHUB_TOKEN: 't',
          GITLAB_API_URL: server.gitlabApiUrl,
          FORGEJO_API_URL: server.forgejoApiUrl,
          IMAGE_MODE_FORGES: `pagure.io=${server.pagureApiUrl}`,
        },
        now: () => new Date('2026-11-28T02:00:00Z'),
        log: { info: (line) => lines.push(line), warn: (line) => lines.push(line) },
      });
    const first = await run();
    expect(first.exitCode).toBe(1);
    const repos = await readSnapshotFile(join(dir, 'repos.json'), ReposSnapshotSchema);
    const audit = await readSnapshotFile(join(dir, 'audit.json'), AuditSnapshotSchema);
    expect(repos?.repos.map((repo) => `${repo.status} ${repo.url}`)).toContain(
      'unavailable https://github.com/ublue-os/gone',
    );
    expect(
      audit?.findings
        .filter((finding) => finding.kind === 'orphaned-deliverable')
        .map((finding) => finding.deliverable),
    ).toEqual(['manifests', 'release-process']);
    expect(lines).toContain(
      `Wrote ${join(dir, 'repos.json')}: 6 live, 0 stale, 1 unavailable; ${audit?.findings.length} audit findings in ${join(dir, 'audit.json')}.`,
    );

    server.repos.find((repo) => repo.path === 'ublue-os/gone')!.private = false;
    server.repos.find((repo) => repo.path === 'ublue-os/gone')!.commits = [
      { sha: 'a'.repeat(40), date: '2026-11-01T00:00:00Z' },
    ];
    expect((await run()).exitCode).toBe(0);
  });
});

describe('npm run audit', () => {
  it('prints the audit of the real catalog over the committed snapshot, and exits 1 for orphaned deliverables', async () => {
    const node = join('node_modules', '.bin', 'node');
    const result = await promisify(execFile)(node, ['scripts/audit.ts']).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^Ownership audit: \d+ errors?, \d+ warnings?, \d+ notes?/);
    expect(result.stdout).toContain('\nFedora CoreOS (fedora-coreos)\n');
    expect(result.stdout).toMatch(/ {2}error {4}Deliverable ".+" has no owner\./);
  });
});
