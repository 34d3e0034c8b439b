/** GET /api/images.json: every image with its catalog facts and what the registries serve. */
import type { APIRoute } from 'astro';
import { getSiteData } from '../../loaders/site-data.ts';
import { exportImages, jsonResponse } from '../../site/index.ts';

export const GET: APIRoute = async () => jsonResponse(exportImages(await getSiteData()));
