/** Text from a registry or forge kept within a length before it reaches the snapshot or a log. */

/** The marker that ends a truncated text. */
export const TRUNCATED = '… [truncated]';

/** Shorten a text to at most `max` characters, ending it with {@link TRUNCATED} when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - TRUNCATED.length))}${TRUNCATED}`;
}
