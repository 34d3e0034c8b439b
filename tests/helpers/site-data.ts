/** The fixture site's data (minimal catalog and fixture snapshot) as pages get it, for tests of what pages show. */
import { readFile } from 'node:fs/promises';
import type { z } from 'astro/zod';
import { loadCatalog } from '../../src/catalog/load.ts';
import {
  AuditSnapshotSchema,
  ImagesSnapshotSchema,
  ReposSnapshotSchema,
} from '../../src/snapshot/schema.ts';
import { orderCatalog, type SiteData } from '../../src/site/views.ts';

/** Read one fixture snapshot file through its schema. */
async function readFixture<S extends z.ZodType>(name: string, schema: S): Promise<z.output<S>> {
  return schema.parse(JSON.parse(await readFile(`tests/fixtures/snapshot/${name}`, 'utf8')));
}

/** Load a fresh copy of the fixture site's data, in page order; tests may change it freely. */
export async function fixtureData(): Promise<SiteData> {
  return {
    catalog: orderCatalog(await loadCatalog('tests/fixtures/catalog/minimal')),
    images: await readFixture('images.json', ImagesSnapshotSchema),
    repos: await readFixture('repos.json', ReposSnapshotSchema),
    audit: await readFixture('audit.json', AuditSnapshotSchema),
  };
}
