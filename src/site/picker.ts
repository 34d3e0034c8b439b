/**
 * "Which image should I use?": the needs a reader may have and the images of the catalog that fit
 * each, matched on the image's role and the words its catalog entry uses. Development, CI and tool
 * images are never suggested.
 */
import { featuredTag, imageRoleLabel, type ImageView } from './images.ts';
import type { SiteData } from './views.ts';

/** A need the picker asks about. */
export interface Need {
  id: string;
  question: string;
  /** Tell whether an image fits the need. */
  fits: (view: ImageView, words: string) => boolean;
}

const GAMING = /\b(bazzite|gaming|steam)\b/;
const DESKTOP = /\b(desktop|silverblue|kinoite|atomic|bluefin|aurora|workstation|gnome|kde)\b/;

/** The needs, in the order the page asks them. */
export const NEEDS: Need[] = [
  {
    id: 'server',
    question: 'A server or a container host',
    fits: (view, words) =>
      /\b(coreos|server)\b/.test(words) || (view.image.role === 'base' && !DESKTOP.test(words)),
  },
  {
    id: 'desktop',
    question: 'A desktop or laptop',
    fits: (_view, words) => DESKTOP.test(words) && !GAMING.test(words),
  },
  {
    id: 'edge',
    question: 'An edge or IoT device',
    fits: (_view, words) => /\b(iot|edge)\b/.test(words),
  },
  {
    id: 'gaming',
    question: 'A gaming desktop',
    fits: (_view, words) => GAMING.test(words),
  },
  {
    id: 'build',
    question: 'To build your own image',
    fits: (view) => view.image.role === 'base',
  },
];

/** An image suggested for a need, with who stands behind it and how to switch to it. */
export interface Suggestion {
  view: ImageView;
  owner: string;
  support: string;
  command?: string | undefined;
}

/** Gather the words an image's catalog entry describes it with, lower-cased. */
function imageWords(view: ImageView): string {
  return [view.ref.replaceAll(/[/.-]/g, ' '), view.image.title, view.image.description]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
}

/** List each need with the images that fit it, official images first. */
export function pickImages(
  data: SiteData,
  images: ImageView[],
): { need: Need; suggestions: Suggestion[] }[] {
  const sigNames = new Map(data.catalog.sigs.map((sig) => [sig.id, sig.name]));
  const candidates = images.filter((view) => !['ci', 'tool'].includes(view.image.role));
  return NEEDS.map((need) => ({
    need,
    suggestions: candidates
      .filter((view) => need.fits(view, imageWords(view)))
      .sort((a, b) => Number(b.subproject.official) - Number(a.subproject.official))
      .map((view) => {
        const tag = featuredTag(view.image, view.snapshot);
        return {
          view,
          owner: `${view.subproject.name} (${view.subproject.sigs.map((id) => sigNames.get(id) ?? id).join(', ')})`,
          support: imageRoleLabel(view.image.role),
          command: tag ? `sudo bootc switch ${view.ref}:${tag.name}` : undefined,
        };
      }),
  }));
}
