/**
 * `npm run sync --only` over a snapshot file that cannot be read refuses to run: writing would
 * replace every other record's last good data with nothing. It exits 2 before any request and
 * leaves the file as it was. For the images, an image file the index lists counts as the snapshot.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readImagesSnapshot } from '../../src/snapshot/index.ts';
import { writeImagesSnapshot } from '../../src/sync/index.ts';
import { copyCatalog, type CatalogCopy } from '../helpers/catalog.ts';

let catalog: CatalogCopy;
let work: string;

beforeEach(async () => {
  catalog = await copyCatalog();
  work = await mkdtemp(join(tmpdir(), 'sync-only-'));
});
afterEach(async () => {
  await catalog.remove();
  await rm(work, { recursive: true, force: true });
});

/** Run the sync with every host pointed at a closed port, so that any request would fail. */
function sync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['scripts/sync.ts', '--catalog', catalog.dir, '--snapshot', work, ...args],
      {
        env: {
          ...process.env,
          HOME: work,
          IMAGE_MODE_REGISTRIES: 'quay.io=http://127.0.0.1:9',
          GITHUB_API_URL: 'http://127.0.0.1:9',
          IMAGE_MODE_ATTEMPTS: '1',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('sync --only over an unreadable snapshot', () => {
  it('refuses for images, writes nothing and exits 2', async () => {
    const file = join(work, 'images.json');
    const broken = '{"schemaVersion": 1, "images": [ {"ref": "quay.io/fedora/fedora-bootc"';
    await writeFile(file, broken);
    const run = await sync(['--only', 'quay.io/fedora/fedora-coreos', '--cache', join(work, 'c')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} cannot be read (`);
    expect(run.stderr).toMatch(
      /in JSON at position \d+ \(line 1 column \d+\)\), and --only would keep the other images from it: nothing was written\./,
    );
    expect(await readFile(file, 'utf8')).toBe(broken);
  });

  it('refuses for an image file the images index lists but that is missing, naming that file', async () => {
    const file = join(work, 'images.json');
    const fixture = (await readImagesSnapshot('tests/fixtures/snapshot/images.json'))!;
    const { written } = await writeImagesSnapshot(file, fixture);
    const lost = join(
      work,
      written.find((path) => path.includes('fedora-coreos'))!,
    );
    await rm(lost);
    const index = await readFile(file, 'utf8');
    const run = await sync(['--only', 'quay.io/fedora/fedora-bootc', '--cache', join(work, 'c')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${lost} cannot be read (the file is missing; ${file} lists it for quay.io/fedora/fedora-coreos.), and --only would keep the other images from it: nothing was written.`,
    );
    expect(await readFile(file, 'utf8')).toBe(index);
  });

  it('refuses for repositories too', async () => {
    const file = join(work, 'repos.json');
    await writeFile(file, '{"schemaVersion": 1, "repos": "not a list"}');
    const run = await sync([
      '--only',
      'https://github.com/coreos/fedora-coreos-config',
      '--forge-cache',
      join(work, 'etags.json'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'and --only would keep the other repositories from it: nothing was written.',
    );
    expect(await readFile(file, 'utf8')).toBe('{"schemaVersion": 1, "repos": "not a list"}');
  });
});
