/** GET /api/catalog.json: the validated catalog (initiative, SIGs, subprojects), for tools that build on it. */
import type { APIRoute } from 'astro';
import { getSiteData } from '../../loaders/site-data.ts';
import { jsonResponse } from '../../site/index.ts';

export const GET: APIRoute = async () => {
  const { catalog } = await getSiteData();
  return jsonResponse({ schemaVersion: 1, ...catalog });
};
