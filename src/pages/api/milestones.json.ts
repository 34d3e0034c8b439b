/** GET /api/milestones.json: each milestone with its criteria evaluated against the snapshot. */
import type { APIRoute } from 'astro';
import { getSiteData } from '../../loaders/site-data.ts';
import { exportMilestones, jsonResponse } from '../../site/index.ts';
import { buildNow } from '../../utils/clock.ts';

export const GET: APIRoute = async () =>
  jsonResponse(exportMilestones(await getSiteData(), buildNow()));
