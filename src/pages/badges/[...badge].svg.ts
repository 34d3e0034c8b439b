/** GET /badges/<registry>/<repository>.svg and /badges/<registry>/<repository>/<stream>.svg: a status badge. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getSiteData } from '../../loaders/site-data.ts';
import { imageBadges, listImages, renderBadge, type Badge } from '../../site/index.ts';
import { buildNow } from '../../utils/clock.ts';

export const getStaticPaths = (async () => {
  const data = await getSiteData();
  const now = buildNow();
  return listImages(data).flatMap((view) =>
    imageBadges(view, now).map((target) => ({
      params: { badge: target.param },
      props: { badge: target.badge },
    })),
  );
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
  new Response(renderBadge((props as { badge: Badge }).badge), {
    headers: { 'Content-Type': 'image/svg+xml; charset=utf-8' },
  });
