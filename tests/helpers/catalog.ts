/** Helpers for catalog tests: copy a fixture catalog into a temporary folder and edit one file. */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
