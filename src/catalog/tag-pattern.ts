/**
 * Tag patterns of the catalog's streams: `<version>.<date>.<n>` and friends, compiled to anchored
 * regular expressions, and stream selection (exact tags, pattern matches, keep newest N).
 */
import type { Stream } from './schema.ts';
import { compareVersions } from '../registry/tags.ts';

/** What each placeholder matches. */
export const PLACEHOLDERS: Record<string, string> = {
  version: '(?:\\d+|rawhide)',
  major: '\\d+',
  date: '(?:19|20)\\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01])',
  n: '\\d+',
  arch: '(?:x86_64|amd64|aarch64|arm64|ppc64le|s390x|riscv64|armv7|arm)',
  sha: '[0-9a-f]{7,64}',
  any: '[A-Za-z0-9._-]+?',
};

/** A pattern that does not compile. */
export class TagPatternError extends Error {
  override name = 'TagPatternError';
}

/** The longest tag pattern: a tag itself has at most 128 characters. */
const MAX_PATTERN_LENGTH = 128;

/**
 * Compile a tag pattern such as `<version>.<date>.<n>` to an anchored regular expression. A pattern
 * may hold one `<any>` at most: two of them, side by side or apart, let the regular expression try
 * every way of splitting a tag between them, which grows with the tag's length to the power of
 * their number, and a registry lists thousands of tags.
 */
export function compileTagPattern(pattern: string): RegExp {
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new TagPatternError(
      `Tag pattern "${pattern.slice(0, 40)}…" has ${pattern.length} characters; a tag has at most ${MAX_PATTERN_LENGTH}, so a pattern needs no more.`,
    );
  const anyCount = pattern.split('<any>').length - 1;
  if (anyCount > 1)
    throw new TagPatternError(
      `Tag pattern "${pattern}" has ${anyCount} <any> placeholders; use one at most, and the specific ones (<version> <date> <n> <arch> <sha>) for the rest.`,
    );
  let source = '';
  let rest = pattern;
  while (rest.length > 0) {
    const open = rest.indexOf('<');
    if (open === -1) {
      source += escape(rest);
      break;
    }
    source += escape(rest.slice(0, open));
    const close = rest.indexOf('>', open);
    if (close === -1) throw new TagPatternError(`Tag pattern "${pattern}" has a "<" without ">".`);
    const name = rest.slice(open + 1, close);
    const placeholder = PLACEHOLDERS[name];
    if (!placeholder) {
      throw new TagPatternError(
        `Tag pattern "${pattern}" has an unknown placeholder <${name}>; use one of ${Object.keys(
          PLACEHOLDERS,
        )
          .map((p) => `<${p}>`)
          .join(' ')}.`,
      );
    }
    source += placeholder;
    rest = rest.slice(close + 1);
  }
  return new RegExp(`^${source}$`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Select the tags of a stream from a repository's tags (in version order): its exact `tags` that
 * exist, and the newest `keep` tags matching `match`.
 */
export function selectStreamTags(stream: Stream, tags: readonly string[]): string[] {
  const available = new Set(tags);
  const selected = new Set<string>();
  for (const tag of stream.tags ?? []) if (available.has(tag)) selected.add(tag);
  if (stream.match !== undefined) {
    const re = compileTagPattern(stream.match);
    const matching = tags.filter((tag) => re.test(tag)).sort(compareVersions);
    for (const tag of matching.slice(-stream.keep)) selected.add(tag);
  }
  return [...selected].sort(compareVersions);
}

/** Select the tags of all streams; return tag → names of the streams that selected it. */
export function selectTags(
  streams: readonly Stream[],
  tags: readonly string[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const stream of streams) {
    for (const tag of selectStreamTags(stream, tags)) {
      const names = out.get(tag) ?? [];
      names.push(stream.name);
      out.set(tag, names);
    }
  }
  return new Map(
    [...out.entries()]
      .sort(([a], [b]) => compareVersions(a, b))
      .map(([tag, names]) => [tag, [...new Set(names)].sort()]),
  );
}
