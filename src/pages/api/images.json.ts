/** GET /api/images.json: every image in brief (status, tag count, newest tags, platforms), with the URL of its full file. */
import type { APIRoute } from 'astro';
import { getSiteData } from '../../loaders/site-data.ts';
import { exportImages, jsonResponse } from '../../site/index.ts';

export const GET: APIRoute = async () => jsonResponse(exportImages(await getSiteData()));
