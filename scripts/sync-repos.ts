/**
 * `npm run sync:repos -- [--catalog DIR] [--snapshot DIR] [--only URL ...] [--label NAME ...]`: read every catalog
 * repository from its forge and write content/snapshot/repos.json and audit.json.
 * Exit 0 when every repo has data (live or stale), 1 when some has none, 2 when the catalog is invalid.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOG_DIR } from '../src/catalog/load.ts';
import { CatalogError, formatProblems } from '../src/catalog/problems.ts';
import { runReposStep } from '../src/catalog/repos-step.ts';
import { DEFAULT_SNAPSHOT_DIR } from '../src/catalog/snapshot-io.ts';

export { runReposStep } from '../src/catalog/repos-step.ts';

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      catalog: { type: 'string', default: DEFAULT_CATALOG_DIR },
      snapshot: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
      only: { type: 'string', multiple: true },
      label: { type: 'string', multiple: true },
    },
  });
  try {
    const { exitCode } = await runReposStep({
      catalogDir: values.catalog,
      snapshotDir: values.snapshot,
      ...(values.only ? { only: values.only } : {}),
      ...(values.label ? { goodFirstIssueLabels: values.label } : {}),
    });
    process.exitCode = exitCode;
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    console.error(formatProblems(error.problems));
    process.exitCode = 2;
  }
}
