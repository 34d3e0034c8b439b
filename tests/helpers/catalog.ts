/** Helpers for catalog tests: copy a fixture catalog into a temporary folder and edit one file. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readCatalog } from '../../src/catalog/load.ts';
import { formatProblem } from '../../src/catalog/problems.ts';

export const MINIMAL_CATALOG = 'tests/fixtures/catalog/minimal';

/** A temporary copy of a catalog fixture; `edit` rewrites one of its files. */
export interface CatalogCopy {
  dir: string;
  edit(file: string, change: (text: string) => string): Promise<void>;
  write(file: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

/** Copy a fixture catalog into a fresh temporary folder. */
export async function copyCatalog(fixture: string = MINIMAL_CATALOG): Promise<CatalogCopy> {
  const dir = await mkdtemp(join(tmpdir(), 'catalog-'));
  await cp(fixture, dir, { recursive: true });
  return {
    dir,
    async edit(file, change) {
      const path = join(dir, file);
      const before = await readFile(path, 'utf8');
      const after = change(before);
      if (after === before)
        throw new Error(
          `edit of ${file} changed nothing; the fixture no longer has the text the test expects`,
        );
      await writeFile(path, after);
    },
    async write(file, text) {
      await writeFile(join(dir, file), text);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Count the `unverified:` entries under `provenance:` maps in a parsed YAML value. */
function countMarked(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + countMarked(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'provenance')
      count += Object.values(child as Record<string, { unverified?: string }>).filter(
        (fact) => fact.unverified,
      ).length;
    else count += countMarked(child);
  }
  return count;
}

/** Count what the YAML files of a catalog folder mark unverified, reading the files themselves. */
export async function countMarkedInFiles(dir: string): Promise<number> {
  const files = [
    'initiative.yaml',
    'sigs.yaml',
    ...(await readdir(join(dir, 'subprojects'))).map((name) => `subprojects/${name}`),
  ];
  let count = 0;
  for (const file of files) count += countMarked(parse(await readFile(join(dir, file), 'utf8')));
  return count;
}

/** Read a catalog copy and format its problems with paths relative to the copy. */
export async function problemsOf(copy: CatalogCopy): Promise<string[]> {
  const result = await readCatalog(copy.dir);
  return result.problems.map((problem) => formatProblem(problem).replaceAll(`${copy.dir}/`, ''));
}

/** Run `npm run validate` on a catalog copy; returns its exit code and output. */
export async function runValidate(
  copy: CatalogCopy,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [
      'scripts/validate.ts',
      '--catalog',
      copy.dir,
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}
