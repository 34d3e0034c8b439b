/**
 * Build settings read from the environment, in this one place.
 *
 * IMAGE_MODE_CATALOG         catalog folder (default content/catalog)
 * IMAGE_MODE_SNAPSHOT        snapshot folder (default content/snapshot)
 * IMAGE_MODE_SITE            the site's public URL, for the sitemap, canonical links and the feed;
 *                            no default: no public address of this site is confirmed yet
 * IMAGE_MODE_REPO            the web URL of this project's repository (Forgejo or GitLab layout
 *                            below), for "Edit page" links; none without it
 * IMAGE_MODE_REPO_BRANCH     the branch edit links point at (default main)
 * IMAGE_MODE_DISCUSSION_URL  the header's Discussion link (default: the initiative's renewal
 *                            thread on discussion.fedoraproject.org, which the sources cite)
 * IMAGE_MODE_BASE            the path the site is served under, Astro's `base`, e.g.
 *                            /image-mode-hub/ for a GitHub Pages project site (default /)
 * IMAGE_MODE_CACHE_DIR       Astro's cache folder (content layer, Vite), so that two builds can
 *                            run at once
 *
 * The build's day (IMAGE_MODE_BUILD_DATE) is read by src/utils/clock.ts, and where `npm run build`
 * keeps its last output (IMAGE_MODE_BUILD_CACHE) by scripts/build.ts.
 */
import { DEFAULT_CATALOG_DIR } from './catalog/index.ts';
import { DEFAULT_SNAPSHOT_DIR } from './snapshot/index.ts';
import { normalizeBase } from './site/index.ts';

/** The initiative's thread on Fedora Discussion, cited by the Council ticket and the wiki. */
export const DEFAULT_DISCUSSION_URL =
  'https://discussion.fedoraproject.org/t/renewing-the-fedora-bootc-now-image-mode-initiative/167131';

export interface SiteConfig {
  catalogDir: string;
  snapshotDir: string;
  /** Public URL of the site; undefined when IMAGE_MODE_SITE is not set. */
  siteUrl: string | undefined;
  /** Web URL of this project's repository; undefined (no edit links) when IMAGE_MODE_REPO is not set. */
  repoUrl: string | undefined;
  /** Branch the edit links point at. */
  repoBranch: string;
  /** Where the header's Discussion link points. */
  discussionUrl: string;
  /** Astro's cache folder; undefined for Astro's default (node_modules/.astro). */
  cacheDir: string | undefined;
  /** The path the site is served under, with both slashes: `/` or `/image-mode-hub/`. */
  base: string;
}

/** Read the build settings from an environment (process.env by default). */
export function readSiteConfig(env: Record<string, string | undefined> = process.env): SiteConfig {
  return {
    catalogDir: env['IMAGE_MODE_CATALOG'] || DEFAULT_CATALOG_DIR,
    snapshotDir: env['IMAGE_MODE_SNAPSHOT'] || DEFAULT_SNAPSHOT_DIR,
    siteUrl: env['IMAGE_MODE_SITE'] || undefined,
    repoUrl: env['IMAGE_MODE_REPO']?.replace(/\/$/, '') || undefined,
    repoBranch: env['IMAGE_MODE_REPO_BRANCH'] || 'main',
    discussionUrl: env['IMAGE_MODE_DISCUSSION_URL'] || DEFAULT_DISCUSSION_URL,
    cacheDir: env['IMAGE_MODE_CACHE_DIR'] || undefined,
    base: normalizeBase(env['IMAGE_MODE_BASE']),
  };
}
