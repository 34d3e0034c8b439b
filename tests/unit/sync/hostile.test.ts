/**
 * The sync keeps what a registry or forge says within bounds before it reaches the snapshot: an
 * error message of megabytes becomes a short one, and the other records keep their data.
 */
import { describe, expect, it } from 'vitest';
import { syncImages } from '../../../src/sync/images.ts';
import { syncRepos } from '../../../src/sync/repos.ts';
import type { RegistryClient } from '../../../src/registry/client.ts';
import type { ForgeRegistry } from '../../../src/forges/config.ts';
import type { Forge } from '../../../src/forges/forge.ts';
import { catalogOf } from '../../helpers/image-catalog.ts';
import { makeCatalog } from '../../fixtures/forges/small.ts';

const HUGE = `The registry says: ${'x'.repeat(200_000)}`;

describe('error texts in the snapshot', () => {
  it('are cut to 1,000 characters for an image, and the other images keep their data', async () => {
    const catalog = catalogOf([
      { ref: 'r.example/ns/loud', role: 'base', streams: [{ name: 'all', tags: ['44'] }] },
      { ref: 'r.example/ns/quiet', role: 'base', streams: [{ name: 'all', tags: ['44'] }] },
    ]);
    const client = {
      listTags: async (repo: { repository: string }) => {
        if (repo.repository === 'ns/loud') throw new Error(HUGE);
        return { tags: [], signatures: new Map(), invalid: [] };
      },
      flush: async () => {},
    } as unknown as RegistryClient;
    const snapshot = await syncImages(catalog, undefined, { client });
    const loud = snapshot.images.find((image) => image.ref === 'r.example/ns/loud')!;
    expect(loud.error).toHaveLength(1000);
    expect(loud.error).toMatch(/^The registry says: x+… \[truncated\]$/);
    const quiet = snapshot.images.find((image) => image.ref === 'r.example/ns/quiet')!;
    expect([quiet.status, quiet.error]).toEqual(['live', undefined]);
  });

  it('are cut to 1,000 characters for a repository, in the snapshot and in the log', async () => {
    const catalog = makeCatalog(
      [{ id: 'sig', name: 'SIG' }],
      [
        {
          id: 'sub',
          name: 'Sub',
          summary: 'A subproject.',
          sigs: ['sig'],
          repos: [
            { url: 'https://gitlab.com/ns/loud', role: 'source' },
            { url: 'https://gitlab.com/ns/quiet', role: 'source' },
          ],
        },
      ],
    );
    const forge: Forge = {
      kind: 'gitlab',
      host: 'gitlab.com',
      getRepoFacts: async (repo) => {
        if (repo.name === 'loud') throw new Error(HUGE);
        return null;
      },
      listOwners: async () => [],
      listTektonFiles: async () => [],
    };
    const forges: ForgeRegistry = {
      forgeFor: () => forge,
      isAuthenticated: () => true,
      github: { requests: 0, notModified: 0 },
      withBudget: (_repo, work) => work(),
    };
    const warnings: string[] = [];
    const snapshot = await syncRepos(catalog, undefined, {
      forges,
      log: { info: () => {}, warn: (message) => warnings.push(message) },
    });
    const loud = snapshot.repos.find((repo) => repo.url.endsWith('/loud'))!;
    expect(loud.error).toHaveLength(1000);
    expect(loud.error).toMatch(/^The registry says: x+… \[truncated\]$/);
    expect(warnings.every((line) => line.length < 1100)).toBe(true);
    const quiet = snapshot.repos.find((repo) => repo.url.endsWith('/quiet'))!;
    expect([quiet.status, quiet.error]).toEqual(['live', undefined]);
  });
});
