/**
 * Pipelines-as-Code CEL trigger expressions (`pipelinesascode.tekton.dev/on-cel-expression`), read
 * for the events and target branches they match, clause by clause: in
 * `(event == "pull_request" && target_branch == "main") || (event == "push" && target_branch.startsWith("gh-readonly-queue/"))`
 * the push is to merge-queue branches only, not to main.
 *
 * Pure: an expression in, its trigger clauses out. Only `&&`, `||`, `!` and parentheses are
 * understood; a test this module does not know constrains nothing.
 */

/** One way an expression can match: the events and target branches it requires (undefined: any). */
export interface CelTrigger {
  events?: string[];
  /** Branch names, or prefixes written as "prefix*" (from `target_branch.startsWith("prefix")`). */
  branches?: string[];
}

type Token = { kind: 'string' | 'text' | 'and' | 'or' | 'not' | 'open' | 'close'; text: string };

type Node =
  | { kind: 'or' | 'and'; parts: Node[] }
  | { kind: 'not'; part: Node }
  | { kind: 'test'; text: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const special = /[\s"'()&|!]/;
  while (index < expression.length) {
    const char = expression[index]!;
    const pair = expression.slice(index, index + 2);
    if (/\s/.test(char)) index++;
    else if (char === '"' || char === "'") {
      let value = '';
      index++;
      while (index < expression.length && expression[index] !== char) {
        if (expression[index] === '\\') index++;
        value += expression[index] ?? '';
        index++;
      }
      index++;
      tokens.push({ kind: 'string', text: value });
    } else if (pair === '&&' || pair === '||') {
      tokens.push({ kind: pair === '&&' ? 'and' : 'or', text: pair });
      index += 2;
    } else if (char === '!' && expression[index + 1] !== '=') {
      tokens.push({ kind: 'not', text: char });
      index++;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char === '(' ? 'open' : 'close', text: char });
      index++;
    } else {
      let text = char;
      index++;
      while (index < expression.length && !special.test(expression[index]!)) {
        text += expression[index];
        index++;
      }
      if (text === '!' || text === '&' || text === '|') continue; // a stray operator character
      tokens.push({ kind: 'text', text });
    }
  }
  return tokens;
}

/** Parse tokens into and/or/not over tests; a call's arguments stay inside its test. */
function parse(tokens: Token[]): Node {
  let position = 0;
  const peek = () => tokens[position];
  const sequence = (kind: 'or' | 'and', next: () => Node): Node => {
    const parts = [next()];
    while (peek()?.kind === kind) {
      position++;
      parts.push(next());
    }
    return parts.length === 1 ? parts[0]! : { kind, parts };
  };
  const or = (): Node => sequence('or', and);
  const and = (): Node => sequence('and', unary);
  const unary = (): Node => {
    const token = peek();
    if (token?.kind === 'not') {
      position++;
      return { kind: 'not', part: unary() };
    }
    if (token?.kind === 'open') {
      position++;
      const inner = or();
      if (peek()?.kind === 'close') position++;
      return inner;
    }
    const words: string[] = [];
    let depth = 0;
    for (let current = peek(); current; current = peek()) {
      if (depth === 0 && (current.kind === 'and' || current.kind === 'or')) break;
      if (current.kind === 'close' && depth === 0) break;
      if (current.kind === 'open') depth++;
      if (current.kind === 'close') depth--;
      words.push(current.kind === 'string' ? JSON.stringify(current.text) : current.text);
      position++;
    }
    return { kind: 'test', text: words.join(' ') };
  };
  const node = or();
  // Unbalanced closing parentheses: read what follows as further alternatives.
  if (position < tokens.length) {
    position++;
    return { kind: 'or', parts: [node, parse(tokens.slice(position))] };
  }
  return node;
}

const QUOTED = String.raw`"((?:[^"\\]|\\.)*)"`;
const LIST = String.raw`\[([^\]]*)\]`;

/** Read the strings of a CEL list such as `"push", "pull_request"`. */
function listItems(text: string): string[] {
  return [...text.matchAll(new RegExp(QUOTED, 'g'))].map(
    (match) => JSON.parse(`"${match[1]}"`) as string,
  );
}

/** Read what one test requires, e.g. `event == "push"` or `target_branch.startsWith("release-")`. */
function readTest(text: string): CelTrigger {
  const values = (variable: string): string[] | undefined => {
    const equals = new RegExp(String.raw`^${variable}\s*==\s*${QUOTED}$`).exec(text);
    const reversed = new RegExp(String.raw`^${QUOTED}\s*==\s*${variable}$`).exec(text);
    const inList = new RegExp(String.raw`^${variable}\s+in\s*${LIST}$`).exec(text);
    const match = equals ?? reversed;
    if (match) return listItems(`"${match[1]}"`);
    return inList ? listItems(inList[1]!) : undefined;
  };
  const events = values('event');
  if (events) return { events };
  const branches = values('target_branch');
  if (branches) return { branches };
  const prefix = new RegExp(
    String.raw`^target_branch\s*\.\s*startsWith\s*\(\s*${QUOTED}\s*\)$`,
  ).exec(text);
  return prefix ? { branches: listItems(`"${prefix[1]}"`).map((value) => `${value}*`) } : {};
}

/** Tell whether a branch name matches a name or a "prefix*" pattern. */
function matchesBranch(name: string, pattern: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

function intersect(
  a: string[] | undefined,
  b: string[] | undefined,
  matches: (x: string, y: string) => boolean,
): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  return [
    ...new Set([
      ...a.filter((x) => b.some((y) => matches(x, y))),
      ...b.filter((y) => a.some((x) => matches(y, x))),
    ]),
  ];
}

const key = (trigger: CelTrigger) => JSON.stringify([trigger.events, trigger.branches]);

function unique(triggers: CelTrigger[]): CelTrigger[] {
  return [...new Map(triggers.map((trigger) => [key(trigger), trigger])).values()];
}

/** Most clauses kept; past it, an expression is read as matching anything. */
const MAX_CLAUSES = 256;

function clauses(node: Node): CelTrigger[] {
  switch (node.kind) {
    case 'test':
      return [readTest(node.text)];
    case 'not':
      return [{}];
    case 'or':
      return unique(node.parts.flatMap(clauses));
    case 'and': {
      let result: CelTrigger[] = [{}];
      for (const part of node.parts) {
        const next: CelTrigger[] = [];
        for (const left of result)
          for (const right of clauses(part)) {
            const events = intersect(left.events, right.events, (x, y) => x === y);
            const branches = intersect(left.branches, right.branches, matchesBranch);
            if (events?.length === 0 || branches?.length === 0) continue; // cannot match
            const merged: CelTrigger = {};
            if (events) merged.events = events;
            if (branches) merged.branches = branches;
            next.push(merged);
          }
        result = unique(next);
        if (result.length > MAX_CLAUSES) return [{}];
      }
      return result;
    }
  }
}

/** Read the clauses of a CEL expression: each says which events and target branches it requires. */
export function celTriggers(expression: string): CelTrigger[] {
  return clauses(parse(tokenize(expression)));
}

/**
 * Extract the events and target branches of a Pipelines-as-Code CEL expression, e.g.
 * `event == "push" && target_branch == "main"`, in the order they appear. Equality tests, `in [...]`
 * lists and `target_branch.startsWith("prefix")` (read as "prefix*") count; a negated test, or one
 * inside a call such as pathChanged() or files.all.exists(), constrains nothing.
 */
export function parseCelTriggers(expression: string): { event?: string; branch?: string } {
  const triggers = celTriggers(expression);
  const events = [...new Set(triggers.flatMap((trigger) => trigger.events ?? []))];
  const branches = [...new Set(triggers.flatMap((trigger) => trigger.branches ?? []))];
  const result: { event?: string; branch?: string } = {};
  if (events.length > 0) result.event = events.join(', ');
  if (branches.length > 0) result.branch = branches.join(', ');
  return result;
}
