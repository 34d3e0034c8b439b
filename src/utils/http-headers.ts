/**
 * HTTP response headers both HTTP layers read (the registry transport and the forges' client):
 * `Link` pagination and `Retry-After`.
 * @see https://www.rfc-editor.org/rfc/rfc8288 (Link)
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */

/** One `; name=value` parameter of a link, the value quoted or not. */
const LINK_PARAM = /;\s*([^\s;=,]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;,]*)))?/g;

/**
 * Find the `rel="next"` target of a `Link` header, resolved against the URL of the request that got
 * it. Lenient as registries and forges are: several links, `rel` among other parameters, quoted or
 * unquoted, `next` among several relations (`rel="next last"`). A target that is not a URL counts
 * as absent.
 */
export function parseNextLink(
  header: string | null | undefined,
  requestUrl: string | URL,
): URL | undefined {
  if (!header) return undefined;
  // Split between link-values only: a comma may stand inside a URL or a quoted parameter.
  for (const value of header.split(/,(?=\s*<)/)) {
    const link = /^\s*<([^>]*)>(.*)$/s.exec(value);
    if (!link) continue;
    for (const [, name, quoted, bare] of link[2]!.matchAll(LINK_PARAM)) {
      if (name!.toLowerCase() !== 'rel') continue;
      const relations = (quoted ?? bare ?? '').toLowerCase().split(/\s+/);
      if (!relations.includes('next')) break;
      try {
        return new URL(link[1]!, requestUrl);
      } catch {
        break;
      }
    }
  }
  return undefined;
}

/**
 * Read `Retry-After` (delay in seconds, or an HTTP date) as milliseconds from `now`; undefined when
 * the header is absent or unreadable, never negative (a date in the past means "now").
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  // Only a date has letters (a weekday or month name); Date.parse alone would read "5" as a year.
  if (!/[a-z]/i.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
