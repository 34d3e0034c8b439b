/**
 * Build the site for tests, and open it in Debian's Chromium through Playwright.
 *
 * `buildSite` runs the real `astro build` with the catalog and snapshot folders given, into its own
 * output folder, with its own Astro cache (content layer, Vite), so that builds of two test files
 * can run at once.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const run = promisify(execFile);

export interface SiteBuild {
  outDir: string;
  log: string;
}

export interface BuildOptions {
  /** Catalog folder (default: the fixture catalog). */
  catalog?: string;
  /** Snapshot folder (default: the fixture snapshot). */
  snapshot?: string;
  /** Name of the output folder under .cache/test-sites/. */
  name: string;
  /** The path the site is served under (IMAGE_MODE_BASE); the root when unset. */
  base?: string;
}

/**
 * The environment a test build runs in: the catalog and snapshot given, test addresses for the site
 * and its repository, and an Astro cache of the build's own.
 */
export function buildEnvironment(options: BuildOptions): Record<string, string | undefined> {
  // vitest sets NODE_ENV=test, MODE=test, DEV=1, PROD= and friends in the environment; Astro would
  // read them and build a development site (no search). Leave them out of the build's environment.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(NODE_ENV|MODE|DEV|PROD|SSR|BASE_URL|TEST|VITEST.*)$/.test(name),
    ),
  );
  return {
    ...inherited,
    ASTRO_TELEMETRY_DISABLED: '1',
    IMAGE_MODE_CATALOG: options.catalog ?? 'tests/fixtures/catalog/minimal',
    IMAGE_MODE_SNAPSHOT: options.snapshot ?? 'tests/fixtures/snapshot',
    // No public address of the site or of its repository is confirmed, so a deployment sets them;
    // the test sites do too, to check the sitemap and the edit links.
    IMAGE_MODE_SITE: 'https://image-mode-hub.example.test',
    IMAGE_MODE_REPO: 'https://forge.example.test/image-mode/image-mode-hub',
    IMAGE_MODE_BASE: options.base ?? '',
    // Each build has its own content-layer cache, so builds in two test files may run at once.
    IMAGE_MODE_CACHE_DIR: resolve('.cache/astro', options.name),
    // The handover pages link to the real catalog's subprojects; a fixture catalog has other ones, so
    // a fixture build accepts links to catalog-generated routes. A build of the real catalog checks all.
    LINK_CHECK_ALLOW:
      (options.catalog ?? '') !== 'content/catalog' ? '/subprojects/,/owners/,/images/' : '',
  };
}

/** Build the site with the given inputs into .cache/test-sites/<name>/. */
export async function buildSite(options: BuildOptions): Promise<SiteBuild> {
  const outDir = resolve('.cache/test-sites', options.name);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const env = buildEnvironment(options);
  const astro = join('node_modules', 'astro', 'bin', 'astro.mjs');
  const { stdout, stderr } = await run(process.execPath, [astro, 'build', '--outDir', outDir], {
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!existsSync(join(outDir, 'index.html')))
    throw new Error(`astro build wrote no index.html:\n${stdout}\n${stderr}`);
  return { outDir, log: `${stdout}\n${stderr}` };
}

/** Launch Debian's Chromium headless, as root-safe and offline-quiet as the machine needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
