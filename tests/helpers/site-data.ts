/**
 * The fixture site's data (minimal catalog and fixture snapshot) as pages get it, for tests of what
 * pages show. The fixture's images.json keeps the single-file form of schema version 1, so that the
 * builds of tests/e2e show that an older checkout still builds; the committed snapshot is split.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'astro/zod';
import { loadCatalog } from '../../src/catalog/load.ts';
import { readImagesSnapshot } from '../../src/snapshot/images-files.ts';
import { AuditSnapshotSchema, ReposSnapshotSchema } from '../../src/snapshot/schema.ts';
import { orderCatalog, type SiteData } from '../../src/site/views.ts';

/** Read one fixture snapshot file through its schema. */
async function readFixture<S extends z.ZodType>(name: string, schema: S): Promise<z.output<S>> {
  return schema.parse(JSON.parse(await readFile(`tests/fixtures/snapshot/${name}`, 'utf8')));
}

/** Load a fresh copy of the fixture site's data, in page order; tests may change it freely. */
export async function fixtureData(): Promise<SiteData> {
  return {
    catalog: orderCatalog(await loadCatalog('tests/fixtures/catalog/minimal')),
    images: (await readImagesSnapshot('tests/fixtures/snapshot/images.json'))!,
    repos: await readFixture('repos.json', ReposSnapshotSchema),
    audit: await readFixture('audit.json', AuditSnapshotSchema),
  };
}
