/** GET /feeds/images.xml: an Atom feed of image builds, newest first, one entry per build of a tag. */
import type { APIRoute } from 'astro';
import { getSiteData } from '../../loaders/site-data.ts';
import { imageBuildsFeed } from '../../site/index.ts';
import { readSiteConfig } from '../../site-config.ts';

export const GET: APIRoute = async () =>
  new Response(imageBuildsFeed(await getSiteData(), readSiteConfig().siteUrl), {
    headers: { 'content-type': 'application/atom+xml; charset=utf-8' },
  });
