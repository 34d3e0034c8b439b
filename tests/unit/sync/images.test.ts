import { describe, expect, it } from 'vitest';
import { HISTORY_LENGTH, historyOf, updateHistory } from '../../../src/sync/images.ts';
import { assessImages, imageFailed } from '../../../src/snapshot/status.ts';
import type { ImageSnapshot, ImagesSnapshot } from '../../../src/snapshot/schema.ts';

const d = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

describe('updateHistory', () => {
  it('prepends a new build, keeps an unchanged one, and stays bounded', () => {
    let history = updateHistory([], d(1), null, '2026-11-01T00:00:00.000Z');
    expect(updateHistory(history, d(1), null, '2026-11-02T00:00:00.000Z')).toEqual(history);
    for (let i = 2; i < 20; i++)
      history = updateHistory(history, d(i), null, '2026-11-02T00:00:00.000Z');
    expect(history).toHaveLength(HISTORY_LENGTH);
    expect(history[0]!.digest).toBe(d(19));
  });
});

describe('failure', () => {
  const good: ImageSnapshot = {
    ref: 'quay.io/a/b',
    status: 'live',
    fetchedAt: '2026-11-20T00:00:00.000Z',
    tagCount: 1,
    tags: [],
    mirrors: [],
  };
  it('keeps the last good data marked stale, or says unavailable', () => {
    expect(imageFailed('quay.io/a/b', good, 'boom')).toEqual({
      ...good,
      status: 'stale',
      error: 'boom',
    });
    expect(imageFailed('quay.io/a/b', undefined, 'boom')).toMatchObject({
      status: 'unavailable',
      fetchedAt: null,
      error: 'boom',
      tags: [],
    });
  });
  it('accepts stale data within the allowed age only', () => {
    const snapshot = (image: ImageSnapshot): ImagesSnapshot => ({
      schemaVersion: 1,
      generatedAt: '2026-11-28T00:00:00.000Z',
      sample: false,
      images: [image],
    });
    const now = new Date('2026-11-28T00:00:00Z');
    expect(assessImages(snapshot({ ...good, status: 'stale', error: 'x' }), 14, now).ok).toBe(true);
    expect(assessImages(snapshot({ ...good, status: 'stale', error: 'x' }), 7, now)).toEqual({
      ok: false,
      problems: ['quay.io/a/b: data from 2026-11-20T00:00:00.000Z is older than 7 days (x).'],
    });
    expect(
      assessImages(snapshot(imageFailed('quay.io/a/b', undefined, '404')), 7, now).problems,
    ).toEqual(['quay.io/a/b: no data (404).']);
  });
});

describe('historyOf', () => {
  it('falls back to the current build for a snapshot written before histories existed', () => {
    const tag = {
      name: '44',
      digest: d(1),
      mediaType: 'application/vnd.oci.image.index.v1+json',
      streams: [],
      platforms: [
        {
          os: 'linux',
          architecture: 'amd64',
          digest: d(2),
          created: '2026-11-01T00:00:00.000Z',
          labels: {},
          size: 1,
          layers: 1,
        },
        {
          os: 'linux',
          architecture: 'arm64',
          digest: d(3),
          created: '2026-11-02T00:00:00.000Z',
          labels: {},
          size: 1,
          layers: 1,
        },
      ],
      signatures: { cosign: false, attestation: false, sbom: false, referrers: [] },
    };
    expect(historyOf(tag, '2026-11-28T00:00:00.000Z')).toEqual([
      { digest: d(1), created: '2026-11-02T00:00:00.000Z', seenAt: '2026-11-28T00:00:00.000Z' },
    ]);
  });
});
