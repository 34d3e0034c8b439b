/** GET /feeds/handover.xml: an Atom feed of the catalog's state and owner changes, newest first. */
import type { APIRoute } from 'astro';
import { getSiteData } from '../../loaders/site-data.ts';
import { handoverFeed, loadCatalogHistory } from '../../site/index.ts';
import { readSiteConfig } from '../../site-config.ts';

export const GET: APIRoute = async () => {
  const config = readSiteConfig();
  const feed = handoverFeed(
    (await getSiteData()).catalog,
    loadCatalogHistory(config.catalogDir),
    config.siteUrl,
  );
  return new Response(feed, { headers: { 'content-type': 'application/atom+xml; charset=utf-8' } });
};
