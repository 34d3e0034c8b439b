/**
 * Catalog problems: one error in one file, located by line and column and by field path, with a
 * message that says what to write instead. Used by `npm run validate`, `npm run sync` and the build.
 */
import {
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
} from 'yaml';
import type { z } from 'astro/zod';

/** A path into a YAML document: keys and list indexes. */
export type FieldPath = ReadonlyArray<string | number>;

/** One problem in the catalog. */
export interface CatalogProblem {
  /** File path as given to the loader (relative to the working directory where possible). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Field path such as `images[1].ref`; empty for the whole file. */
  path: string;
  message: string;
}

/** The catalog has problems; `problems` lists every one, and the message prints them all. */
export class CatalogError extends Error {
  override name = 'CatalogError';
  readonly problems: CatalogProblem[];
  constructor(problems: CatalogProblem[]) {
    super(formatProblems(problems));
    this.problems = problems;
  }
}

/** Format a field path as people read it: `images[1].ref`. */
export function formatPath(path: FieldPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? part : `.${part}`;
  }
  return text;
}

/** Format one problem as `file:line:column  path: message`. */
export function formatProblem(problem: CatalogProblem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path
    ? `${where}  ${problem.path}: ${problem.message}`
    : `${where}  ${problem.message}`;
}

/** Format a list of problems, one per line, with a count at the end. */
export function formatProblems(problems: CatalogProblem[]): string {
  const lines = problems.map(formatProblem);
  lines.push(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the catalog.`);
  return lines.join('\n');
}

/** A parsed YAML file, kept so that problems found later can still be located. */
export interface SourceFile {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

/** Find the pair whose key is `key` in a YAML map node. */
function findPair(node: unknown, key: string): Pair<unknown, unknown> | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find(
    (pair): pair is Pair<unknown, unknown> => isScalar(pair.key) && String(pair.key.value) === key,
  );
}

/** Walk a path as far as the document goes; returns the deepest node reached and how far it got. */
function walk(
  source: SourceFile,
  path: FieldPath,
): { node: Node | undefined; keyNode: Node | undefined; depth: number } {
  let node: unknown = source.document.contents;
  let keyNode: Node | undefined;
  let depth = 0;
  for (const part of path) {
    if (typeof part === 'number' && isSeq(node) && node.items[part] !== undefined) {
      node = node.items[part];
      keyNode = undefined;
    } else if (typeof part === 'string' && isMap(node)) {
      const pair = findPair(node, part);
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value ?? pair.key;
    } else {
      break;
    }
    depth++;
  }
  return { node: node as Node | undefined, keyNode, depth };
}

/** Turn a character offset into a 1-based line and column. */
function position(source: SourceFile, offset: number): { line: number; column: number } {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/** Locate a field path in a file: the value's start, or the nearest enclosing node that exists. */
export function locate(
  source: SourceFile,
  path: FieldPath,
  options: { key?: string } = {},
): { line: number; column: number } {
  const { node, depth } = walk(source, path);
  if (options.key !== undefined && depth === path.length) {
    const pair = findPair(node, options.key);
    const keyRange = (pair?.key as Node | undefined)?.range;
    if (keyRange) return position(source, keyRange[0]);
  }
  const range = node?.range;
  return position(source, range ? range[0] : 0);
}

/** Read the plain value at a path, for quoting it in a message. */
export function valueAt(source: SourceFile, path: FieldPath): unknown {
  const { node, depth } = walk(source, path);
  if (depth !== path.length || node === undefined) return undefined;
  return isScalar(node) ? node.value : (node as { toJSON?: () => unknown }).toJSON?.();
}

/** Count the edits that turn one string into another, to suggest the key that was meant. */
function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(
        above + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** Suggest the closest allowed key, if one is close enough to be a typo. */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

/** Find the keys a strict object schema allows at a path, to list them in an unknown-key message. */
function allowedKeysAt(schema: z.ZodType, path: FieldPath): string[] {
  let current: unknown = schema;
  const unwrap = (value: unknown): unknown => {
    let inner = value as
      | {
          def?: {
            type?: string;
            innerType?: unknown;
            element?: unknown;
            in?: unknown;
            schema?: unknown;
          };
        }
      | undefined;
    for (let guard = 0; guard < 10 && inner?.def; guard++) {
      const type = inner.def.type;
      if (
        type === 'optional' ||
        type === 'default' ||
        type === 'nullable' ||
        type === 'prefault' ||
        type === 'readonly'
      ) {
        inner = inner.def.innerType as typeof inner;
      } else if (type === 'pipe') {
        inner = inner.def.in as typeof inner;
      } else break;
    }
    return inner;
  };
  for (const part of path) {
    const node = unwrap(current) as
      { def?: { type?: string; element?: unknown; shape?: Record<string, unknown> } } | undefined;
    if (typeof part === 'number' && node?.def?.type === 'array') current = node.def.element;
    else if (typeof part === 'string' && node?.def?.type === 'object')
      current = node.def.shape?.[part];
    else return [];
  }
  const node = unwrap(current) as
    { def?: { type?: string; shape?: Record<string, unknown> } } | undefined;
  return node?.def?.type === 'object'
    ? Object.keys(node.def.shape ?? {}).filter((key) => key !== '$schema')
    : [];
}

/** The longest piece of a file's text that a message quotes. */
const EXCERPT_LENGTH = 80;

/** Quote at most a short excerpt of a text, so that a message never echoes a whole file. */
export function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= EXCERPT_LENGTH
    ? oneLine
    : `${oneLine.slice(0, EXCERPT_LENGTH)}… (${text.length} characters)`;
}

/** Describe a value found in YAML for an error message. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text "${excerpt(value)}"`;
  return `${typeof value} ${JSON.stringify(value) ?? ''}`;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
};

/** Turn one zod issue on a file into catalog problems, with positions and helpful messages. */
export function problemsFromIssue(
  source: SourceFile,
  schema: z.ZodType,
  issue: z.core.$ZodIssue,
): CatalogProblem[] {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const at = (fieldPath: FieldPath, message: string, key?: string): CatalogProblem => ({
    file: source.file,
    ...locate(source, fieldPath, key === undefined ? {} : { key }),
    path: formatPath(key === undefined ? fieldPath : [...fieldPath, key]),
    message,
  });

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(schema, path);
      return issue.keys.map((key) => {
        const suggestion = suggestKey(key, allowed);
        const hint = suggestion
          ? `did you mean "${suggestion}"?`
          : `allowed keys here: ${allowed.join(', ')}.`;
        return at(path, `unknown key "${key}"; ${hint}`, key);
      });
    }
    case 'invalid_type': {
      const value = valueAt(source, path);
      const expected = EXPECTED_NAMES[issue.expected] ?? issue.expected;
      if (value === undefined) {
        const parent = path.slice(0, -1);
        const key = path[path.length - 1];
        return [
          {
            ...at(parent, `is required: add \`${String(key)}:\` with ${expected}.`),
            path: formatPath(path),
          },
        ];
      }
      return [at(path, `expected ${expected}, found ${describe(value)}.`)];
    }
    case 'invalid_value': {
      const value = valueAt(source, path);
      const options = issue.values.map((option) => JSON.stringify(option)).join(', ');
      return [at(path, `${describe(value)} is not allowed; write one of ${options}.`)];
    }
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator) {
        const value = valueAt(source, path);
        const options = ((issue as { options?: unknown[] }).options ?? [])
          .map((option) => JSON.stringify(option))
          .join(', ');
        return [at(path, `${describe(value)} is not a known kind; write one of ${options}.`)];
      }
      return [at(path, issue.message)];
    }
    case 'too_small': {
      if (issue.origin === 'array')
        return [
          at(
            path,
            issue.message.startsWith('Too small')
              ? `list at least ${String(issue.minimum)} item(s).`
              : issue.message,
          ),
        ];
      if (issue.origin === 'string') return [at(path, 'cannot be empty.')];
      return [at(path, `must be at least ${String(issue.minimum)}.`)];
    }
    case 'too_big':
      return [at(path, `must be at most ${String(issue.maximum)}.`)];
    default:
      return [at(path, issue.message)];
  }
}
