/**
 * `npm run validate -- [--catalog DIR]`: check the catalog and print every problem with its file,
 * line, column and field path. Exit 0 when valid, 2 when not.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOG_DIR, formatProblems, readCatalog } from '../src/catalog/index.ts';

const { values } = parseArgs({
  options: { catalog: { type: 'string', default: DEFAULT_CATALOG_DIR } },
});
const { catalog, problems } = await readCatalog(values.catalog);
if (!catalog) {
  console.error(formatProblems(problems));
  process.exit(2);
}
const images = catalog.subprojects.reduce(
  (count, subproject) => count + subproject.images.length,
  0,
);
const deliverables = catalog.subprojects.reduce(
  (count, subproject) => count + subproject.deliverables.length,
  catalog.initiative.deliverables.length,
);
console.log(
  `The catalog in ${values.catalog} is valid: ${catalog.subprojects.length} subprojects, ${catalog.sigs.length} SIGs, ${images} images, ${deliverables} deliverables (${catalog.initiative.deliverables.length} of the initiative itself), ${catalog.initiative.milestones.length} milestones.`,
);
