/** GET /api/owners.json: every owner with what it owns and takes over, the orphans, and the audit. */
import type { APIRoute } from 'astro';
import { getSiteData } from '../../loaders/site-data.ts';
import { exportOwners, jsonResponse } from '../../site/index.ts';

export const GET: APIRoute = async () => jsonResponse(exportOwners(await getSiteData()));
