/**
 * `npm run sync -- [--catalog DIR] [--snapshot DIR|FILE] [--only REF ...] [--cache DIR]
 * [--concurrency N] [--max-stale-days N]`: fetch what the catalog names and write the snapshot.
 *
 * The sync is a list of named steps, each returning {ok}; `images` (registries) is the first, and a
 * `repos` step (forges) can be added to STEPS. Exit 0: every source has data (live, or stale within
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
  only: string[] | undefined;
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
        ...(context.only ? { only: context.only } : {}),
      }),
  },
];

function usage(message: string): never {
  console.error(
    `${message}\nUsage: npm run sync -- [--catalog DIR] [--snapshot DIR|FILE] [--only REF ...] [--cache DIR] [--concurrency N] [--max-stale-days N]`,
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
    registry = { ...registry, concurrency: n };
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
if (only) {
  const known = new Set(catalogImages(catalog).map((image) => image.ref));
  const unknown = only.filter((ref) => !known.has(ref));
  if (unknown.length > 0)
    usage(`--only ${unknown.join(' ')}: not an image of the catalog in ${values.catalog}.`);
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
for (const step of STEPS) {
  if (!tty) console.log(`step ${step.name}: start`);
  const result = await step.run({
    catalog,
    snapshot: values.snapshot,
    cacheDir: values.cache,
    only,
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
