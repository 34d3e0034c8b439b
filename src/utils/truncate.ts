/** Text from a registry or forge (label values, error messages) kept within a length before it reaches the snapshot or a log. */

/** The marker that ends a truncated text. */
export const TRUNCATED = '… [truncated]';

/** Shorten a text to at most `max` characters, ending it with {@link TRUNCATED} when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - TRUNCATED.length))}${TRUNCATED}`;
}

/** The most characters of an error message kept in the snapshot or written to the log. */
export const MAX_ERROR_LENGTH = 1000;

/** The message of an error (or the text of anything thrown), cut to {@link MAX_ERROR_LENGTH}. */
export function errorText(error: unknown): string {
  return truncateText(error instanceof Error ? error.message : String(error), MAX_ERROR_LENGTH);
}
