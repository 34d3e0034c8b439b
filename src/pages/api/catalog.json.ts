/** GET /api/catalog.json: the validated catalog (initiative, SIGs, subprojects), for tools that build on it. */
import type { APIRoute } from 'astro';
import { getSiteData } from '../../loaders/site-data.ts';
import { exportCatalog, jsonResponse } from '../../site/index.ts';

export const GET: APIRoute = async () => jsonResponse(exportCatalog(await getSiteData()));
