/**
 * Build the site for tests, and open it in Debian's Chromium through Playwright.
 *
 * `buildSite` runs the real `astro build` with the catalog and snapshot folders given, into its own
 * output folder. Builds of one project share Astro's content-layer cache, so they run one after the
 * other: each build holds a lock directory, which test files in other workers wait for.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
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
}

const LOCK = resolve('.cache/test-sites/.build-lock');

/** Tell whether the process that took the lock is gone, so its lock can be broken. */
async function lockIsStale(): Promise<boolean> {
  const pid = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => ''));
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/** Run `work` while holding the build lock, waiting (up to 10 minutes) for another worker's build. */
async function withBuildLock<T>(work: () => Promise<T>): Promise<T> {
  await mkdir(resolve('.cache/test-sites'), { recursive: true });
  for (let waited = 0; ; waited += 250) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      if (await lockIsStale()) await rm(LOCK, { recursive: true, force: true });
      else if (waited > 600_000)
        throw new Error(`Waited 10 minutes for ${LOCK}; remove it if no test run is building.`);
      else await sleep(250);
    }
  }
  try {
    await writeFile(join(LOCK, 'pid'), String(process.pid));
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

/** Build the site with the given inputs into .cache/test-sites/<name>/, one build at a time. */
export function buildSite(options: BuildOptions): Promise<SiteBuild> {
  return withBuildLock(() => build(options));
}

/** Build the site with the given inputs into .cache/test-sites/<name>/. */
async function build(options: BuildOptions): Promise<SiteBuild> {
  const outDir = resolve('.cache/test-sites', options.name);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  // vitest sets NODE_ENV=test, MODE=test, DEV=1, PROD= and friends in the environment; Astro would
  // read them and build a development site (no search). Leave them out of the build's environment.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(NODE_ENV|MODE|DEV|PROD|SSR|BASE_URL|TEST|VITEST.*)$/.test(name),
    ),
  );
  const env = {
    ...inherited,
    ASTRO_TELEMETRY_DISABLED: '1',
    IMAGE_MODE_CATALOG: options.catalog ?? 'tests/fixtures/catalog/minimal',
    IMAGE_MODE_SNAPSHOT: options.snapshot ?? 'tests/fixtures/snapshot',
    // The handover pages link to the real catalog's subprojects; a fixture catalog has other ones, so
    // a fixture build accepts links to catalog-generated routes. A build of the real catalog checks all.
    LINK_CHECK_ALLOW:
      (options.catalog ?? '') !== 'content/catalog' ? '/subprojects/,/owners/,/images/' : '',
  };
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
