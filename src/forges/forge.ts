/**
 * The Forge interface every forge client implements, and the ownership and pipeline logic they
 * share: find the CODEOWNERS / OWNERS / MAINTAINERS files and the .tekton/ PipelineRuns from a
 * forge's file listing, and turn them into observed owners and pipelines with their sources.
 */
import { truncateText } from '../utils/truncate.ts';
import type { ObservedOwner, RepoFacts } from './types.ts';
import {
  CODEOWNERS_PATHS,
  MAINTAINERS_FILES,
  OWNERS_ALIASES_FILE,
  OWNERS_FILES,
  ownerHandle,
  parseCodeowners,
  parseMaintainersFile,
  parseOwnersAliases,
  parseOwnersFile,
} from './codeowners.ts';
import type { ForgeKind, RepoLocation } from './repo-url.ts';

/** An entry of a directory listing. */
export interface RepoEntry {
  name: string;
  path: string;
  type: 'file' | 'dir' | 'other';
}

/** A file read from a repository. */
export interface RepoFile {
  path: string;
  text: string;
}

/** Options every forge takes for repo facts. */
export interface FactsOptions {
  /** Labels of good first issues; an issue with any of them counts. */
  goodFirstIssueLabels: readonly string[];
  /** Most good first issues listed (the count covers all). Default 20. */
  maxGoodFirstIssues?: number;
}

/** One forge host: repo facts, observed owners and .tekton files of its repositories. */
export interface Forge {
  readonly kind: ForgeKind;
  /** Web host, e.g. "github.com". */
  readonly host: string;
  /** Get the facts of a repository; throws RepoNotFoundError, RateLimitError or ForgeError. */
  getRepoFacts(repo: RepoLocation, options: FactsOptions): Promise<RepoFacts | null>;
  /** List the owners the repository shows: ownership files and, where the API gives them, members. */
  listOwners(repo: RepoLocation, facts: RepoFacts | null): Promise<ObservedOwner[]>;
  /** Read the top-level .tekton/*.yaml files of the default branch. */
  listTektonFiles(repo: RepoLocation, facts: RepoFacts | null): Promise<RepoFile[]>;
}

/** The file access a forge client provides; the shared logic builds owners and pipelines on it. */
export interface RepoFiles {
  /** List a directory ("" for the root) at a ref; [] when it does not exist. */
  listDirectory(repo: RepoLocation, dir: string, ref: string | undefined): Promise<RepoEntry[]>;
  /** Read a file at a ref; undefined when it does not exist. */
  readFile(repo: RepoLocation, path: string, ref: string | undefined): Promise<string | undefined>;
}

/** The most observed owners kept per repository, and sources kept per owner. */
export const MAX_OWNERS = 200;
export const MAX_SOURCES_PER_OWNER = 10;
/** The longest CODEOWNERS pattern or API detail kept with a source. */
const MAX_SOURCE_TEXT = 200;

/**
 * Merge observed owners by handle, sorting handles and sources. A repository's files can name
 * owners without bound (a 100,000-line CODEOWNERS); the page and the snapshot keep at most
 * {@link MAX_OWNERS} owners with {@link MAX_SOURCES_PER_OWNER} sources each, patterns cut short.
 */
export function mergeOwners(owners: readonly ObservedOwner[]): ObservedOwner[] {
  const byHandle = new Map<string, ObservedOwner>();
  for (const owner of owners) {
    const existing = byHandle.get(owner.handle);
    if (existing) existing.sources.push(...owner.sources);
    else byHandle.set(owner.handle, { handle: owner.handle, sources: [...owner.sources] });
  }
  const sourceKey = (source: ObservedOwner['sources'][number]) =>
    `${source.kind}\u0000${source.file ?? ''}\u0000${String(source.line ?? 0).padStart(6, '0')}\u0000${source.pattern ?? ''}\u0000${source.detail ?? ''}`;
  const shorten = (source: ObservedOwner['sources'][number]) => {
    const short = { ...source };
    if (short.pattern !== undefined) short.pattern = truncateText(short.pattern, MAX_SOURCE_TEXT);
    if (short.detail !== undefined) short.detail = truncateText(short.detail, MAX_SOURCE_TEXT);
    return short;
  };
  return [...byHandle.values()]
    .map((owner) => {
      const unique = new Map(owner.sources.map((source) => [sourceKey(source), source]));
      return {
        handle: truncateText(owner.handle, MAX_SOURCE_TEXT),
        sources: [...unique.keys()]
          .sort()
          .slice(0, MAX_SOURCES_PER_OWNER)
          .map((key) => shorten(unique.get(key)!)),
      };
    })
    .sort((a, b) => a.handle.localeCompare(b.handle))
    .slice(0, MAX_OWNERS);
}

/**
 * Read the ownership files of a repository (first CODEOWNERS found, OWNERS with the aliases of
 * OWNERS_ALIASES, MAINTAINERS) into observed owners.
 */
export async function readFileOwners(
  files: RepoFiles,
  repo: RepoLocation,
  ref: string | undefined,
): Promise<ObservedOwner[]> {
  const directories = new Map<string, RepoEntry[]>();
  const list = async (dir: string) => {
    if (!directories.has(dir)) directories.set(dir, await files.listDirectory(repo, dir, ref));
    return directories.get(dir)!;
  };
  const exists = async (path: string) => {
    const slash = path.lastIndexOf('/');
    const dir = slash < 0 ? '' : path.slice(0, slash);
    if (dir !== '') {
      const root = await list('');
      if (!root.some((entry) => entry.name === dir && entry.type === 'dir')) return false;
    }
    return (await list(dir)).some((entry) => entry.path === path && entry.type === 'file');
  };
  const owners: ObservedOwner[] = [];
  for (const path of CODEOWNERS_PATHS[repo.forge]) {
    if (!(await exists(path))) continue;
    const text = await files.readFile(repo, path, ref);
    if (text === undefined) continue;
    for (const rule of parseCodeowners(text, repo.forge).rules) {
      for (const owner of rule.owners) {
        const handle = ownerHandle(owner, repo.forge, repo.host);
        if (handle)
          owners.push({
            handle,
            sources: [{ kind: 'codeowners', file: path, line: rule.line, pattern: rule.pattern }],
          });
      }
    }
    break; // the first CODEOWNERS found is the one the forge uses
  }
  for (const path of OWNERS_FILES) {
    if (!(await exists(path))) continue;
    const text = await files.readFile(repo, path, ref);
    if (text === undefined) continue;
    const aliasesText = (await exists(OWNERS_ALIASES_FILE))
      ? await files.readFile(repo, OWNERS_ALIASES_FILE, ref)
      : undefined;
    const aliases = aliasesText === undefined ? undefined : parseOwnersAliases(aliasesText).aliases;
    for (const entry of parseOwnersFile(text, aliases).owners) {
      const handle = ownerHandle(entry.owner, repo.forge, repo.host);
      if (handle)
        owners.push({
          handle,
          sources: [{ kind: 'owners-file', file: path, line: entry.line, detail: entry.detail }],
        });
    }
  }
  for (const path of MAINTAINERS_FILES) {
    if (!(await exists(path))) continue;
    const text = await files.readFile(repo, path, ref);
    if (text === undefined) continue;
    for (const entry of parseMaintainersFile(text)) {
      const handle = entry.forge
        ? ownerHandle(entry.owner, entry.forge)
        : ownerHandle(entry.owner, repo.forge, repo.host);
      if (handle)
        owners.push({
          handle,
          sources: [{ kind: 'maintainers-file', file: path, line: entry.line }],
        });
    }
  }
  return owners;
}

/** Read the top-level .tekton/*.yaml and *.yml files of a repository, sorted by path. */
export async function readTektonFiles(
  files: RepoFiles,
  repo: RepoLocation,
  ref: string | undefined,
): Promise<RepoFile[]> {
  const root = await files.listDirectory(repo, '', ref);
  if (!root.some((entry) => entry.name === '.tekton' && entry.type === 'dir')) return [];
  const entries = (await files.listDirectory(repo, '.tekton', ref))
    .filter((entry) => entry.type === 'file' && /\.ya?ml$/i.test(entry.name))
    .sort((a, b) => a.path.localeCompare(b.path));
  const result: RepoFile[] = [];
  for (const entry of entries) {
    const text = await files.readFile(repo, entry.path, ref);
    if (text !== undefined) result.push({ path: entry.path, text });
  }
  return result;
}

/** Memoise directory listings per repo, ref and dir, so owners and pipelines share one root listing. */
export function memoiseListings(files: RepoFiles): RepoFiles {
  const listings = new Map<string, Promise<RepoEntry[]>>();
  return {
    listDirectory(repo, dir, ref) {
      const key = `${repo.host}/${repo.path}@${ref ?? ''}:${dir}`;
      let listing = listings.get(key);
      if (!listing) {
        listing = files.listDirectory(repo, dir, ref);
        listings.set(key, listing);
        listing.catch(() => listings.delete(key));
      }
      return listing;
    },
    readFile: (repo, path, ref) => files.readFile(repo, path, ref),
  };
}

/** Sort and trim good first issues into the snapshot's shape. */
export function goodFirstIssues(
  items: { title: string; url: string; labels: string[]; number: number }[],
  max: number,
): RepoFacts['goodFirstIssues'] {
  const unique = new Map(items.map((item) => [item.url, item]));
  const sorted = [...unique.values()].sort((a, b) => b.number - a.number);
  return {
    count: sorted.length,
    items: sorted
      .slice(0, max)
      .map((item) => ({ title: item.title, url: item.url, labels: [...item.labels].sort() })),
  };
}
