/** GET /api/images/<registry>/<repository>.json: one image with every tracked tag, as on its page. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { imageStaticPaths } from '../../../loaders/site-data.ts';
import { exportImage, jsonResponse, type ImageView } from '../../../site/index.ts';

export const getStaticPaths = imageStaticPaths satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
  jsonResponse(exportImage((props as { view: ImageView }).view));
