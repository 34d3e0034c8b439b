/**
 * Ownership files: CODEOWNERS (GitHub, GitLab and Forgejo flavours, GitLab sections included),
 * Kubernetes-style OWNERS (YAML approvers/reviewers, OWNERS_ALIASES) and MAINTAINERS files
 * (src/forges/maintainers.ts).
 *
 * Pure: text in, rules and owners with their line numbers out.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { ForgeKind } from './repo-url.ts';
import { formatHandle } from './handles.ts';

/** One rule of a CODEOWNERS file. */
export interface CodeownersRule {
  pattern: string;
  /** Owners as written: "@user", "@org/team", "@group/subgroup" or an e-mail address. */
  owners: string[];
  /** 1-based line of the rule. */
  line: number;
  /** GitLab section the rule is in, when any. */
  section?: string;
  /** True when the owners come from the section header's default owners. */
  defaultOwners?: boolean;
  /**
   * True for an exclusion, `!path` (GitLab): the files it matches have no code owners, so the rule
   * gives none. On Forgejo, `!regex @owner` is instead a negative pattern with owners.
   */
  exclude?: boolean;
}

/** A GitLab CODEOWNERS section header: `[Name]`, `^[Optional]`, `[Name][2] @default-owner`. */
export interface CodeownersSection {
  name: string;
  line: number;
  optional: boolean;
  /** Approvals required, from `[Name][2]`. */
  approvals?: number;
  defaultOwners: string[];
}

export interface CodeownersFile {
  rules: CodeownersRule[];
  sections: CodeownersSection[];
  /** Lines that could not be read, with why. */
  problems: { line: number; message: string }[];
}

/** Where each forge looks for CODEOWNERS, in the order it looks; the first file found wins. */
export const CODEOWNERS_PATHS: Readonly<Record<ForgeKind, readonly string[]>> = {
  github: ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'],
  gitlab: ['CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'],
  forgejo: [
    'CODEOWNERS',
    'docs/CODEOWNERS',
    '.forgejo/CODEOWNERS',
    '.gitea/CODEOWNERS',
    '.github/CODEOWNERS',
  ],
  pagure: ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'],
  other: ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'],
};

/** OWNERS and MAINTAINERS file names looked for in the repository root. */
export const OWNERS_FILES = ['OWNERS'] as const;
/** The file of the repository root that defines the aliases OWNERS files name. */
export const OWNERS_ALIASES_FILE = 'OWNERS_ALIASES';
export const MAINTAINERS_FILES = ['MAINTAINERS', 'MAINTAINERS.md', 'MAINTAINERS.txt'] as const;

/** Split a line into whitespace-separated tokens, honouring `\ ` and `\#` escapes; stop at a comment. */
function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (char === '\\' && index + 1 < line.length) {
      const next = line[index + 1]!;
      if (next === '#' || next === ' ' || next === '\\') {
        current += next;
        inToken = true;
        index++;
        continue;
      }
    }
    if (char === '#' && !inToken) break; // a comment: at the start of a line or of a token
    if (char === ' ' || char === '\t') {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
      continue;
    }
    current += char;
    inToken = true;
  }
  if (inToken) tokens.push(current);
  return tokens;
}

/** A GitLab section header: `[Name]`, `^[Optional]`, `[Name][2]`, then default owners after a space. */
const SECTION = /^(\^)?\[([^\]]+)\](?:\[(\d+)\])?(?=\s|$)(.*)$/;

/** Tell whether a CODEOWNERS token is an owner (a handle, a team or an e-mail address). */
function isOwnerToken(token: string): boolean {
  return token.startsWith('@') || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(token);
}

/**
 * Parse a CODEOWNERS file into rules (pattern, owners, line), in the flavour of its forge: GitLab
 * sections and default owners (not on GitHub or Forgejo, where a `[...]` line is a pattern), and
 * `!` lines, which are exclusions without owners except on Forgejo (negative patterns with owners).
 */
export function parseCodeowners(text: string, forge?: ForgeKind): CodeownersFile {
  const rules: CodeownersRule[] = [];
  const sections: CodeownersSection[] = [];
  const problems: CodeownersFile['problems'] = [];
  const hasSections = forge !== 'github' && forge !== 'forgejo';
  let section: CodeownersSection | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const header = hasSections ? SECTION.exec(trimmed) : null;
    if (header) {
      const owners = tokenize(header[4] ?? '');
      section = {
        name: header[2]!.trim(),
        line,
        optional: header[1] === '^',
        defaultOwners: owners.filter(isOwnerToken),
      };
      if (header[3] !== undefined) section.approvals = Number(header[3]);
      sections.push(section);
      return;
    }
    const [pattern, ...rest] = tokenize(trimmed);
    if (pattern === undefined) return;
    const owners = rest.filter(isOwnerToken);
    const unknown = rest.filter((token) => !isOwnerToken(token));
    if (unknown.length > 0) {
      problems.push({
        line,
        message: `"${unknown.join(' ')}" is not an owner; write "@user", "@org/team" or an e-mail address.`,
      });
    }
    const exclude = pattern.startsWith('!') && forge !== 'forgejo';
    const rule: CodeownersRule = { pattern, owners: exclude ? [] : owners, line };
    if (section) rule.section = section.name;
    if (exclude) {
      rule.exclude = true;
      if (forge === 'github')
        problems.push({
          line,
          message: `"${pattern}" negates a pattern, which GitHub CODEOWNERS does not support; GitHub ignores the line.`,
        });
      else if (owners.length > 0)
        problems.push({
          line,
          message: `"${pattern}" excludes files from code ownership, so its owners "${owners.join(' ')}" are ignored; remove them.`,
        });
    } else if (section && owners.length === 0 && section.defaultOwners.length > 0) {
      rule.owners = [...section.defaultOwners];
      rule.defaultOwners = true;
    }
    rules.push(rule);
  });
  return { rules, sections, problems };
}

/** One owner read from a file, with the line it is on. */
export interface FileOwner {
  /** The owner as written: "@user", "login", "Name <mail>" reduced to its handle or e-mail. */
  owner: string;
  line: number;
  /** "approver" or "reviewer" for OWNERS; the CODEOWNERS pattern; or undefined. */
  detail?: string;
  /** The forge of the handle when the file says it (a github.com link, a GitHub column); else the repository's. */
  forge?: ForgeKind;
}

/**
 * Read a Kubernetes-style OWNERS_ALIASES file: `aliases:` mapping each alias to its logins.
 * Alias names are matched case-insensitively, so the map's keys are lower case.
 */
export function parseOwnersAliases(text: string): {
  aliases: Map<string, string[]>;
  problems: string[];
} {
  const document = parseDocument(text);
  const problems = document.errors.map((error) => `${OWNERS_ALIASES_FILE}: ${error.message}`);
  const aliases = new Map<string, string[]>();
  const mapping = isMap(document.contents) ? document.contents.get('aliases', true) : undefined;
  if (!isMap(mapping)) {
    if (problems.length === 0)
      problems.push(
        `${OWNERS_ALIASES_FILE} has no "aliases:" mapping; write "aliases:" followed by "name: [login, ...]" entries.`,
      );
    return { aliases, problems };
  }
  for (const pair of mapping.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (name === undefined) continue;
    if (!isSeq(pair.value)) {
      // An alias with no member ("team:") is allowed and empty.
      if (pair.value !== null && !(isScalar(pair.value) && pair.value.value === null))
        problems.push(
          `${OWNERS_ALIASES_FILE}: alias "${name}" is not a list of logins; write "${name}: [login, ...]".`,
        );
      aliases.set(name.toLowerCase(), []);
      continue;
    }
    const members = pair.value.items
      .map((item) => (isScalar(item) && typeof item.value === 'string' ? item.value.trim() : ''))
      .filter((member) => member !== '');
    aliases.set(name.toLowerCase(), members);
  }
  return { aliases, problems };
}

/**
 * Read the approvers and reviewers of a Kubernetes-style OWNERS file (YAML), with their lines.
 * A name that is an alias of `aliases` (from OWNERS_ALIASES) stands for its members, each with the
 * alias in its detail ("approver (alias build-team)"); emeritus_approvers are not owners.
 */
export function parseOwnersFile(
  text: string,
  aliases: ReadonlyMap<string, readonly string[]> = new Map(),
): { owners: FileOwner[]; problems: string[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const problems = document.errors.map((error) => error.message);
  const owners: FileOwner[] = [];
  if (!isMap(document.contents))
    return {
      owners,
      problems: problems.length ? problems : ['OWNERS is not a YAML mapping with approvers:'],
    };
  for (const [key, detail] of [
    ['approvers', 'approver'],
    ['reviewers', 'reviewer'],
  ] as const) {
    const list = document.contents.get(key, true);
    if (!isSeq(list)) continue;
    for (const item of list.items) {
      if (!isScalar(item) || typeof item.value !== 'string') continue;
      const line = lineCounter.linePos(item.range?.[0] ?? 0).line;
      const name = item.value.trim();
      const members = aliases.get(name.toLowerCase());
      if (members === undefined) owners.push({ owner: name, line, detail });
      else
        for (const member of members)
          owners.push({ owner: member, line, detail: `${detail} (alias ${name.toLowerCase()})` });
    }
  }
  return { owners, problems };
}

export { parseMaintainersFile } from './maintainers.ts';

/**
 * Turn an owner as written in a file on a forge into a handle: "github:login", "github:org/team",
 * "gitlab:group/subgroup", "forgejo:user", with "@host" when the forge is not the kind's usual host
 * (see handles.ts), or a lower-case e-mail address.
 * Returns undefined for GitLab role owners such as "@@maintainer" (members are read from the API).
 */
export function ownerHandle(owner: string, forge: ForgeKind, host?: string): string | undefined {
  const trimmed = owner.trim();
  if (trimmed.startsWith('@@')) return undefined;
  if (/^[^@\s]+@[^@\s]+$/.test(trimmed)) return trimmed.toLowerCase();
  const name = trimmed.replace(/^@/, '');
  if (name === '') return undefined;
  const kind = forge === 'other' ? 'unknown' : forge === 'pagure' ? 'fas' : forge;
  // Logins, team slugs and group paths are case-insensitive on every forge: lower-case them. Pagure
  // accounts are FAS accounts, wherever the repository is.
  return formatHandle(kind, name, kind === 'fas' ? undefined : host);
}
