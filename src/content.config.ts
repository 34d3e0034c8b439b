import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { catalogLoader } from './loaders/catalog-loader.ts';
import { snapshotLoader } from './loaders/snapshot-loader.ts';
import { readSiteConfig } from './site-config.ts';

const config = readSiteConfig();

export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content/docs', pattern: '**/*.{md,mdx}' }),
    schema: docsSchema(),
  }),
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema() }),
  subprojects: defineCollection({
    loader: catalogLoader({ dir: config.catalogDir, part: 'subprojects' }),
  }),
  sigs: defineCollection({ loader: catalogLoader({ dir: config.catalogDir, part: 'sigs' }) }),
  initiative: defineCollection({
    loader: catalogLoader({ dir: config.catalogDir, part: 'initiative' }),
  }),
  snapshot: defineCollection({ loader: snapshotLoader({ dir: config.snapshotDir }) }),
};
