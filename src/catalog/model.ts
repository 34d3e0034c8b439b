/**
 * What the catalog means, beyond its schema: the canonical spelling of an image repository, the
 * rule that tells a SIG owner from a personal handle, and the lists of images and repositories
 * that the sync reads. Pure: the validated catalog in, plain values out.
 */
import { formatRepository, parseReference } from '../registry/reference.ts';
import type { Catalog, Image } from './schema.ts';

/**
 * Normalise a repository reference so that two spellings of one repository compare equal. The
 * catalog's own references are already canonical (its schema normalises them); this is for text
 * from elsewhere.
 */
export function canonicalRepository(ref: string): string {
  return formatRepository(parseReference(ref));
}

/** Tell whether an owner string names a SIG (a bare id) rather than a forge or FAS handle. */
export function isSigOwner(owner: string): boolean {
  return !owner.includes(':');
}

/** An image repository of the catalog, parsed once: its registry host and its path there. */
export interface ImageRepository {
  host: string;
  repository: string;
}

/** Every image repository the catalog names (images and their mirrors), parsed once, by ref. */
export function imageRepositories(catalog: Catalog): Map<string, ImageRepository> {
  const repositories = new Map<string, ImageRepository>();
  for (const subproject of catalog.subprojects)
    for (const image of subproject.images)
      for (const ref of [image.ref, ...image.mirrors])
        if (!repositories.has(ref)) {
          const { host, repository } = parseReference(ref);
          repositories.set(ref, { host, repository });
        }
  return repositories;
}

/** Every image of a catalog, once per ref (first declaration wins), sorted by ref. */
export function catalogImages(catalog: Catalog): Image[] {
  const byRef = new Map<string, Image>();
  for (const subproject of catalog.subprojects)
    for (const image of subproject.images) if (!byRef.has(image.ref)) byRef.set(image.ref, image);
  return [...byRef.values()].sort((a, b) => a.ref.localeCompare(b.ref));
}

/** A catalog image that a PipelineRun may build: its ref, mirrors, and the subproject listing it. */
export interface CandidateImage {
  ref: string;
  mirrors: string[];
  subproject: string;
  /** The catalog role: "base", "variant", "ci", ... */
  role: string;
}

/** A repository of the catalog and the subprojects that list it. */
export interface CatalogRepo {
  url: string;
  subprojects: string[];
}

/** List the catalog's repositories (subproject repos and deliverable repos), once each, sorted by URL. */
export function listCatalogRepos(catalog: Catalog): CatalogRepo[] {
  const repos = new Map<string, Set<string>>();
  const add = (url: string, subproject: string) => {
    if (!repos.has(url)) repos.set(url, new Set());
    repos.get(url)!.add(subproject);
  };
  for (const subproject of catalog.subprojects) {
    for (const repo of subproject.repos) add(repo.url, subproject.id);
    for (const deliverable of subproject.deliverables)
      if (deliverable.repo) add(deliverable.repo, subproject.id);
  }
  return [...repos]
    .map(([url, subprojects]) => ({ url, subprojects: [...subprojects].sort() }))
    .sort((a, b) => a.url.localeCompare(b.url));
}

/** List the catalog images a PipelineRun may build, with their subproject and role. */
export function listCandidateImages(catalog: Catalog): CandidateImage[] {
  return catalog.subprojects.flatMap((subproject) =>
    subproject.images.map((image) => ({
      ref: image.ref,
      mirrors: image.mirrors,
      subproject: subproject.id,
      role: image.role,
    })),
  );
}
