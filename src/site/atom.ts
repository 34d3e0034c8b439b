/** Atom feeds of the site: the one writer behind /feeds/images.xml and /feeds/handover.xml. */
import { escapeXml } from '../utils/xml.ts';

/** One entry of a feed; `link` is a path on this site. */
export interface AtomEntry {
  title: string;
  id: string;
  link: string;
  updated: string;
  author?: string | undefined;
  summary: string;
}

/**
 * A feed at `path` (e.g. "/feeds/images.xml") about the page at `alternate` (e.g. "/images/"); these
 * and the entries' links are site paths with the base already in them (links.ts, base.ts).
 */
export interface AtomFeed {
  path: string;
  alternate: string;
  title: string;
  subtitle?: string | undefined;
  updated: string;
  entries: readonly AtomEntry[];
}

/**
 * Write a feed as Atom XML. Without a public URL of the site (IMAGE_MODE_SITE) the links are
 * relative and the feed's id is a URN named after the feed's file.
 */
export function writeAtomFeed(feed: AtomFeed, siteUrl: string | undefined): string {
  // A site path already holds the base, so it is resolved against the site's origin: an
  // IMAGE_MODE_SITE written with the base (https://owner.github.io/repo/) does not double it.
  const absolute = (path: string) => (siteUrl ? new URL(path, siteUrl).href : path);
  const name = feed.path.replace(/^.*\//, '').replace(/\.xml$/, '');
  const feedId = siteUrl ? absolute(feed.path) : `urn:image-mode-hub:feeds:${name}`;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${escapeXml(feed.title)}</title>`,
    `  <id>${escapeXml(feedId)}</id>`,
    `  <link rel="self" href="${escapeXml(absolute(feed.path))}"/>`,
    `  <link rel="alternate" href="${escapeXml(absolute(feed.alternate))}"/>`,
    `  <updated>${escapeXml(feed.updated)}</updated>`,
    '  <author><name>Image Mode Hub</name></author>',
  ];
  if (feed.subtitle !== undefined) lines.push(`  <subtitle>${escapeXml(feed.subtitle)}</subtitle>`);
  for (const entry of feed.entries) {
    lines.push(
      '  <entry>',
      `    <title>${escapeXml(entry.title)}</title>`,
      `    <id>${escapeXml(entry.id)}</id>`,
      `    <link href="${escapeXml(absolute(entry.link))}"/>`,
      `    <updated>${escapeXml(entry.updated)}</updated>`,
    );
    if (entry.author !== undefined)
      lines.push(`    <author><name>${escapeXml(entry.author)}</name></author>`);
    lines.push(`    <summary>${escapeXml(entry.summary)}</summary>`, '  </entry>');
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
