/**
 * Status badges other sites embed: a flat SVG per image and per stream saying how old the newest
 * build is, on how many platforms, and whether it is signed. Every text is XML-escaped, so a label
 * or a tag name from a registry cannot break out of the SVG.
 */
import type { TagSnapshot } from '../snapshot/index.ts';
import { formatAge } from '../utils/format.ts';
import { escapeXml } from '../utils/xml.ts';
import { withBase } from './base.ts';
import { isSigned, newestCreated, type ImageView } from './images.ts';

/** What a badge says: a label on the left, a message on a colour on the right. */
export interface Badge {
  label: string;
  message: string;
  /** green: fresh and fine; orange: old or unsigned; grey: nothing known. */
  color: 'green' | 'orange' | 'grey';
}

const COLORS: Record<Badge['color'], string> = {
  green: '#1a7f37',
  orange: '#9a4d00',
  grey: '#57606a',
};

/** Estimate the width of a text in 11 px Verdana, the badge font, by the average glyph width. */
function textWidth(text: string): number {
  return Math.round([...text].length * 6.6 + 10);
}

/** Draw a badge as a standalone SVG document. */
export function renderBadge(badge: Badge): string {
  const label = escapeXml(badge.label);
  const message = escapeXml(badge.message);
  const left = textWidth(badge.label);
  const right = textWidth(badge.message);
  const width = left + right;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${label}: ${message}">`,
    `<title>${label}: ${message}</title>`,
    `<rect width="${left}" height="20" fill="#294172"/>`,
    `<rect x="${left}" width="${right}" height="20" fill="${COLORS[badge.color]}"/>`,
    `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">`,
    `<text x="${left / 2}" y="14">${label}</text>`,
    `<text x="${left + right / 2}" y="14">${message}</text>`,
    `</g></svg>`,
  ].join('');
}

/** Sum up a set of tags for a badge: newest build age, platform count, signed or not. */
export function badgeFor(name: string, tags: TagSnapshot[], now: Date): Badge {
  const newest = newestCreated(tags.flatMap((tag) => tag.platforms));
  if (!newest) return { label: name, message: 'no builds fetched', color: 'grey' };
  const newestTag = tags.find((tag) => newestCreated(tag.platforms) === newest)!;
  const signed = isSigned(newestTag.signatures);
  const days = (now.getTime() - Date.parse(newest)) / 86_400_000;
  const platforms = newestTag.platforms.length;
  return {
    label: name,
    message: `built ${formatAge(newest, now)} · ${platforms} platform${platforms === 1 ? '' : 's'} · ${signed ? 'signed' : 'unsigned'}`,
    color: days > 30 ? 'orange' : 'green',
  };
}

/** One badge an image offers: the whole image, or one of its streams. */
export interface BadgeTarget {
  /** Site path of the SVG, under the base: `/badges/quay.io/fedora/fedora-bootc.svg`, `/badges/quay.io/fedora/fedora-bootc/stable.svg`. */
  path: string;
  /** Route parameter of the SVG endpoint (the path without /badges/ and .svg). */
  param: string;
  stream?: string | undefined;
  badge: Badge;
}

/** Turn a stream name into a path segment: `Fedora 44` → `fedora-44`. */
export function streamSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
}

/** List the badges of an image: one for the image, one per stream. */
export function imageBadges(view: ImageView, now: Date): BadgeTarget[] {
  const name = view.image.title ?? view.ref.split('/').pop()!;
  const targets: BadgeTarget[] = [
    {
      param: view.ref,
      path: withBase(`/badges/${view.ref}.svg`),
      badge: badgeFor(name, view.snapshot.tags, now),
    },
  ];
  for (const stream of view.image.streams) {
    const tags = view.snapshot.tags.filter((tag) => tag.streams.includes(stream.name));
    const param = `${view.ref}/${streamSlug(stream.name)}`;
    targets.push({
      param,
      path: withBase(`/badges/${param}.svg`),
      stream: stream.name,
      badge: badgeFor(`${name} ${stream.name}`, tags, now),
    });
  }
  return targets;
}
