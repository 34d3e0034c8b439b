/**
 * Content-layer loaders over the catalog: one collection each for subprojects, SIGs and the
 * initiative. An invalid catalog fails the build with every problem listed; it never yields an
 * empty collection.
 */
import type { Loader } from 'astro/loaders';
import { readCatalog } from '../catalog/index.ts';
import { formatProblems } from '../catalog/index.ts';
import type { Catalog } from '../catalog/index.ts';

const reads = new Map<string, Promise<Catalog>>();

/** Read the catalog of a folder once per build, failing with every problem when it is invalid. */
function readOnce(dir: string): Promise<Catalog> {
  let read = reads.get(dir);
  if (!read) {
    read = readCatalog(dir).then(({ catalog, problems }) => {
      if (!catalog)
        throw new Error(
          `The catalog in ${dir} is invalid:\n${formatProblems(problems)}\nRun \`npm run validate\` for the same list.`,
        );
      return catalog;
    });
    reads.set(dir, read);
  }
  return read;
}

type Part = 'subprojects' | 'sigs' | 'initiative';

/** Load one part of the catalog in `dir` into a collection. */
export function catalogLoader(options: { dir: string; part: Part }): Loader {
  return {
    name: `catalog-${options.part}-loader`,
    async load({ store, logger, generateDigest, watcher }) {
      reads.delete(options.dir);
      watcher?.add(options.dir);
      const catalog = await readOnce(options.dir);
      const entries: { id: string; data: Record<string, unknown> }[] =
        options.part === 'subprojects'
          ? catalog.subprojects.map((data) => ({ id: data.id, data }))
          : options.part === 'sigs'
            ? catalog.sigs.map((data) => ({ id: data.id, data }))
            : [{ id: 'initiative', data: catalog.initiative }];
      const untouched = new Set(store.keys());
      for (const entry of entries) {
        untouched.delete(entry.id);
        store.set({ id: entry.id, data: entry.data, digest: generateDigest(entry.data) });
      }
      for (const id of untouched) store.delete(id);
      logger.info(`Loaded ${entries.length} ${options.part} from ${options.dir}`);
    },
  };
}
