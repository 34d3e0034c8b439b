/**
 * JSON Schemas of the catalog files, generated from the zod schemas so that the editor's checks
 * and `npm run validate` can never disagree about shapes.
 */
import { z } from 'astro/zod';
import { InitiativeSchema, SigsFileSchema, SubprojectSchema } from './schema.ts';

/** Generate the JSON Schema of each catalog file kind, keyed by the name of its schema file. */
export function catalogJsonSchemas(): Record<'initiative' | 'sigs' | 'subproject', object> {
  const generate = (schema: z.ZodType, title: string) => ({
    ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    title,
  });
  return {
    initiative: generate(InitiativeSchema, 'Image Mode Hub: content/catalog/initiative.yaml'),
    sigs: generate(SigsFileSchema, 'Image Mode Hub: content/catalog/sigs.yaml'),
    subproject: generate(SubprojectSchema, 'Image Mode Hub: content/catalog/subprojects/<id>.yaml'),
  };
}
