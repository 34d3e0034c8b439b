/**
 * What the forge clients return: repository facts and observed owners. The snapshot's schema
 * (src/snapshot/schema.ts) stores these; the sync, which hands one to the other, only compiles
 * while they fit.
 */

/** The forges Image Mode Hub can tell apart; "other" is a host it links to but cannot read. */
export const FORGE_KINDS = ['github', 'gitlab', 'forgejo', 'pagure', 'other'] as const;
export type ForgeKind = (typeof FORGE_KINDS)[number];

/** Where an observed owner came from. */
export interface OwnerSource {
  kind: 'codeowners' | 'owners-file' | 'maintainers-file' | 'api';
  /** File path in the repository, for file sources. */
  file?: string | undefined;
  /** 1-based line number in that file. */
  line?: number | undefined;
  /** The CODEOWNERS pattern the owner is listed for. */
  pattern?: string | undefined;
  /** What the API said, e.g. "maintainer (access level 40)". */
  detail?: string | undefined;
}

/** An owner observed in a repository: "github:login", "github:org/team", "gitlab:user", "forgejo:user", or an e-mail address. */
export interface ObservedOwner {
  handle: string;
  sources: OwnerSource[];
}

/** An issue labelled for newcomers. */
export interface GoodFirstIssue {
  title: string;
  url: string;
  labels: string[];
}

/** Facts about one repository. */
export interface RepoFacts {
  description: string | null;
  defaultBranch: string;
  lastCommitAt: string | null;
  archived: boolean;
  license: string | null;
  latestRelease: { name: string; tag: string; publishedAt: string | null; url: string } | null;
  openIssues: number | null;
  goodFirstIssues: { count: number; items: GoodFirstIssue[] };
}
