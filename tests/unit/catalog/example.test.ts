import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { parseWithSchema, parseYamlSource } from '../../../src/catalog/load.ts';
import { SubprojectSchema } from '../../../src/catalog/schema.ts';
import { catalogJsonSchemas } from '../../../src/catalog/json-schema.ts';

describe('the commented example and the JSON Schemas', () => {
  it('keeps the example subproject valid, with every top-level key used', async () => {
    const file = 'content/catalog/examples/subproject.example.yaml';
    const { source, problems } = parseYamlSource(file, await readFile(file, 'utf8'));
    expect(problems).toEqual([]);
    const { data, problems: schemaProblems } = parseWithSchema(source, SubprojectSchema);
    expect(schemaProblems).toEqual([]);
    const keys = Object.keys(SubprojectSchema.shape).filter((key) => key !== '$schema');
    expect(Object.keys(data!).sort()).toEqual(keys.sort());
  });

  it('keeps the committed JSON Schemas equal to what the zod schemas generate', async () => {
    for (const [name, schema] of Object.entries(catalogJsonSchemas())) {
      const committed = JSON.parse(await readFile(`schema/${name}.schema.json`, 'utf8'));
      expect(committed, `schema/${name}.schema.json is out of date: run npm run schema`).toEqual(
        schema,
      );
    }
  });
});
