/** Helpers for catalog tests: copy a fixture catalog into a temporary folder and edit one file. */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
