import { describe, expect, it } from 'vitest';
import { firstSentence, summarizeSubprojects } from '../../../src/site/subprojects.ts';
import { fixtureData } from '../../helpers/site-data.ts';

describe('subprojects', () => {
  it('cuts a summary down to its first sentence', () => {
    expect(firstSentence('The base images. Built in Konflux.')).toBe('The base images.');
    expect(firstSentence('The base images.')).toBe('The base images.');
  });

  it('sums up each subproject: owning SIGs, images by data status, deliverables by state', async () => {
    const data = await fixtureData();
    expect(
      summarizeSubprojects(data).map((row) => ({
        id: row.subproject.id,
        sigs: row.sigs.map((sig) => sig.name),
        images: row.images,
        stale: row.statuses.stale,
        owned: row.states.owned,
      })),
    ).toEqual([
      { id: 'base', sigs: ['bootc base images team'], images: 1, stale: 0, owned: 0 },
      { id: 'coreos', sigs: ['Fedora CoreOS Working Group'], images: 1, stale: 1, owned: 1 },
    ]);
  });
});
