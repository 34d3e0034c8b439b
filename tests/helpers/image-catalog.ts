/** Build in-memory catalogs for image sync tests from image entries, through the real schemas (defaults applied). */
import { SubprojectSchema, type Catalog } from '../../src/catalog/schema.ts';

/** Make a catalog holding one subproject with these images (YAML-shaped input). */
export function catalogOf(images: unknown[]): Catalog {
  const subproject = SubprojectSchema.parse({
    id: 'test',
    name: 'Test',
    summary: 'Test images.',
    sigs: ['test-sig'],
    images,
  });
  return { initiative: undefined as never, sigs: [], subprojects: [subproject] };
}
