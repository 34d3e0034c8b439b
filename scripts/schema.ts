/**
 * `npm run schema`: write JSON Schemas of the catalog files to schema/, generated from the same zod
 * schemas the validator uses, so that editors autocomplete and check content/catalog/*.yaml.
 * `npm run schema -- --check` exits 1 when the committed files are out of date.
 */
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { writeFileAtomic } from '../src/utils/write-file-atomic.ts';
import { catalogJsonSchemas } from '../src/catalog/index.ts';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    out: { type: 'string', default: 'schema' },
  },
});
let stale = 0;
for (const [name, schema] of Object.entries(catalogJsonSchemas())) {
  const file = `${values.out}/${name}.schema.json`;
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (values.check) {
    const current = existsSync(file) ? await readFile(file, 'utf8') : '';
    if (current !== text) {
      console.error(`${file} is out of date; run \`npm run schema\` and commit the result.`);
      stale++;
    }
  } else {
    await writeFileAtomic(file, text);
    console.log(`wrote ${file}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
