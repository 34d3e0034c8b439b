/**
 * An Atom feed of image builds: one entry per build (digest) of a tracked tag, newest first, so a
 * feed reader shows when a new base image or a rebuilt variant appears. Entry ids are stable: the
 * repository and digest, so a build seen again is not a new entry. A feed of sample data says so in
 * its title and in every entry, so that a reader never takes a fixture build for a real one.
 */
import { formatPlatform, groupTagsByDigest, listImages } from './images.ts';
import { imagePath } from './links.ts';
import { escapeXml } from '../utils/xml.ts';
import type { SiteData } from './views.ts';

/** Write the Atom feed of the newest `limit` image builds. */
export function imageBuildsFeed(data: SiteData, siteUrl: string | undefined, limit = 100): string {
  // Without a public URL (IMAGE_MODE_SITE), links are relative to the feed and its id is a URN.
  const site = (siteUrl ?? '').replace(/\/$/, '');
  const feedId = siteUrl ? `${site}/feeds/images.xml` : 'urn:image-mode-hub:feeds:images';
  const entries = listImages(data)
    .flatMap((view) => groupTagsByDigest(view.snapshot.tags).map((group) => ({ view, group })))
    .filter(({ group }) => group.created !== null)
    .sort(
      (a, b) =>
        b.group.created!.localeCompare(a.group.created!) || a.view.ref.localeCompare(b.view.ref),
    )
    .slice(0, limit);
  const updated = entries[0]?.group.created ?? data.images?.generatedAt ?? '1970-01-01T00:00:00Z';
  const sample = data.images?.sample ?? false;
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>Image Mode Hub: new image builds${sample ? ' (sample data, not real builds)' : ''}</title>`,
    `  <id>${escapeXml(feedId)}</id>`,
    `  <link rel="self" href="${escapeXml(`${site}/feeds/images.xml`)}"/>`,
    `  <link rel="alternate" href="${escapeXml(`${site}/images/`)}"/>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    '  <author><name>Image Mode Hub</name></author>',
  ];
  for (const { view, group } of entries) {
    const title = `${sample ? '[Sample] ' : ''}${view.image.title ?? view.ref}: ${group.tags.join(', ')}`;
    const platforms = group.platforms.map(formatPlatform).join(', ');
    const summary = `${view.ref}:${group.tags[0]} is ${group.digest}, built ${group.created}, for ${platforms || 'no known platform'}${group.basedOn ? `, based on ${group.basedOn.ref}` : ''}.${sample ? ' Sample data from a local fixture registry, not a build that quay.io or ghcr.io serves.' : ''}`;
    lines.push(
      '  <entry>',
      `    <title>${escapeXml(title)}</title>`,
      `    <id>${escapeXml(`urn:image-mode-hub:${view.ref}@${group.digest}`)}</id>`,
      `    <link href="${escapeXml(`${site}${imagePath(view.ref)}`)}"/>`,
      `    <updated>${escapeXml(group.created!)}</updated>`,
      `    <summary>${escapeXml(summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
