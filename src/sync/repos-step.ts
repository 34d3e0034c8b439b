/**
 * The repos step of `npm run sync`, callable from scripts: load the catalog, sync the repos
 * against the forges, write content/snapshot/repos.json and audit.json, save the ETag cache.
 */
import { join } from 'node:path';
import { auditOwnership } from './audit.ts';
import { refuseOnlyOverInvalid } from './errors.ts';
import { type Catalog, DEFAULT_CATALOG_DIR, loadCatalog } from '../catalog/index.ts';
import { syncRepos, type SyncLogger } from './repos.ts';
import {
  type AuditSnapshot,
  AuditSnapshotSchema,
  DEFAULT_SNAPSHOT_DIR,
  readSnapshotFile,
  type ReposSnapshot,
  ReposSnapshotSchema,
  SNAPSHOT_FILES,
  SnapshotFormatError,
  writeSnapshotFile,
} from '../snapshot/index.ts';
import { createForgeRegistry, forgeConfigFromEnv } from '../forges/config.ts';
import { DEFAULT_ETAG_CACHE_FILE, loadEtagCache } from '../forges/etag-cache.ts';

export interface ReposStepOptions {
  /** An already loaded catalog; when absent it is loaded from `catalogDir`. */
  catalog?: Catalog;
  catalogDir?: string;
  snapshotDir?: string;
  /** Environment to read forge URLs and tokens from; default process.env. */
  env?: Record<string, string | undefined>;
  /** ETag cache file; default .cache/forges/etags.json. */
  cacheFile?: string;
  /** Sync only these repository URLs. */
  only?: readonly string[];
  goodFirstIssueLabels?: readonly string[];
  concurrency?: number;
  /** Wait for rate limits that reset within this many seconds. Default 60. */
  maxRateLimitWaitSeconds?: number;
  sample?: { note: string };
  now?: () => Date;
  fetch?: typeof fetch;
  log?: SyncLogger;
}

export interface ReposStepResult {
  repos: ReposSnapshot;
  audit: AuditSnapshot;
  /** 0: every repo has data (live or stale); 1: some repo has no usable data. */
  exitCode: 0 | 1;
}

const consoleLogger: SyncLogger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
};

/** Run the repos step: sync repos.json and write audit.json. Throws CatalogError when the catalog is invalid. */
export async function runReposStep(options: ReposStepOptions = {}): Promise<ReposStepResult> {
  const log = options.log ?? consoleLogger;
  const now = options.now ?? (() => new Date());
  const snapshotDir = options.snapshotDir ?? DEFAULT_SNAPSHOT_DIR;
  const reposFile = join(snapshotDir, SNAPSHOT_FILES.repos);
  const catalog = options.catalog ?? (await loadCatalog(options.catalogDir ?? DEFAULT_CATALOG_DIR));
  let previous: ReposSnapshot | undefined;
  try {
    previous = await readSnapshotFile(reposFile, ReposSnapshotSchema);
  } catch (error) {
    if (!(error instanceof SnapshotFormatError)) throw error;
    if (options.only)
      refuseOnlyOverInvalid(reposFile, error.issues[0] ?? 'invalid', 'repositories');
    log.warn(`${error.message}\nStarting without the previous repos data.`);
  }
  const cache = await loadEtagCache(options.cacheFile ?? DEFAULT_ETAG_CACHE_FILE, { now });
  const forges = createForgeRegistry(forgeConfigFromEnv(options.env ?? process.env), {
    cache,
    now,
    warn: (message) => log.warn(message),
    maxRateLimitWaitSeconds: options.maxRateLimitWaitSeconds ?? 60,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const repos = await syncRepos(catalog, previous, {
    forges,
    now,
    log,
    ...(options.only ? { only: options.only } : {}),
    ...(options.goodFirstIssueLabels ? { goodFirstIssueLabels: options.goodFirstIssueLabels } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.sample ? { sample: options.sample } : {}),
  });
  const audit = auditOwnership(catalog, repos, now());
  await writeSnapshotFile(reposFile, ReposSnapshotSchema.parse(repos));
  await writeSnapshotFile(
    join(snapshotDir, SNAPSHOT_FILES.audit),
    AuditSnapshotSchema.parse(audit),
  );
  await cache.save();
  const count = (status: string) => repos.repos.filter((repo) => repo.status === status).length;
  log.info(
    `Wrote ${reposFile}: ${count('live')} live, ${count('stale')} stale, ${count('unavailable')} unavailable; ${audit.findings.length} audit findings in ${join(snapshotDir, SNAPSHOT_FILES.audit)}.`,
  );
  return { repos, audit, exitCode: count('unavailable') > 0 ? 1 : 0 };
}
