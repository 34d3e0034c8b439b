/**
 * `npm run sync -- [--catalog DIR] [--snapshot DIR|FILE] [--only REF|URL ...] [--steps images,repos]
 * [--cache DIR] [--forge-cache FILE] [--concurrency N] [--max-stale-days N] [--label NAME ...]`:
 * fetch what the catalog names and write the snapshot. `--label` names the labels of good first
 * issues (default: good first issue, good-first-issue, help wanted).
 *
 * This file reads the arguments, draws progress and handles Ctrl-C; the steps themselves are in
 * src/sync/steps.ts. Exit 0: every source has data (live, or stale within the allowed age); 1:
 * something has no usable data (the snapshot is still written, keeping the last good data); 2: the
 * catalog or the arguments are invalid (nothing written).
 */
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CATALOG_DIR, formatProblems, readCatalog } from '../src/catalog/index.ts';
import { DEFAULT_SNAPSHOT_DIR } from '../src/snapshot/index.ts';
import {
  isSelected,
  routeOnly,
  STEP_NAMES,
  STEPS,
  SyncRefusedError,
  type HostProgress,
} from '../src/sync/index.ts';
import { DEFAULT_CACHE_DIR } from '../src/registry/cache.ts';
import { DEFAULT_ETAG_CACHE_FILE } from '../src/forges/etag-cache.ts';
import {
  readRegistryConfig,
  RegistryConfigError,
  type RegistryConfig,
} from '../src/registry/config.ts';

function usage(message: string): never {
  console.error(
    `${message}\nUsage: npm run sync -- [--catalog DIR] [--snapshot DIR|FILE] [--only REF|URL ...] [--steps ${STEP_NAMES.join(',')}] [--cache DIR] [--forge-cache FILE] [--concurrency N] [--max-stale-days N] [--label NAME ...]`,
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
      label: { type: 'string', multiple: true },
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
  const route = routeOnly(catalog, only);
  if (route.unknown.length > 0)
    usage(
      `--only ${route.unknown.join(' ')}: not an image or repository of the catalog in ${values.catalog}.`,
    );
  onlyImages = route.images;
  onlyRepos = route.repos;
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
for (const step of STEPS.filter((candidate) =>
  isSelected(candidate, steps, { images: onlyImages, repos: onlyRepos }),
)) {
  if (!tty) console.log(`step ${step.name}: start`);
  let result;
  try {
    result = await step.run({
      catalog,
      snapshot: values.snapshot,
      cacheDir: values.cache,
      forgeCacheFile: values['forge-cache'],
      onlyImages,
      onlyRepos,
      goodFirstIssueLabels: values.label,
      maxStaleDays,
      registry,
      signal: controller.signal,
      log,
      progress: (hosts) => {
        lastHosts = hosts;
        draw();
      },
    });
  } catch (error) {
    if (!(error instanceof SyncRefusedError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
  draw(true);
  console.log(`step ${step.name}: ${result.ok ? 'ok' : 'PROBLEMS'}: ${result.summary}`);
  for (const problem of result.problems) console.log(`  ${problem}`);
  if (!result.ok) exitCode = 1;
}
process.exit(exitCode);
