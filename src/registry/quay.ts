/**
 * quay.io's REST tag API: one request per 100 tags gives every tag with its manifest digest, which
 * saves the HEAD per tag of the v2 API. Used only for the real quay.io; the v2 API is the fallback.
 * @see https://docs.quay.io/api/swagger/ (endpoints/api/tag.py)
 */
import { RegistryError, type Transport } from './transport.ts';

export const QUAY_HOST = 'quay.io';
const MAX_PAGES = 50;

/** List the active tags of a quay.io repository with their manifest digests. */
export async function listQuayTags(
  transport: Transport,
  repository: string,
  base = 'https://quay.io',
): Promise<Array<{ name: string; digest: string }>> {
  const out: Array<{ name: string; digest: string }> = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = new URL(`/api/v1/repository/${repository}/tag/`, base);
    url.searchParams.set('onlyActiveTags', 'true');
    url.searchParams.set('limit', '100');
    url.searchParams.set('page', String(page));
    const response = await transport.request({
      method: 'GET',
      url,
      accept: 'application/json',
      what: `list tags of quay.io/${repository} (REST)`,
    });
    if (response.status !== 200)
      throw new RegistryError(`quay.io REST answered ${response.status}`, response.status);
    const body = JSON.parse(new TextDecoder().decode(response.body)) as {
      tags?: Array<{ name?: unknown; manifest_digest?: unknown }>;
      has_additional?: unknown;
    };
    if (!Array.isArray(body.tags))
      throw new RegistryError('quay.io REST answered without a tag list');
    for (const tag of body.tags) {
      if (typeof tag.name === 'string' && typeof tag.manifest_digest === 'string')
        out.push({ name: tag.name, digest: tag.manifest_digest });
    }
    if (body.has_additional !== true) return out;
  }
  return out;
}
