/**
 * MAINTAINERS files in the formats projects really use: `Name <email> (@handle)` lines, Markdown
 * lists and tables of profile links (a "GitHub ID" column), quoted CSV (`"login","Name","email"`),
 * YAML lists (`maintainers: [...]`) and TOML (`[Org.Maintainers] people = [...]` with `[people.x]`
 * entries). Emeritus, former, alumni, inactive and retired sections are not owners.
 *
 * Pure: text in, owners with their line numbers out.
 */
import { parse as parseToml } from 'smol-toml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { FileOwner } from './codeowners.ts';
import type { ForgeKind } from './types.ts';

/** A section of people who no longer own anything. */
const RETIRED = /\b(emeritus|former|alumni|inactive|retired|past)\b/i;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const HANDLE = /(?<![\w.@/-])@([A-Za-z0-9][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)*)/g;
const LOGIN = /^@?([A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)$/;
/** Where a profile link ends: the end of the Markdown link or of the word. */
const LINK_END = String.raw`\/?(?=[)\]\s|>"',]|$)`;
const PROFILE_LINKS: readonly [RegExp, ForgeKind][] = [
  [
    new RegExp(
      String.raw`https?:\/\/github\.com\/(?:orgs\/[^/\s)]+\/people\/)?([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)${LINK_END}`,
      'g',
    ),
    'github',
  ],
  [
    new RegExp(String.raw`https?:\/\/gitlab\.com\/([A-Za-z0-9][A-Za-z0-9_.-]*)${LINK_END}`, 'g'),
    'gitlab',
  ],
];

type Found = Omit<FileOwner, 'line'>;

function handle(login: string, forge?: ForgeKind): Found {
  return forge ? { owner: `@${login}`, forge } : { owner: `@${login}` };
}

/** Read the owners of a piece of text: profile links, then @handles, else e-mail addresses. */
function ownersInText(text: string, column?: ForgeKind): Found[] {
  const found: Found[] = [];
  let rest = text;
  for (const [pattern, forge] of PROFILE_LINKS) {
    for (const match of text.matchAll(pattern)) found.push(handle(match[1]!, forge));
    rest = rest.replace(pattern, ' ');
  }
  const linked = new Set(found.map((entry) => entry.owner.toLowerCase()));
  rest = rest.replace(/https?:\/\/\S+/g, ' ').replace(EMAIL, ' ');
  for (const match of rest.matchAll(HANDLE)) {
    const login = match[1]!.replace(/[.]+$/, '');
    if (!linked.has(`@${login}`.toLowerCase())) found.push(handle(login, column));
  }
  if (found.length === 0 && column) {
    const bare = LOGIN.exec(rest.trim());
    if (bare) found.push(handle(bare[1]!, column));
  }
  if (found.length === 0)
    for (const match of text.matchAll(EMAIL)) found.push({ owner: match[0].toLowerCase() });
  return found;
}

/** Read one entry of a YAML or TOML list: a login, "@login", or text with handles or addresses. */
function ownerOfEntry(entry: string): Found[] {
  const login = LOGIN.exec(entry.trim());
  return login ? [handle(login[1]!)] : ownersInText(entry);
}

/** The text of a heading-like line (# heading or comment, **bold**, "Label:"), else undefined. */
function headingText(line: string): string | undefined {
  return (
    /^#+\s*(.*)$/.exec(line)?.[1] ??
    /^(?:\*\*|__)(.+?)(?:\*\*|__):?$/.exec(line)?.[1] ??
    /^([^.!?|]{1,60}):$/.exec(line)?.[1]
  );
}

const TABLE_SEPARATOR = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/;
const GITHUB_COLUMN = /github|handle|login|user ?name/i;
const GITLAB_COLUMN = /gitlab/i;

function tableCells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

/** Read a MAINTAINERS file of lines: plain, Markdown lists and tables, or quoted CSV. */
function readLines(text: string): FileOwner[] {
  const owners: FileOwner[] = [];
  const lines = text.split(/\r?\n/);
  let retired = false;
  let table: { column?: number; forge?: ForgeKind } | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') {
      table = undefined;
      return;
    }
    if (line.startsWith('<!--')) return;
    const heading = headingText(line);
    if (heading !== undefined) {
      retired = RETIRED.test(heading);
      table = undefined;
      return;
    }
    if (retired) return;
    let found: Found[];
    if (line.startsWith('|')) {
      if (TABLE_SEPARATOR.test(line)) return;
      const cells = tableCells(line);
      if (!table && TABLE_SEPARATOR.test(lines[index + 1]?.trim() ?? '')) {
        const github = cells.findIndex((cell) => GITHUB_COLUMN.test(cell));
        const gitlab = cells.findIndex((cell) => GITLAB_COLUMN.test(cell));
        table =
          gitlab >= 0
            ? { column: gitlab, forge: 'gitlab' }
            : github >= 0
              ? { column: github, forge: 'github' }
              : {};
        return;
      }
      found =
        table?.column !== undefined
          ? ownersInText(cells[table.column] ?? '', table.forge)
          : ownersInText(line);
    } else {
      const csv = /^"([^"]+)"\s*,/.exec(line);
      const login = csv ? LOGIN.exec(csv[1]!) : null;
      found = login ? [handle(login[1]!)] : ownersInText(line);
    }
    const seen = new Set<string>();
    for (const entry of found) {
      const key = `${entry.forge ?? ''}:${entry.owner.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      owners.push({ ...entry, line: index + 1 });
    }
  });
  return owners;
}

/** Read a YAML MAINTAINERS file (a mapping of lists), or undefined when the text is not one. */
function readYaml(text: string): FileOwner[] | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  if (document.errors.length > 0 || !isMap(document.contents)) return undefined;
  const pairs = document.contents.items;
  if (!pairs.some((pair) => isSeq(pair.value))) return undefined;
  const owners: FileOwner[] = [];
  for (const pair of pairs) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (RETIRED.test(key) || !isSeq(pair.value)) continue;
    for (const item of pair.value.items) {
      const line = lineCounter.linePos(item && 'range' in item ? (item.range?.[0] ?? 0) : 0).line;
      if (isScalar(item) && typeof item.value === 'string')
        for (const entry of ownerOfEntry(item.value)) owners.push({ ...entry, line });
      else if (isMap(item)) {
        const person = asRecord(item.toJSON()) ?? {};
        const github = field(person, 'github');
        const email = field(person, 'email');
        if (typeof github === 'string')
          owners.push({ ...handle(github.replace(/^@/, ''), 'github'), line });
        else if (typeof email === 'string') owners.push({ owner: email.toLowerCase(), line });
      }
    }
  }
  return owners;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The value of a key, whatever its case. */
function field(record: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : record[key];
}

/**
 * Read a TOML MAINTAINERS file (docker/distribution style): the `people` lists of its groups, each
 * key resolved through the `[people.<key>]` table to a GitHub login, else an e-mail address;
 * without groups, everyone of `[people]`. Undefined when the text is not TOML.
 */
function readToml(text: string): FileOwner[] | undefined {
  if (!/^\s*\[[^\]]+\]\s*$/m.test(text)) return undefined;
  let document: Record<string, unknown>;
  try {
    document = parseToml(text);
  } catch {
    return undefined;
  }
  const people = asRecord(field(document, 'people')) ?? {};
  const keys: string[] = [];
  const collect = (value: unknown, path: string[]) => {
    if (path.some((segment) => RETIRED.test(segment))) return;
    const record = asRecord(value);
    if (!record) return;
    for (const [key, child] of Object.entries(record)) {
      if (path.length === 0 && key.toLowerCase() === 'people') continue;
      if (key.toLowerCase() === 'people' && Array.isArray(child))
        keys.push(...child.filter((item): item is string => typeof item === 'string'));
      else collect(child, [...path, key]);
    }
  };
  collect(document, []);
  const lines = text.split(/\r?\n/);
  const lineOf = (key: string) => {
    const quoted = lines.findIndex((line) => line.includes(`"${key}"`));
    const table = lines.findIndex((line) => line.trim() === `[people.${key}]`);
    return (quoted >= 0 ? quoted : Math.max(table, 0)) + 1;
  };
  const owners: FileOwner[] = [];
  for (const key of [...new Set(keys.length > 0 ? keys : Object.keys(people))]) {
    const person =
      asRecord(
        Object.entries(people).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1],
      ) ?? {};
    const github = field(person, 'github');
    const email = field(person, 'email');
    const line = lineOf(key);
    if (typeof github === 'string' && github.trim() !== '')
      owners.push({ ...handle(github.trim().replace(/^@/, ''), 'github'), line });
    else if (typeof email === 'string' && email.trim() !== '')
      owners.push({ owner: email.trim().toLowerCase(), line });
    else owners.push({ ...handle(key), line });
  }
  return owners;
}

/**
 * Read the owners of a MAINTAINERS file, whatever its format, one entry per handle or address with
 * its line; a handle the file ties to a forge (a github.com link, a GitHub column or key) says so.
 * A line with a handle contributes the handle only, so a person is not counted twice.
 */
export function parseMaintainersFile(text: string): FileOwner[] {
  return readToml(text) ?? readYaml(text) ?? readLines(text);
}
