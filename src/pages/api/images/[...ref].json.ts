/** GET /api/images/<registry>/<repository>.json: one image with every tracked tag, as on its page. */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getSiteData } from '../../../loaders/site-data.ts';
import { exportImage, jsonResponse } from '../../../site/index.ts';
import { listImages, type ImageView } from '../../../site/index.ts';

export const getStaticPaths = (async () => {
  const data = await getSiteData();
  return listImages(data).map((view) => ({ params: { ref: view.ref }, props: { view } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
  jsonResponse(exportImage((props as { view: ImageView }).view));
