/**
 * The content collections: the written docs, and the catalog and snapshot the generated pages
 * come from. The catalog and snapshot loaders validate what they read (the catalog with
 * file:line:column problems, the snapshot against its schema); the schemas given here type the
 * entries for the pages, and Astro does not parse them a second time.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { InitiativeSchema, SigSchema, SubprojectSchema } from './catalog/index.ts';
import { createCatalogLoaders } from './loaders/catalog-loader.ts';
import {
  snapshotLoader,
  SnapshotStampSchema,
  type SnapshotPart,
} from './loaders/snapshot-loader.ts';
import { readSiteConfig } from './site-config.ts';

const config = readSiteConfig();
const catalog = createCatalogLoaders({ dir: config.catalogDir });
const snapshot = (part: SnapshotPart) => snapshotLoader({ dir: config.snapshotDir, part });

export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content/docs', pattern: '**/*.{md,mdx}' }),
    schema: docsSchema(),
  }),
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
  subprojects: defineCollection({ loader: catalog.subprojects, schema: SubprojectSchema }),
  sigs: defineCollection({ loader: catalog.sigs, schema: SigSchema }),
  initiative: defineCollection({ loader: catalog.initiative, schema: InitiativeSchema }),
  images: defineCollection({ loader: snapshot('images'), schema: SnapshotStampSchema }),
  repos: defineCollection({ loader: snapshot('repos'), schema: SnapshotStampSchema }),
  audit: defineCollection({ loader: snapshot('audit'), schema: SnapshotStampSchema }),
};
