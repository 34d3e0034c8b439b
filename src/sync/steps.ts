/**
 * The steps of `npm run sync`, in order: `images` (registries → images.json and images/) and `repos` (forges →
 * repos.json and audit.json). Each step returns whether its sources have usable data. `--only`
 * names images and repositories; {@link routeOnly} gives each step its own kind.
 */
import { dirname } from 'node:path';
import { type Catalog, catalogImages, listCatalogRepos } from '../catalog/index.ts';
import type { RegistryConfig } from '../registry/config.ts';
import { runImagesStep, type HostProgress, type StepResult } from './images-step.ts';
import { runReposStep } from './repos-step.ts';

export type { HostProgress, StepResult } from './images-step.ts';

/** What every step receives. */
export interface StepContext {
  catalog: Catalog;
  /** The snapshot folder, or the images file itself when it ends in .json. */
  snapshot: string;
  cacheDir: string;
  forgeCacheFile: string;
  /** Image references to sync, or undefined for all. */
  onlyImages: string[] | undefined;
  /** Repository URLs to sync, or undefined for all. */
  onlyRepos: string[] | undefined;
  /** Labels of good first issues, or undefined for the default ones. */
  goodFirstIssueLabels: string[] | undefined;
  maxStaleDays: number;
  registry: RegistryConfig;
  signal: AbortSignal;
  log: (line: string) => void;
  progress: (hosts: HostProgress[]) => void;
}

/** A named step of the sync. */
export interface Step {
  name: 'images' | 'repos';
  run(context: StepContext): Promise<StepResult>;
}

/** The steps, in the order they run. */
export const STEPS: readonly Step[] = [
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
        ...(context.goodFirstIssueLabels
          ? { goodFirstIssueLabels: context.goodFirstIssueLabels }
          : {}),
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

/** The names of the steps, in order. */
export const STEP_NAMES: readonly string[] = STEPS.map((step) => step.name);

/** `--only` split by kind: images for the images step, repositories for the repos step. */
export interface OnlyRoute {
  images: string[];
  repos: string[];
  /** Items that are neither an image nor a repository of the catalog. */
  unknown: string[];
}

/** Split `--only` items into the catalog's image references and repository URLs. */
export function routeOnly(catalog: Catalog, only: readonly string[]): OnlyRoute {
  const knownImages = new Set(catalogImages(catalog).map((image) => image.ref));
  const knownRepos = new Set(listCatalogRepos(catalog).map((repo) => repo.url));
  return {
    images: only.filter((item) => knownImages.has(item)),
    repos: only.filter((item) => knownRepos.has(item)),
    unknown: only.filter((item) => !knownImages.has(item) && !knownRepos.has(item)),
  };
}

/** Tell whether a step has anything to do under `--steps` and `--only`. */
export function isSelected(
  step: Step,
  steps: readonly string[],
  only: { images: string[] | undefined; repos: string[] | undefined },
): boolean {
  if (!steps.includes(step.name)) return false;
  if (step.name === 'images' && only.images?.length === 0) return false;
  if (step.name === 'repos' && only.repos?.length === 0) return false;
  return true;
}
