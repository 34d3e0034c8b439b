/**
 * `npm run build` twice with nothing changed: the second copies the first's output instead of
 * building; a changed catalog builds again. Real astro builds of the minimal fixture catalog.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEnvironment } from '../helpers/site.ts';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'build-cache-'));
  await cp('tests/fixtures/catalog/minimal', join(dir, 'catalog'), { recursive: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run `node scripts/build.ts` the way `npm run build` does, into the test's own folders. */
async function build(): Promise<string> {
  const env = {
    ...buildEnvironment({ name: 'build-cache', catalog: join(dir, 'catalog') }),
    IMAGE_MODE_BUILD_CACHE: join(dir, 'output-cache'),
    IMAGE_MODE_BUILD_DATE: '2026-12-03',
  };
  const { stdout } = await run(
    process.execPath,
    ['scripts/build.ts', '--outDir', join(dir, 'dist')],
    { env, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

describe('npm run build', () => {
  it('copies the last output when nothing changed and builds again when the catalog did', async () => {
    const first = await build();
    expect(first).toContain('Kept the output in');
    const page = join(dir, 'dist', 'subprojects', 'coreos', 'index.html');
    const built = await readFile(page, 'utf8');
    expect(built).toContain('Fedora CoreOS');
    await writeFile(join(dir, 'dist', 'stray.txt'), 'not part of the build\n');

    const second = await build();
    expect(second).toMatch(
      /^Nothing changed since the last build \(\d+ input files, build day 2026-12-03\)/,
    );
    expect(await readFile(page, 'utf8')).toBe(built);
    await expect(readFile(join(dir, 'dist', 'stray.txt'))).rejects.toThrow('ENOENT');

    const yaml = join(dir, 'catalog', 'subprojects', 'coreos.yaml');
    await writeFile(
      yaml,
      (await readFile(yaml, 'utf8')).replace('name: Fedora CoreOS', 'name: Fedora CoreOS Next'),
    );
    const third = await build();
    expect(third).not.toContain('Nothing changed');
    expect(await readFile(page, 'utf8')).toContain('Fedora CoreOS Next');
  }, 240_000);
});
