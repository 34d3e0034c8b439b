/**
 * The catalog's own history: when a deliverable's state or owner changed, in which commit, by
 * whom, read from git at build time (as route-data.ts reads the last-updated dates). Three git
 * calls whatever the length of the history: the repository prefix, the log of the subproject
 * files and initiative.yaml (whose `deliverables:` are the initiative's own), and every version of
 * them through one `git cat-file --batch`. Without git, or outside a
 * repository, the history is unavailable and says why.
 */
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

/** Run git with arguments (and optional standard input); what it printed, raw. */
export type GitRunner = (
  args: string[],
  input?: string,
) => { status: number | null; stdout: Buffer };

/** The fields of a deliverable whose changes the history records. */
export const TRACKED_FIELDS = ['state', 'owner', 'incomingOwner'] as const;
export type TrackedField = (typeof TRACKED_FIELDS)[number];

/** One change of one field of a deliverable, in one commit. */
export interface CatalogChange {
  /** The subproject whose file changed; undefined for a deliverable of the initiative itself. */
  subproject: string | undefined;
  deliverable: string;
  /** The deliverable's title in that commit. */
  title: string;
  field: TrackedField;
  /** The value before and after; undefined when the field was absent. */
  from: string | undefined;
  to: string | undefined;
  commit: string;
  /** Commit date, ISO 8601. */
  date: string;
  author: string;
  /** First line of the commit message. */
  subject: string;
}

/** The history, newest change first, or why there is none. */
export interface CatalogHistory {
  available: boolean;
  /** Why the history is unavailable. */
  reason?: string | undefined;
  /** How many commits touched the subproject files or initiative.yaml. */
  commits: number;
  changes: CatalogChange[];
}

/** Create a runner that calls the git on PATH in a folder. */
export function createGitRunner(cwd: string): GitRunner {
  return (args, input) => {
    const result = spawnSync('git', args, { cwd, input, maxBuffer: 256 * 1024 * 1024 });
    return {
      status: result.error ? null : result.status,
      stdout: result.stdout ?? Buffer.alloc(0),
    };
  };
}

interface Commit {
  hash: string;
  date: string;
  author: string;
  subject: string;
  files: string[];
}

/** Read `git log --name-only` output written with the separators of {@link LOG_FORMAT}. */
function parseLog(text: string): Commit[] {
  return text
    .split('\x1e')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [header = '', ...rest] = chunk.split('\n');
      const [hash = '', date = '', author = '', subject = ''] = header.split('\x1f');
      return {
        hash,
        date,
        author,
        subject,
        files: rest.map((line) => line.trim()).filter((line) => line.endsWith('.yaml')),
      };
    });
}

const LOG_FORMAT = '--format=%x1e%H%x1f%cI%x1f%an%x1f%s';

/** Split `git cat-file --batch` output into the contents of each object, undefined when missing. */
function parseBatch(output: Buffer, count: number): (string | undefined)[] {
  const contents: (string | undefined)[] = [];
  let offset = 0;
  for (let index = 0; index < count; index++) {
    const newline = output.indexOf(0x0a, offset);
    if (newline < 0) break;
    const header = output.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    const size = /^\S+ blob (\d+)$/.exec(header)?.[1];
    if (size === undefined) {
      contents.push(undefined); // "<name> missing": the file was deleted in that commit
      continue;
    }
    contents.push(output.subarray(offset, offset + Number(size)).toString('utf8'));
    offset += Number(size) + 1;
  }
  return contents;
}

interface DeliverableFields {
  title: string;
  values: Record<TrackedField, string | undefined>;
}

/** Read a catalog file's id and its deliverables' tracked fields, without the full schema. */
function readVersion(text: string): { id: string; deliverables: Map<string, DeliverableFields> } {
  const data = parse(text) as {
    id?: unknown;
    deliverables?: Record<string, unknown>[];
  } | null;
  const deliverables = new Map<string, DeliverableFields>();
  for (const entry of Array.isArray(data?.deliverables) ? data.deliverables : []) {
    if (typeof entry?.['id'] !== 'string') continue;
    const text = (key: string) => (typeof entry[key] === 'string' ? entry[key] : undefined);
    deliverables.set(entry['id'], {
      title: text('title') ?? entry['id'],
      values: { state: text('state'), owner: text('owner'), incomingOwner: text('incomingOwner') },
    });
  }
  return { id: typeof data?.id === 'string' ? data.id : '', deliverables };
}

/**
 * Read when each deliverable's state or owner changed, from the git history of
 * `<catalogDir>/subprojects/` and `<catalogDir>/initiative.yaml`. A deliverable's first appearance is not a change; a file that does
 * not parse in some commit is skipped until it parses again.
 */
export function readCatalogHistory(
  catalogDir: string,
  run: GitRunner = createGitRunner(catalogDir),
): CatalogHistory {
  const unavailable = (reason: string): CatalogHistory => ({
    available: false,
    reason,
    commits: 0,
    changes: [],
  });
  const prefix = run(['rev-parse', '--show-prefix']);
  if (prefix.status !== 0)
    return unavailable(`${catalogDir} is not in a git repository, or git is not installed.`);
  const log = run([
    'log',
    '--reverse',
    '--no-renames',
    LOG_FORMAT,
    '--name-only',
    '--',
    'subprojects',
    'initiative.yaml',
  ]);
  if (log.status !== 0) return unavailable(`git log failed in ${catalogDir}.`);
  const commits = parseLog(log.stdout.toString('utf8'));
  // `git log` names files from the top of the repository.
  const initiativeFile = `${prefix.stdout.toString('utf8').trim()}initiative.yaml`;
  if (commits.length === 0)
    return unavailable(
      `no commit of ${catalogDir}/subprojects/ or ${catalogDir}/initiative.yaml is in the git history.`,
    );

  const requests = commits.flatMap((commit) => commit.files.map((file) => ({ commit, file })));
  const batch = run(
    ['cat-file', '--batch'],
    requests.map(({ commit, file }) => `${commit.hash}:${file}\n`).join(''),
  );
  if (batch.status !== 0) return unavailable(`git cat-file failed in ${catalogDir}.`);
  const contents = parseBatch(batch.stdout, requests.length);

  const latest = new Map<string, ReturnType<typeof readVersion>>();
  const changes: CatalogChange[] = [];
  requests.forEach(({ commit, file }, index) => {
    const text = contents[index];
    if (text === undefined) {
      latest.delete(file);
      return;
    }
    let version: ReturnType<typeof readVersion>;
    try {
      version = readVersion(text);
    } catch {
      return;
    }
    const before = latest.get(file);
    latest.set(file, version);
    if (!before) return;
    for (const [id, now] of version.deliverables) {
      const then = before.deliverables.get(id);
      if (!then) continue;
      for (const field of TRACKED_FIELDS) {
        if (then.values[field] === now.values[field]) continue;
        changes.push({
          subproject: file === initiativeFile ? undefined : version.id,
          deliverable: id,
          title: now.title,
          field,
          from: then.values[field],
          to: now.values[field],
          commit: commit.hash,
          date: commit.date,
          author: commit.author,
          subject: commit.subject,
        });
      }
    }
  });
  return { available: true, commits: commits.length, changes: changes.reverse() };
}

const cache = new Map<string, CatalogHistory>();

/** Read the history of a catalog folder once per build ({@link readCatalogHistory}). */
export function loadCatalogHistory(catalogDir: string): CatalogHistory {
  let history = cache.get(catalogDir);
  if (!history) {
    history = readCatalogHistory(catalogDir);
    cache.set(catalogDir, history);
  }
  return history;
}
