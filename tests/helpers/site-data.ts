/** The fixture site's data (minimal catalog and fixture snapshot), for tests of what pages show. */
import { readFile } from 'node:fs/promises';
import { loadCatalog } from '../../src/catalog/load.ts';
import { ImagesSnapshotSchema, ReposSnapshotSchema } from '../../src/snapshot/schema.ts';
import type { SiteData } from '../../src/site/views.ts';

/** Load a fresh copy of the fixture site's data; tests may change it freely. */
export async function fixtureData(): Promise<SiteData> {
  const catalog = await loadCatalog('tests/fixtures/catalog/minimal');
  const images = ImagesSnapshotSchema.parse(
    JSON.parse(await readFile('tests/fixtures/snapshot/images.json', 'utf8')),
  );
  const repos = ReposSnapshotSchema.parse(
    JSON.parse(await readFile('tests/fixtures/snapshot/repos.json', 'utf8')),
  );
  return { catalog, images, repos };
}
