/**
 * `npm run audit -- [--catalog DIR] [--snapshot DIR] [--json]`: compare declared owners with what
 * the repositories say (content/snapshot/repos.json) and print the findings by subproject.
 * Exit 1 when a deliverable is orphaned (for CI), 2 when the catalog is invalid, else 0.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { auditOwnership, formatAuditReport, hasOrphanedDeliverables } from '../src/sync/index.ts';
import { DEFAULT_CATALOG_DIR, formatProblems, readCatalog } from '../src/catalog/index.ts';
import {
  DEFAULT_SNAPSHOT_DIR,
  readSnapshotFile,
  ReposSnapshotSchema,
  SNAPSHOT_FILES,
  stringifySnapshot,
} from '../src/snapshot/index.ts';

const { values } = parseArgs({
  options: {
    catalog: { type: 'string', default: DEFAULT_CATALOG_DIR },
    snapshot: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
    json: { type: 'boolean', default: false },
  },
});
const { catalog, problems } = await readCatalog(values.catalog);
if (!catalog) {
  console.error(formatProblems(problems));
  process.exit(2);
}
const reposFile = join(values.snapshot, SNAPSHOT_FILES.repos);
const repos = await readSnapshotFile(reposFile, ReposSnapshotSchema);
if (!repos)
  console.warn(
    `${reposFile} does not exist yet; run \`npm run sync -- --steps repos\` to read the repositories. Auditing the catalog alone.`,
  );
const audit = auditOwnership(catalog, repos, new Date());
process.stdout.write(values.json ? stringifySnapshot(audit) : formatAuditReport(audit, catalog));
process.exitCode = hasOrphanedDeliverables(audit) ? 1 : 0;
