/**
 * A small HTML scanner for the link check: it reads start tags and their attributes, skips
 * comments and the raw text of <script>, <style> and <textarea>, and decodes character references
 * in attribute values. Text content is never read, so a code sample that shows `href="/x"` (escaped
 * as `&lt;a href=...`) is not mistaken for a link.
 */

/** A link found in a page: the attribute value as the browser would read it. */
export interface FoundLink {
  /** Element name, lowercase (`a`, `link`, `img`, `script`, ...). */
  tag: string;
  /** Attribute it came from (`href`, `src`, `srcset`). */
  attribute: string;
  /** URL text, entities decoded. */
  url: string;
}

/** What the link check needs from one page: its links and the fragment targets it defines. */
export interface ScannedPage {
  links: FoundLink[];
  /** Values of `id` attributes, and of `name` on <a>, that a `#fragment` can point at. */
  ids: Set<string>;
}

const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title']);
const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decode the character references HTML allows in attribute values. */
export function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X'
          ? parseInt(body.slice(2), 16)
          : parseInt(body.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

/** Split a `srcset` value into its URLs. */
function srcsetUrls(value: string): string[] {
  return value
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter((url) => url !== '');
}

/** Scan one HTML document for its links (href, src, srcset) and fragment targets (id, a[name]). */
export function scanHtml(html: string): ScannedPage {
  const links: FoundLink[] = [];
  const ids = new Set<string>();
  let index = 0;
  while (index < html.length) {
    const open = html.indexOf('<', index);
    if (open === -1) break;
    if (html.startsWith('<!--', open)) {
      const end = html.indexOf('-->', open + 4);
      index = end === -1 ? html.length : end + 3;
      continue;
    }
    const next = html[open + 1] ?? '';
    if (!/[a-zA-Z]/.test(next)) {
      // End tag, doctype, or a stray "<": skip to the end of it.
      const end = html.indexOf('>', open + 1);
      index = end === -1 ? html.length : end + 1;
      continue;
    }
    const nameMatch = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(html.slice(open + 1, open + 64));
    const tag = (nameMatch?.[0] ?? '').toLowerCase();
    let cursor = open + 1 + tag.length;
    const attributes: Array<[string, string]> = [];
    // Attributes: name, optionally followed by = and a quoted or unquoted value.
    while (cursor < html.length) {
      while (cursor < html.length && /[\s/]/.test(html[cursor]!)) cursor++;
      if (cursor >= html.length || html[cursor] === '>') break;
      const nameStart = cursor;
      while (cursor < html.length && !/[\s/>=]/.test(html[cursor]!)) cursor++;
      const name = html.slice(nameStart, cursor).toLowerCase();
      while (cursor < html.length && /\s/.test(html[cursor]!)) cursor++;
      let value = '';
      if (html[cursor] === '=') {
        cursor++;
        while (cursor < html.length && /\s/.test(html[cursor]!)) cursor++;
        const quote = html[cursor];
        if (quote === '"' || quote === "'") {
          const end = html.indexOf(quote, cursor + 1);
          value = html.slice(cursor + 1, end === -1 ? html.length : end);
          cursor = end === -1 ? html.length : end + 1;
        } else {
          const valueStart = cursor;
          while (cursor < html.length && !/[\s>]/.test(html[cursor]!)) cursor++;
          value = html.slice(valueStart, cursor);
        }
      }
      if (name !== '') attributes.push([name, decodeEntities(value)]);
    }
    index = cursor + 1;

    for (const [name, value] of attributes) {
      if (name === 'id' || (name === 'name' && tag === 'a')) {
        if (value !== '') ids.add(value);
      } else if (name === 'href' || name === 'src') {
        if (value.trim() !== '') links.push({ tag, attribute: name, url: value.trim() });
      } else if (name === 'srcset') {
        for (const url of srcsetUrls(value)) links.push({ tag, attribute: name, url });
      }
    }

    if (RAW_TEXT_ELEMENTS.has(tag)) {
      const closing = new RegExp(`</${tag}`, 'gi');
      closing.lastIndex = index;
      const close = closing.exec(html);
      index = close === null ? html.length : close.index;
    }
  }
  return { links, ids };
}
