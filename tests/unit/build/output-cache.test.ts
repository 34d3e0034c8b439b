import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fingerprintInputs,
  restoreOutput,
  saveOutput,
  type BuildInputs,
} from '../../../src/build/output-cache.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'output-cache-'));
  await mkdir(join(root, 'src', 'pages'), { recursive: true });
  await mkdir(join(root, 'src', 'node_modules'), { recursive: true });
  await writeFile(join(root, 'src', 'pages', 'index.astro'), '<h1>Hub</h1>\n');
  await writeFile(join(root, 'src', 'node_modules', 'ignored.js'), 'one\n');
  await writeFile(join(root, 'astro.config.ts'), 'export default {};\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function inputs(settings: Record<string, string> = { day: '2026-12-03' }): BuildInputs {
  return { root, paths: ['src', 'astro.config.ts', 'missing'], gitScopes: ['src'], settings };
}

describe('fingerprintInputs', () => {
  it('is the same for the same inputs and counts the files it read', async () => {
    const first = await fingerprintInputs(inputs());
    expect(await fingerprintInputs(inputs())).toEqual(first);
    expect(first.files).toBe(2);
    expect(first.key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('changes with a file’s content, a new file, a setting and the build day', async () => {
    const base = (await fingerprintInputs(inputs())).key;
    const keys = new Set([base]);
    await writeFile(join(root, 'src', 'pages', 'index.astro'), '<h1>Hub!</h1>\n');
    keys.add((await fingerprintInputs(inputs())).key);
    await writeFile(join(root, 'src', 'pages', 'about.md'), '# About\n');
    keys.add((await fingerprintInputs(inputs())).key);
    keys.add((await fingerprintInputs(inputs({ day: '2026-12-04' }))).key);
    keys.add((await fingerprintInputs(inputs({ day: '2026-12-03', 'env X': '1' }))).key);
    expect(keys.size).toBe(5);
  });

  it('leaves out node_modules and other generated folders', async () => {
    const base = (await fingerprintInputs(inputs())).key;
    await writeFile(join(root, 'src', 'node_modules', 'ignored.js'), 'two\n');
    expect((await fingerprintInputs(inputs())).key).toBe(base);
  });
});

describe('saveOutput and restoreOutput', () => {
  it('restore the saved output in place of whatever the output folder held', async () => {
    const cache = join(root, '.cache', 'build');
    const out = join(root, 'dist');
    await mkdir(join(out, 'images'), { recursive: true });
    await writeFile(join(out, 'index.html'), 'first build\n');
    await writeFile(join(out, 'images', 'index.html'), 'images\n');
    await saveOutput(cache, 'a'.repeat(32), out);

    await rm(out, { recursive: true });
    await mkdir(out);
    await writeFile(join(out, 'stray.html'), 'left over\n');
    expect(await restoreOutput(cache, 'a'.repeat(32), out)).toBe(true);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('first build\n');
    expect(await readFile(join(out, 'images', 'index.html'), 'utf8')).toBe('images\n');
    expect(existsSync(join(out, 'stray.html'))).toBe(false);
  });

  it('find nothing for another fingerprint, and keep only the last output', async () => {
    const cache = join(root, '.cache', 'build');
    const out = join(root, 'dist');
    await mkdir(out);
    await writeFile(join(out, 'index.html'), 'one\n');
    await saveOutput(cache, 'a'.repeat(32), out);
    await writeFile(join(out, 'index.html'), 'two\n');
    await saveOutput(cache, 'b'.repeat(32), out);
    expect(await readdir(cache)).toEqual(['b'.repeat(32)]);
    expect(await restoreOutput(cache, 'a'.repeat(32), out)).toBe(false);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toBe('two\n');
  });

  it('keep every file of the output, even under folders named like generated ones', async () => {
    const cache = join(root, '.cache', 'build');
    const out = join(root, 'out');
    await mkdir(join(out, 'images', 'quay.io', 'someone', 'dist'), { recursive: true });
    await writeFile(join(out, 'images', 'quay.io', 'someone', 'dist', 'index.html'), 'dist\n');
    await saveOutput(cache, 'd'.repeat(32), out);
    await rm(out, { recursive: true });
    expect(await restoreOutput(cache, 'd'.repeat(32), out)).toBe(true);
    expect(
      await readFile(join(out, 'images', 'quay.io', 'someone', 'dist', 'index.html'), 'utf8'),
    ).toBe('dist\n');
  });

  it('refuse an output changed in place after it was saved', async () => {
    const cache = join(root, '.cache', 'build');
    const out = join(root, 'dist');
    await mkdir(out);
    await writeFile(join(out, 'index.html'), 'built\n');
    await saveOutput(cache, 'e'.repeat(32), out);
    // The saved output shares its files with the build's folder: an edit in place reaches both.
    await new Promise((done) => setTimeout(done, 20));
    await writeFile(join(out, 'index.html'), 'edited by hand\n');
    expect(await restoreOutput(cache, 'e'.repeat(32), out)).toBe(false);
  });

  it('never restore an output whose save did not finish', async () => {
    const cache = join(root, '.cache', 'build');
    await mkdir(join(cache, 'c'.repeat(32), 'output'), { recursive: true });
    await writeFile(join(cache, 'c'.repeat(32), 'output', 'index.html'), 'half\n');
    expect(await restoreOutput(cache, 'c'.repeat(32), join(root, 'dist'))).toBe(false);
  });
});
