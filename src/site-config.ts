/**
 * Build settings read from the environment, in this one place.
 *
 * IMAGE_MODE_CATALOG   catalog folder (default content/catalog)
 * IMAGE_MODE_SNAPSHOT  snapshot folder (default content/snapshot)
 * IMAGE_MODE_SITE      the site's public URL, for the sitemap and canonical links
 * IMAGE_MODE_REPO      the web URL of this project's repository, for edit links
 * IMAGE_MODE_CACHE_DIR Astro's cache folder (content layer, Vite), so that two builds can run at once
 */
import { DEFAULT_CATALOG_DIR } from './catalog/index.ts';
import { DEFAULT_SNAPSHOT_DIR } from './snapshot/index.ts';

export interface SiteConfig {
  catalogDir: string;
  snapshotDir: string;
  siteUrl: string;
  repoUrl: string;
  /** Branch the edit links point at. */
  repoBranch: string;
  /** Astro's cache folder; undefined for Astro's default (node_modules/.astro). */
  cacheDir: string | undefined;
}

/** Read the build settings from an environment (process.env by default). */
export function readSiteConfig(env: Record<string, string | undefined> = process.env): SiteConfig {
  return {
    catalogDir: env['IMAGE_MODE_CATALOG'] || DEFAULT_CATALOG_DIR,
    snapshotDir: env['IMAGE_MODE_SNAPSHOT'] || DEFAULT_SNAPSHOT_DIR,
    siteUrl: env['IMAGE_MODE_SITE'] || 'https://image-mode-hub.fedoraproject.org',
    repoUrl: (
      env['IMAGE_MODE_REPO'] || 'https://forge.fedoraproject.org/image-mode/image-mode-hub'
    ).replace(/\/$/, ''),
    repoBranch: env['IMAGE_MODE_REPO_BRANCH'] || 'main',
    cacheDir: env['IMAGE_MODE_CACHE_DIR'] || undefined,
  };
}
