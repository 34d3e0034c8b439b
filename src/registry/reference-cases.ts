/**
 * Reference test vectors: run parseReference over the cases of distribution/reference and
 * containers/image (a JSON list of input, expected verdict and expected parts) and tell which
 * verdicts and parts it gets right.
 *
 * Pure: cases in, verdicts out.
 */
import { formatReference, formatRepository, parseReference, type Reference } from './reference.ts';

/** One test vector, as the upstream test tables give it. */
export interface ReferenceCase {
  input: string;
  valid: boolean;
  /** "parse", "normalized", "name-regexp" or "ref-regexp": which upstream function the case tests. */
  kind: string;
  /** The upstream Go test the case comes from, e.g. "TestReferenceParse". */
  test: string;
  upstreams?: string[];
  /** Expected name as written, for the "parse" cases. */
  repository?: string | null;
  tag?: string;
  digest?: string;
  /** Expected host and path after normalisation (docker.io, library/). */
  domain?: string;
  path?: string;
  /** Expected canonical form, e.g. "docker.io/library/redis:latest". */
  canonical?: string;
  /** Expected Docker reference: the canonical form with ":latest" when there is neither tag nor digest. */
  dockerref?: string;
  /** Regular-expression captures: [domain, path] for names, [name, tag, digest] for references. */
  subs?: string[];
}

/** A case whose upstream verdict this parser does not follow on purpose, with why. */
export interface ReferenceDivergence {
  test: string;
  input: string;
  reason: string;
}

/** What the parser got right and wrong over a list of cases. */
export interface ReferenceCheck {
  right: number;
  /** One line per wrong case: the test, the input and what differs. */
  wrong: string[];
  /** One line per declared divergence that the parser indeed diverges on. */
  divergent: string[];
}

function tryParse(input: string): Reference | Error {
  try {
    return parseReference(input);
  } catch (error) {
    return error as Error;
  }
}

function shorten(input: string): string {
  return input.length > 60 ? `${input.slice(0, 40)}…(${input.length} characters)` : input;
}

/** Compare one case with what parseReference makes of its input; undefined when it agrees. */
export function compareReferenceCase(testCase: ReferenceCase): string | undefined {
  const parsed = tryParse(testCase.input);
  const nameOnly = testCase.kind === 'name-regexp';
  if (!testCase.valid) {
    if (parsed instanceof Error) return undefined;
    if (nameOnly && (parsed.tag !== undefined || parsed.digest !== undefined)) return undefined;
    return `accepted as ${shorten(formatReference(parsed))}, expected invalid`;
  }
  if (parsed instanceof Error) return `rejected (${parsed.message}), expected valid`;
  if (nameOnly && (parsed.tag !== undefined || parsed.digest !== undefined))
    return `read as a reference with a tag or digest (${formatReference(parsed)}), expected a name`;
  const differences: string[] = [];
  const expectSame = (what: string, actual: string, expected: string) => {
    if (actual !== expected) differences.push(`${what} "${actual}", expected "${expected}"`);
  };
  const sameName = (what: string, name: string) => {
    const expected = tryParse(name);
    if (expected instanceof Error) differences.push(`expected ${what} "${name}" does not parse`);
    else expectSame(what, formatRepository(parsed), formatRepository(expected));
  };
  if (testCase.kind === 'parse' && typeof testCase.repository === 'string') {
    sameName('name', testCase.repository);
    expectSame('tag', parsed.tag ?? '', testCase.tag ?? '');
    expectSame('digest', parsed.digest ?? '', testCase.digest ?? '');
  }
  if (testCase.domain !== undefined) expectSame('host', parsed.host, testCase.domain);
  if (testCase.path !== undefined) expectSame('repository', parsed.repository, testCase.path);
  if (testCase.canonical !== undefined)
    expectSame('canonical form', formatReference(parsed), testCase.canonical);
  if (testCase.dockerref !== undefined) {
    const repository = formatRepository(parsed);
    const dockerReference = parsed.digest
      ? `${repository}@${parsed.digest}`
      : `${repository}:${parsed.tag ?? 'latest'}`;
    expectSame('Docker reference', dockerReference, testCase.dockerref);
  }
  if (testCase.kind === 'ref-regexp' && testCase.subs?.length === 3) {
    const [name, tag, digest] = testCase.subs as [string, string, string];
    sameName('name', name);
    expectSame('tag', parsed.tag ?? '', tag);
    expectSame('digest', parsed.digest ?? '', digest);
  }
  return differences.length > 0 ? differences.join('; ') : undefined;
}

/** Run every case; a declared divergence counts apart, and is wrong only when the parser follows upstream after all. */
export function checkReferenceCases(
  cases: readonly ReferenceCase[],
  divergences: readonly ReferenceDivergence[] = [],
): ReferenceCheck {
  const result: ReferenceCheck = { right: 0, wrong: [], divergent: [] };
  for (const testCase of cases) {
    const difference = compareReferenceCase(testCase);
    const where = `${testCase.test} "${shorten(testCase.input)}"`;
    const divergence = divergences.find(
      (entry) => entry.test === testCase.test && entry.input === testCase.input,
    );
    if (divergence) {
      if (difference) result.divergent.push(`${where}: ${difference} (${divergence.reason})`);
      else
        result.wrong.push(
          `${where}: declared as a divergence but the parser agrees with upstream; remove it from the expectations`,
        );
    } else if (difference) result.wrong.push(`${where}: ${difference}`);
    else result.right++;
  }
  return result;
}
