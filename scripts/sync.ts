/**
 * `npm run sync -- [--catalog DIR] [--snapshot DIR|FILE] [--only REF|URL ...] [--steps images,repos]
 * [--cache DIR] [--forge-cache FILE] [--concurrency N] [--max-stale-days N]`: fetch what the catalog
 * names and write the snapshot.
 *
 * The sync is a list of named steps, each returning {ok}: `images` (registries: images.json) and
 * `repos` (forges: repos.json and audit.json). `--only` takes image references and repository URLs;
 * each step syncs the ones that are its own. Exit 0: every source has data (live, or stale within
 * the allowed age); 1: something has no usable data (the snapshot is still written, keeping the last
 * good data); 2: the catalog or the arguments are invalid (nothing written).
 */
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOG_DIR, readCatalog } from '../src/catalog/load.ts';
import { formatProblems } from '../src/catalog/problems.ts';
import type { Catalog } from '../src/catalog/schema.ts';
import { DEFAULT_SNAPSHOT_DIR } from '../src/catalog/snapshot-io.ts';
import { runImagesStep, type HostProgress, type StepResult } from '../src/catalog/images-step.ts';
import { catalogImages } from '../src/catalog/image-sync.ts';
import { DEFAULT_CACHE_DIR } from '../src/registry/cache.ts';
import { runReposStep } from '../src/catalog/repos-step.ts';
import { DEFAULT_ETAG_CACHE_FILE } from '../src/forges/etag-cache.ts';
import {
  readRegistryConfig,
  RegistryConfigError,
  type RegistryConfig,
} from '../src/registry/config.ts';

/** What every step receives. */
interface StepContext {
  catalog: Catalog;
  snapshot: string;
  cacheDir: string;
  forgeCacheFile: string;
  /** Image references to sync, or undefined for all. */
  onlyImages: string[] | undefined;
  /** Repository URLs to sync, or undefined for all. */
  onlyRepos: string[] | undefined;
  maxStaleDays: number;
  registry: RegistryConfig;
  signal: AbortSignal;
  log: (line: string) => void;
  progress: (hosts: HostProgress[]) => void;
}

/** A named step of the sync. */
interface Step {
  name: string;
  run(context: StepContext): Promise<StepResult>;
}

const STEPS: Step[] = [
  {
    name: 'images',
    run: (context) =>
      runImagesStep({
        catalog: context.catalog,
        snapshot: context.snapshot,
        config: context.registry,
        cacheDir: context.cacheDir,
        maxStaleDays: context.maxStaleDays,
        signal: context.signal,
        log: context.log,
        onProgress: context.progress,
        ...(context.onlyImages ? { only: context.onlyImages } : {}),
      }),
  },
  {
    name: 'repos',
    async run(context) {
      const result = await runReposStep({
        catalog: context.catalog,
        snapshotDir: context.snapshot.endsWith('.json')
          ? dirname(context.snapshot)
          : context.snapshot,
        cacheFile: context.forgeCacheFile,
        log: { info: context.log, warn: context.log },
        ...(context.onlyRepos ? { only: context.onlyRepos } : {}),
      });
      const problems = result.repos.repos
        .filter((repo) => repo.status !== 'live')
        .map((repo) => `${repo.url}: ${repo.status}${repo.error ? `: ${repo.error}` : ''}`);
      const count = (status: string) =>
        result.repos.repos.filter((repo) => repo.status === status).length;
      return {
        ok: result.exitCode === 0,
        summary: `${result.repos.repos.length} repos: ${count('live')} live, ${count('stale')} stale, ${count('unavailable')} unavailable; ${result.audit.findings.length} audit findings`,
        problems,
      };
    },
  },
];
const STEP_NAMES = STEPS.map((step) => step.name);

function usage(message: string): never {
  console.error(
    `${message}\nUsage: npm run sync -- [--catalog DIR] [--snapshot DIR|FILE] [--only REF|URL ...] [--steps ${STEP_NAMES.join(',')}] [--cache DIR] [--forge-cache FILE] [--concurrency N] [--max-stale-days N]`,
  );
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      catalog: { type: 'string', default: DEFAULT_CATALOG_DIR },
      snapshot: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
      only: { type: 'string', multiple: true },
      cache: { type: 'string', default: DEFAULT_CACHE_DIR },
      'forge-cache': { type: 'string', default: DEFAULT_ETAG_CACHE_FILE },
      steps: { type: 'string', default: STEP_NAMES.join(',') },
      concurrency: { type: 'string' },
      'max-stale-days': { type: 'string', default: '7' },
    },
  });
} catch (error) {
  usage((error as Error).message);
}
const { values, positionals } = parsed;
// `--only a b c`: values after --only that are not flags arrive as positionals.
const only = values.only
  ? [...values.only, ...positionals]
  : positionals.length > 0
    ? usage(`Unexpected argument "${positionals[0]}".`)
    : undefined;
const maxStaleDays = Number(values['max-stale-days']);
if (!Number.isFinite(maxStaleDays) || maxStaleDays < 0)
  usage(`--max-stale-days "${values['max-stale-days']}" is not a number of days.`);

let registry: RegistryConfig;
try {
  registry = readRegistryConfig();
  if (values.concurrency !== undefined) {
    const n = Number(values.concurrency);
    if (!Number.isInteger(n) || n < 1)
      usage(`--concurrency "${values.concurrency}" is not a positive integer.`);
    // A number given here is a fixed limit: it neither grows nor starts lower.
    registry = { ...registry, concurrency: n, maxConcurrency: n };
  }
} catch (error) {
  if (error instanceof RegistryConfigError) usage(error.message);
  throw error;
}

const { catalog, problems } = await readCatalog(values.catalog);
if (!catalog) {
  console.error(formatProblems(problems));
  console.error(`The catalog in ${values.catalog} is invalid; nothing was written.`);
  process.exit(2);
}
const steps = values.steps
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
const unknownSteps = steps.filter((name) => !STEP_NAMES.includes(name));
if (unknownSteps.length > 0 || steps.length === 0)
  usage(
    `--steps "${values.steps}": name steps from ${STEP_NAMES.join(', ')}, separated by commas.`,
  );

// `--only` names images and repositories; each step gets its own kind.
let onlyImages: string[] | undefined;
let onlyRepos: string[] | undefined;
if (only) {
  const knownImages = new Set(catalogImages(catalog).map((image) => image.ref));
  const knownRepos = new Set(
    catalog.subprojects.flatMap((subproject) => [
      ...subproject.repos.map((repo) => repo.url),
      ...subproject.deliverables.flatMap((deliverable) =>
        deliverable.repo ? [deliverable.repo] : [],
      ),
    ]),
  );
  const unknown = only.filter((item) => !knownImages.has(item) && !knownRepos.has(item));
  if (unknown.length > 0)
    usage(
      `--only ${unknown.join(' ')}: not an image or repository of the catalog in ${values.catalog}.`,
    );
  onlyImages = only.filter((item) => knownImages.has(item));
  onlyRepos = only.filter((item) => knownRepos.has(item));
}
/** Tell whether a step has anything to do under --steps and --only. */
function selected(name: string): boolean {
  if (!steps.includes(name)) return false;
  if (name === 'images' && onlyImages?.length === 0) return false;
  if (name === 'repos' && onlyRepos?.length === 0) return false;
  return true;
}

// Progress: a redrawn table on a terminal, plain lines otherwise (CI).
const tty = process.stderr.isTTY === true;
let drawn = 0;
let lastHosts: HostProgress[] = [];
let lastDraw = 0;
function draw(force = false): void {
  if (!tty || (!force && Date.now() - lastDraw < 100)) return;
  lastDraw = Date.now();
  if (drawn > 0) process.stderr.write(`\x1b[${drawn}A`);
  for (const h of lastHosts) {
    process.stderr.write(
      `\x1b[2K  ${h.host.padEnd(32)} ${String(h.done).padStart(3)}/${String(h.total).padEnd(3)} images  ${String(h.requests).padStart(5)} requests  ${h.retries} retries  ${h.errors} errors\n`,
    );
  }
  drawn = lastHosts.length;
}
const log = (line: string) => {
  if (tty) {
    // On a terminal only problems scroll above the table.
    if (/^(ok|retry):/.test(line)) return;
    if (drawn > 0) process.stderr.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
    console.error(line);
    draw(true);
  } else {
    console.log(line);
  }
};

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
  // A write cut short leaves only its temporary file (the rename never happened): remove it.
  const folder = values.snapshot.endsWith('.json') ? dirname(values.snapshot) : values.snapshot;
  try {
    for (const name of readdirSync(folder)) {
      if (name.startsWith('.') && name.includes(`.${process.pid}.`) && name.endsWith('.tmp'))
        rmSync(join(folder, name), { force: true });
    }
  } catch {
    // no folder yet
  }
  console.error('\nInterrupted: the snapshot was not changed.');
  process.exit(130);
});

let exitCode = 0;
for (const step of STEPS.filter((candidate) => selected(candidate.name))) {
  if (!tty) console.log(`step ${step.name}: start`);
  const result = await step.run({
    catalog,
    snapshot: values.snapshot,
    cacheDir: values.cache,
    forgeCacheFile: values['forge-cache'],
    onlyImages,
    onlyRepos,
    maxStaleDays,
    registry,
    signal: controller.signal,
    log,
    progress: (hosts) => {
      lastHosts = hosts;
      draw();
    },
  });
  draw(true);
  console.log(`step ${step.name}: ${result.ok ? 'ok' : 'PROBLEMS'}: ${result.summary}`);
  for (const problem of result.problems) console.log(`  ${problem}`);
  if (!result.ok) exitCode = 1;
}
process.exit(exitCode);
