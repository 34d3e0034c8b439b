/**
 * quay.io's REST tag API: one request per 100 tags gives every tag with its manifest digest, which
 * saves the HEAD per tag of the v2 API. Used only for the real quay.io; the v2 API is the fallback.
 * @see https://docs.quay.io/api/swagger/ (endpoints/api/tag.py)
 */
import { z } from 'zod';
import { readJsonBody } from './json.ts';
import { RegistryError, type Transport } from './transport.ts';

export const QUAY_HOST = 'quay.io';
const MAX_PAGES = 50;

/** A page of quay's tag API: tags without a name or digest are skipped. */
const QuayTagPageSchema = z.object({
  tags: z.array(z.object({ name: z.string(), manifest_digest: z.string() }).nullable().catch(null)),
  has_additional: z.boolean().catch(false),
});

/** List the active tags of a quay.io repository with their manifest digests. */
export async function listQuayTags(
  transport: Transport,
  repository: string,
  base = 'https://quay.io',
): Promise<Array<{ name: string; digest: string }>> {
  const out: Array<{ name: string; digest: string }> = [];
  const target = { repository: `${QUAY_HOST}/${repository}` };
  for (let page = 1; page <= MAX_PAGES; page++) {
    const url = new URL(`/api/v1/repository/${repository}/tag/`, base);
    url.searchParams.set('onlyActiveTags', 'true');
    url.searchParams.set('limit', '100');
    url.searchParams.set('page', String(page));
    const response = await transport.request({
      method: 'GET',
      url,
      accept: 'application/json',
      body: 'tags',
      what: `list tags of quay.io/${repository} (REST)`,
      target,
    });
    if (response.status !== 200)
      throw new RegistryError(`quay.io REST answered ${response.status}`, {
        status: response.status,
        target,
      });
    const read = readJsonBody(response.body, QuayTagPageSchema);
    if (!read.ok) {
      throw new RegistryError(
        read.reason === 'not JSON'
          ? 'quay.io REST answered something that is not JSON'
          : 'quay.io REST answered without a tag list',
        { status: response.status, target, cause: read.cause },
      );
    }
    for (const tag of read.data.tags)
      if (tag) out.push({ name: tag.name, digest: tag.manifest_digest });
    if (!read.data.has_additional) return out;
  }
  return out;
}
