/**
 * An Atom feed of image builds: one entry per build (digest) of a tracked tag, newest first, so a
 * feed reader shows when a new base image or a rebuilt variant appears. Entry ids are stable: the
 * repository and digest, so a build seen again is not a new entry. A feed of sample data says so in
 * its title and in every entry, so that a reader never takes a fixture build for a real one.
 */
import { formatPlatform, groupTagsByDigest, listImages } from './images.ts';
import { imagePath } from './links.ts';
import { writeAtomFeed } from './atom.ts';
import { withBase } from './base.ts';
import type { SiteData } from './views.ts';

/** Write the Atom feed of the newest `limit` image builds. */
export function imageBuildsFeed(data: SiteData, siteUrl: string | undefined, limit = 100): string {
  const builds = listImages(data)
    .flatMap((view) => groupTagsByDigest(view.snapshot.tags).map((group) => ({ view, group })))
    .filter(({ group }) => group.created !== null)
    .sort(
      (a, b) =>
        b.group.created!.localeCompare(a.group.created!) || a.view.ref.localeCompare(b.view.ref),
    )
    .slice(0, limit);
  const sample = data.images?.sample ?? false;
  return writeAtomFeed(
    {
      path: withBase('/feeds/images.xml'),
      alternate: withBase('/images/'),
      title: `Image Mode Hub: new image builds${sample ? ' (sample data, not real builds)' : ''}`,
      updated: builds[0]?.group.created ?? data.images?.generatedAt ?? '1970-01-01T00:00:00Z',
      entries: builds.map(({ view, group }) => {
        const platforms = group.platforms.map(formatPlatform).join(', ');
        return {
          title: `${sample ? '[Sample] ' : ''}${view.image.title ?? view.ref}: ${group.tags.join(', ')}`,
          id: `urn:image-mode-hub:${view.ref}@${group.digest}`,
          link: imagePath(view.ref),
          updated: group.created!,
          summary: `${view.ref}:${group.tags[0]} is ${group.digest}, built ${group.created}, for ${platforms || 'no known platform'}${group.basedOn ? `, based on ${group.basedOn.ref}` : ''}.${sample ? ' Sample data from a local fixture registry, not a build that quay.io or ghcr.io serves.' : ''}`,
        };
      }),
    },
    siteUrl,
  );
}
