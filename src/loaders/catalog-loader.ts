/**
 * Content-layer loaders over the catalog: one collection each for subprojects, SIGs and the
 * initiative, all three filled from one read of the catalog folder. An invalid catalog fails the
 * build with every problem listed; it never yields an empty collection.
 *
 * The read is shared by generation: a build has one. In dev, a change that the watcher reports in
 * the folder, or a reload an integration asks for, starts a new generation, which reads the
 * folder again, once, and refills the three collections.
 */
import { formatProblems, readCatalog } from '../catalog/index.ts';
import type { Catalog, CatalogResult } from '../catalog/index.ts';
import { watchPaths, type LoaderServices, type SiteLoader } from './context.ts';

/** The catalog's collections, each named after the part of the catalog it holds. */
export type CatalogPart = 'subprojects' | 'sigs' | 'initiative';

export interface CatalogLoaderOptions {
  /** The catalog folder. */
  dir: string;
  /** Read and check the catalog (default {@link readCatalog}); tests count the reads through it. */
  read?: ((dir: string) => Promise<CatalogResult>) | undefined;
}

/** The entries of one part of the catalog, keyed by id. */
function entriesOf(catalog: Catalog, part: CatalogPart) {
  switch (part) {
    case 'subprojects':
      return catalog.subprojects.map((data) => ({ id: data.id, data }));
    case 'sigs':
      return catalog.sigs.map((data) => ({ id: data.id, data }));
    case 'initiative':
      return [{ id: 'initiative', data: catalog.initiative }];
  }
}

/** Put one part of the catalog into its collection, removing entries that are gone. */
function fill(dir: string, part: CatalogPart, catalog: Catalog, context: LoaderServices): void {
  const { store, generateDigest, logger } = context;
  const entries = entriesOf(catalog, part);
  const untouched = new Set(store.keys());
  for (const entry of entries) {
    untouched.delete(entry.id);
    store.set({ id: entry.id, data: entry.data, digest: generateDigest(entry.data) });
  }
  for (const id of untouched) store.delete(id);
  logger.info(`Loaded ${entries.length} ${part} from ${dir}`);
}

/**
 * Create the loaders of the catalog's three collections. They share one read of `dir` per
 * generation; an invalid catalog fails each of them with every problem listed.
 */
export function createCatalogLoaders(
  options: CatalogLoaderOptions,
): Record<CatalogPart, SiteLoader> {
  const { dir, read = readCatalog } = options;
  let generation = 0;
  let current: { generation: number; catalog: Promise<Catalog> } | undefined;
  let lastRefresh: Record<string, unknown> | undefined;
  let pendingReload: Promise<void> | undefined;
  const contexts = new Map<CatalogPart, LoaderServices>();

  /** Read the catalog once per generation, failing with every problem when it is invalid. */
  function readCurrent(): Promise<Catalog> {
    if (current?.generation !== generation) {
      current = {
        generation,
        catalog: read(dir).then(({ catalog, problems }) => {
          if (!catalog)
            throw new Error(
              `The catalog in ${dir} is invalid:\n${formatProblems(problems)}\nRun \`npm run validate\` for the same list.`,
            );
          return catalog;
        }),
      };
    }
    return current.catalog;
  }

  /**
   * Read the folder again after a change and refill every collection. The listeners of the three
   * collections are called for the same change; they share one reload.
   */
  function reload(logger: LoaderServices['logger']): Promise<void> {
    pendingReload ??= Promise.resolve().then(async () => {
      pendingReload = undefined;
      const started = ++generation;
      let catalog: Catalog;
      try {
        catalog = await readCurrent();
      } catch (error) {
        logger.error(`${(error as Error).message}\nThe pages keep the last valid catalog.`);
        return;
      }
      // A newer change is being read; its reload fills the collections.
      if (started !== generation) return;
      for (const [part, context] of contexts) fill(dir, part, catalog, context);
    });
    return pendingReload;
  }

  const loader = (part: CatalogPart): SiteLoader => ({
    name: `catalog-${part}-loader`,
    async load(context) {
      if (context.refreshContextData && context.refreshContextData !== lastRefresh) {
        lastRefresh = context.refreshContextData;
        generation++;
      }
      contexts.set(part, context);
      watchPaths(context.watcher, [dir], () => reload(context.logger));
      fill(dir, part, await readCurrent(), context);
    },
  });
  return {
    subprojects: loader('subprojects'),
    sigs: loader('sigs'),
    initiative: loader('initiative'),
  };
}
