/**
 * `npm run sync` end to end: exit codes, plain log lines, no token in the logs or the snapshot,
 * stale data kept on failure, and Ctrl-C leaving the previous snapshot whole.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCatalog, type CatalogCopy } from '../helpers/catalog.ts';
import { startForgeServer, type ForgeServer } from '../helpers/forge-server.ts';
import { pushTestImages } from '../helpers/fixtures.ts';
import { startRegistry, type LocalRegistry } from '../helpers/registry.ts';
import { startProxy, type RegistryProxy } from '../helpers/registry-proxy.ts';
import { readImagesSnapshot, stringifySnapshot } from '../../src/snapshot/index.ts';

let registry: LocalRegistry;
let proxy: RegistryProxy;
let slow: RegistryProxy;
let catalog: CatalogCopy;
let forges: ForgeServer;
let work: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `npm run sync` with the forges pointed at the local forge server and caches in `work`. */
function sync(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/sync.ts', '--forge-cache', join(work, 'etags.json'), ...args],
      { env: { ...process.env, HOME: work, GITHUB_API_URL: forges.githubApiUrl, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  // The fixture catalog's one repository, as GitHub would serve it.
  forges = await startForgeServer([
    {
      forge: 'github',
      path: 'coreos/fedora-coreos-config',
      description: 'Base configuration for Fedora CoreOS',
      defaultBranch: 'testing-devel',
      commits: [{ sha: '965d4d1500000000000000000000000000000001', date: '2026-11-26T12:00:00Z' }],
      files: { '.github/CODEOWNERS': '# Fedora CoreOS\n* @coreos/fcos-wg\n/.tekton/ @dustymabe\n' },
    },
  ]);
  registry = await startRegistry();
  await pushTestImages(registry.url);
  proxy = await startProxy(registry.url, { token: true });
  slow = await startProxy(registry.url, { latencyMs: 400 });
  catalog = await copyCatalog();
  work = await mkdtemp(join(tmpdir(), 'imh-sync-'));
});

afterAll(async () => {
  await proxy?.stop();
  await slow?.stop();
  await registry?.stop();
  await catalog?.remove();
  await forges?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm run sync', () => {
  it('exits 0 with plain log lines, and no token reaches the logs or the snapshot', async () => {
    const snapshot = join(work, 'ok');
    const run = await sync(
      ['--catalog', catalog.dir, '--snapshot', snapshot, '--cache', join(work, 'cache')],
      { IMAGE_MODE_REGISTRIES: `quay.io=${proxy.url}` },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('step images: start');
    expect(run.stdout).toContain('ok: quay.io/fedora/fedora-bootc');
    expect(run.stdout).toMatch(
      /step images: ok: images: 2 \(2 live, 0 stale, 0 unavailable\), \d+ requests; wrote /,
    );
    expect(run.stdout).toContain('step repos: ok: 1 repos: 1 live, 0 stale, 0 unavailable');
    const repos = JSON.parse(await readFile(join(snapshot, 'repos.json'), 'utf8'));
    expect(repos.repos[0].owners).toContainEqual({
      handle: 'github:dustymabe',
      sources: [{ kind: 'codeowners', file: '.github/CODEOWNERS', line: 3, pattern: '/.tekton/' }],
    });
    expect(existsSync(join(snapshot, 'audit.json'))).toBe(true);
    const data = (await readImagesSnapshot(join(snapshot, 'images.json')))!;
    const written = stringifySnapshot(data);
    expect(data.images.map((i) => [i.ref, i.tags.map((t) => t.name)])).toEqual([
      ['quay.io/fedora/fedora-bootc', ['latest', 'rawhide']],
      ['quay.io/fedora/fedora-coreos', ['stable', 'testing']],
    ]);
    expect(proxy.issuedTokens.length).toBeGreaterThan(0);
    for (const token of proxy.issuedTokens) {
      expect(run.stdout + run.stderr).not.toContain(token);
      expect(written).not.toContain(token);
    }
  });

  it('routes --only to the step that owns each name, and refuses names the catalog lacks', async () => {
    const snapshot = join(work, 'only-repo');
    const run = await sync(
      [
        '--catalog',
        catalog.dir,
        '--snapshot',
        snapshot,
        '--only',
        'https://github.com/coreos/fedora-coreos-config',
      ],
      {},
    );
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('step images');
    expect(run.stdout).toContain('step repos: ok');
    expect(existsSync(join(snapshot, 'images.json'))).toBe(false);
    const unknown = await sync(
      ['--catalog', catalog.dir, '--snapshot', snapshot, '--only', 'quay.io/fedora/nope'],
      {},
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '--only quay.io/fedora/nope: not an image or repository of the catalog',
    );
  });

  it('exits 2 and writes nothing when the catalog is invalid', async () => {
    const copy = await copyCatalog();
    try {
      await copy.edit('subprojects/base.yaml', (text) => text.replace('role: base', 'role: bass'));
      const snapshot = join(work, 'invalid');
      const run = await sync(['--catalog', copy.dir, '--snapshot', snapshot], {
        IMAGE_MODE_REGISTRIES: `quay.io=${proxy.url}`,
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/base\.yaml:\d+:\d+/);
      expect(existsSync(snapshot)).toBe(false);
    } finally {
      await copy.remove();
    }
  });

  it('keeps the last good data when the registry is down: exit 0 within the allowed age, 1 beyond it', async () => {
    const snapshot = join(work, 'down');
    const args = ['--catalog', catalog.dir, '--snapshot', snapshot, '--cache', join(work, 'cache')];
    expect((await sync(args, { IMAGE_MODE_REGISTRIES: `quay.io=${proxy.url}` })).code).toBe(0);
    const down = { IMAGE_MODE_REGISTRIES: 'quay.io=http://127.0.0.1:9', IMAGE_MODE_ATTEMPTS: '1' };
    const stale = await sync(args, down);
    expect(stale.code).toBe(0);
    expect(stale.stdout).toContain(
      'error: quay.io/fedora/fedora-bootc: Could not list tags of quay.io/fedora/fedora-bootc: network error',
    );
    const data = (await readImagesSnapshot(join(snapshot, 'images.json')))!;
    expect(data.images.map((i) => [i.status, i.tags.length])).toEqual([
      ['stale', 2],
      ['stale', 2],
    ]);
    expect((await sync([...args, '--max-stale-days', '0'], down)).code).toBe(1);
  });

  it('keeps the last good data of each image whose file is whole, when another image file is missing', async () => {
    const snapshot = join(work, 'down-missing');
    const args = ['--catalog', catalog.dir, '--snapshot', snapshot, '--cache', join(work, 'cache')];
    expect((await sync(args, { IMAGE_MODE_REGISTRIES: `quay.io=${proxy.url}` })).code).toBe(0);
    const index = JSON.parse(await readFile(join(snapshot, 'images.json'), 'utf8')) as {
      images: Array<{ file: string }>;
    };
    const lost = join(snapshot, index.images[1]!.file);
    await rm(lost);
    const down = { IMAGE_MODE_REGISTRIES: 'quay.io=http://127.0.0.1:9', IMAGE_MODE_ATTEMPTS: '1' };
    const run = await sync([...args, '--steps', 'images'], down);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `warning: ${lost}: the file is missing; ${join(snapshot, 'images.json')} lists it for quay.io/fedora/fedora-coreos. quay.io/fedora/fedora-coreos starts without its previous data.`,
    );
    const data = (await readImagesSnapshot(join(snapshot, 'images.json')))!;
    expect(data.images.map((i) => [i.ref, i.status, i.tags.length])).toEqual([
      ['quay.io/fedora/fedora-bootc', 'stale', 2],
      ['quay.io/fedora/fedora-coreos', 'unavailable', 0],
    ]);
  });

  it('never keeps sample data as the last good data of a real sync', async () => {
    const snapshot = join(work, 'after-sample');
    await mkdir(snapshot, { recursive: true });
    await copyFile('tests/fixtures/snapshot/images.json', join(snapshot, 'images.json'));
    const run = await sync(
      ['--catalog', catalog.dir, '--snapshot', snapshot, '--steps', 'images'],
      { IMAGE_MODE_REGISTRIES: 'quay.io=http://127.0.0.1:9', IMAGE_MODE_ATTEMPTS: '1' },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'Not keeping the previous images data: it is sample data and this sync is real.',
    );
    const data = (await readImagesSnapshot(join(snapshot, 'images.json')))!;
    expect(data.sample).toBe(false);
    expect(data.images.map((i) => [i.status, i.tags.length])).toEqual([
      ['unavailable', 0],
      ['unavailable', 0],
    ]);
  });

  it('exits 1 when an image was never fetched, still writing the snapshot', async () => {
    const snapshot = join(work, 'never');
    const run = await sync(
      ['--catalog', catalog.dir, '--snapshot', snapshot, '--cache', join(work, 'cache')],
      { IMAGE_MODE_REGISTRIES: 'quay.io=http://127.0.0.1:9', IMAGE_MODE_ATTEMPTS: '1' },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('quay.io/fedora/fedora-bootc: no data (Could not list tags');
    const data = (await readImagesSnapshot(join(snapshot, 'images.json')))!;
    expect(data.images.map((i) => i.status)).toEqual(['unavailable', 'unavailable']);
  });

  it('leaves the previous snapshot whole on Ctrl-C', async () => {
    const snapshot = join(work, 'interrupt');
    const args = [
      '--catalog',
      catalog.dir,
      '--snapshot',
      snapshot,
      '--cache',
      join(work, 'cache-int'),
    ];
    expect((await sync(args, { IMAGE_MODE_REGISTRIES: `quay.io=${proxy.url}` })).code).toBe(0);
    const before = await readFile(join(snapshot, 'images.json'), 'utf8');
    const beforeData = stringifySnapshot(await readImagesSnapshot(join(snapshot, 'images.json')));
    const child = spawn(process.execPath, ['scripts/sync.ts', ...args], {
      env: { ...process.env, HOME: work, IMAGE_MODE_REGISTRIES: `quay.io=${slow.url}` },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('step images: start')) resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('Interrupted: the snapshot was not changed.');
    expect(await readFile(join(snapshot, 'images.json'), 'utf8')).toBe(before);
    expect(stringifySnapshot(await readImagesSnapshot(join(snapshot, 'images.json')))).toBe(
      beforeData,
    );
    const files = await readdir(snapshot, { recursive: true });
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('Basic credentials', () => {
  it('reads them from REGISTRY_AUTH_FILE for a registry that wants them, and says what to do without', async () => {
    const locked = await startRegistry({
      storage: registry.storage,
      basic: { username: 'tester', password: 's3cret' },
    });
    try {
      const authFile = join(work, 'auth.json');
      await writeFile(
        authFile,
        JSON.stringify({
          auths: { 'quay.io': { auth: Buffer.from('tester:s3cret').toString('base64') } },
        }),
      );
      const args = ['--catalog', catalog.dir, '--cache', join(work, 'cache-basic')];
      const env = { IMAGE_MODE_REGISTRIES: `quay.io=${locked.url}`, IMAGE_MODE_ATTEMPTS: '1' };
      const ok = await sync([...args, '--snapshot', join(work, 'basic-ok')], {
        ...env,
        REGISTRY_AUTH_FILE: authFile,
      });
      expect(ok.code).toBe(0);
      expect(ok.stdout + ok.stderr).not.toContain('s3cret');
      const basic = await readImagesSnapshot(join(work, 'basic-ok', 'images.json'));
      expect(stringifySnapshot(basic)).not.toContain(
        Buffer.from('tester:s3cret').toString('base64'),
      );
      const denied = await sync([...args, '--snapshot', join(work, 'basic-denied')], env);
      expect(denied.code).toBe(1);
      expect(denied.stdout).toContain(
        'quay.io/fedora/fedora-bootc: no data (Could not list tags of quay.io/fedora/fedora-bootc: 401 UNAUTHORIZED authentication required. The repository is private or does not exist; check the name, or add credentials to REGISTRY_AUTH_FILE or ~/.config/containers/auth.json.)',
      );
    } finally {
      await locked.stop();
    }
  });
});
