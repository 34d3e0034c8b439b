/**
 * Tag lists: validation, version order, and the split between tags people pull and cosign
 * signature/attestation tags (`sha256-<hex>.sig|.att|.sbom`, and the referrers fallback tag
 * `sha256-<hex>`).
 * @see https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
 */
import { isValidTag } from './reference.ts';

/** Tag and signature facts of a repository. */
export interface TagSplit {
  /** Tags people pull, in version order. */
  tags: string[];
  /** Signature-scheme tags by the digest they are about: `sha256:<hex>` → {sig, att, sbom, fallback}. */
  signatures: Map<string, { sig: boolean; att: boolean; sbom: boolean; fallback: boolean }>;
  /**
   * Names refused for being outside the tag grammar `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}` (a name
   * like `44;rm -rf ~` would otherwise reach the commands the pages show).
   */
  invalid: string[];
}

const SIGNATURE_TAG = /^(sha256|sha512)-([a-f0-9]{64}|[a-f0-9]{128})(?:\.(sig|att|sbom))?$/;

/** Split a raw tag list: drop nulls and invalid names, separate signature tags, sort the rest. */
export function splitTags(raw: unknown[]): TagSplit {
  const tags = new Set<string>();
  const signatures: TagSplit['signatures'] = new Map();
  const invalid: string[] = [];
  for (const value of raw) {
    if (typeof value !== 'string') continue;
    if (!isValidTag(value)) {
      invalid.push(value);
      continue;
    }
    const sig = SIGNATURE_TAG.exec(value);
    if (sig) {
      const digest = `${sig[1]}:${sig[2]}`;
      let facts = signatures.get(digest);
      if (!facts)
        signatures.set(digest, (facts = { sig: false, att: false, sbom: false, fallback: false }));
      if (sig[3] === 'sig') facts.sig = true;
      else if (sig[3] === 'att') facts.att = true;
      else if (sig[3] === 'sbom') facts.sbom = true;
      else facts.fallback = true;
      continue;
    }
    tags.add(value);
  }
  return { tags: [...tags].sort(compareVersions), signatures, invalid };
}

/** Describe the names {@link splitTags} refused, for a warning; undefined when there were none. */
export function describeInvalidTags(
  invalid: readonly string[],
  repository: string,
): string | undefined {
  if (invalid.length === 0) return undefined;
  const one = invalid.length === 1;
  // Quoted as JSON, so that control characters in a name cannot reach the terminal.
  const example = JSON.stringify(invalid[0]!.slice(0, 60));
  return `Dropped ${invalid.length} tag ${one ? 'name' : 'names'} of ${repository} that ${one ? 'is not a valid tag' : 'are not valid tags'} ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}), e.g. ${example}.`;
}

/** Split a string into runs of digits (as numbers) and runs of other characters. */
function tokens(text: string): Array<number | string> {
  return (text.match(/\d+|[^\d]+/g) ?? []).map((t) => (/^\d/.test(t) ? Number(t) : t));
}

/**
 * Compare tags in version order: digit runs numerically, other runs by code point, a number before
 * a word (so `rawhide` sorts after `45`), a shorter prefix first. Ties fall back to plain order.
 */
export function compareVersions(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i]!;
    const y = tb[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    // Separators: "." ranks below "-" below letters, so 44.1 < 44-beta? keep code points.
    return x < y ? -1 : 1;
  }
  if (ta.length !== tb.length) return ta.length - tb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
