import { describe, expect, it } from 'vitest';
import { behindOf, findBase, prefixLength, type BaseTag } from '../../../src/sync/lineage.ts';
import type { ResolvedImage } from '../../../src/registry/client.ts';

const d = (c: string) => `sha256:${c.repeat(64)}`;
function img(
  digest: string,
  platforms: Array<[string, string[]]>,
  annotations: Record<string, string> = {},
): ResolvedImage {
  return {
    digest,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    annotations,
    platforms: platforms.map(([arch, diffIds]) => ({
      os: 'linux',
      architecture: arch,
      digest,
      created: null,
      labels: {},
      size: 0,
      layers: diffIds.length,
      diffIds,
      annotations: {},
    })),
  };
}

const builds: Record<string, ResolvedImage> = {
  [d('1')]: img(d('1'), [
    ['amd64', ['a', 'b']],
    ['arm64', ['x', 'y']],
  ]), // 44, old build
  [d('2')]: img(d('2'), [
    ['amd64', ['a', 'b2']],
    ['arm64', ['x', 'y2']],
  ]), // 44, newest build
  [d('3')]: img(d('3'), [['amd64', ['a']]]), // 43
};
const baseTags: BaseTag[] = [
  {
    name: '43',
    history: [
      { digest: d('3'), created: '2026-10-01T00:00:00.000Z', seenAt: '2026-10-01T00:00:00.000Z' },
    ],
  },
  {
    name: '44',
    history: [
      { digest: d('2'), created: '2026-11-20T00:00:00.000Z', seenAt: '2026-11-20T00:00:00.000Z' },
      { digest: d('1'), created: '2026-11-13T12:00:00.000Z', seenAt: '2026-11-14T00:00:00.000Z' },
    ],
  },
];
const resolveBuild = async (digest: string) => builds[digest];
const input = (image: ResolvedImage, tag = '44') => ({
  tag,
  image,
  baseRepository: 'quay.io/fedora/fedora-bootc',
  baseTags,
  resolveBuild,
});

describe('lineage', () => {
  it('matches the longest diff_ids prefix over every build, and counts how far behind it is', async () => {
    const derived = img(d('9'), [
      ['amd64', ['a', 'b', 'c']],
      ['arm64', ['x', 'y', 'z']],
    ]);
    expect(await findBase(input(derived))).toEqual({
      ref: 'quay.io/fedora/fedora-bootc:44',
      digest: d('1'),
      method: 'layers',
      verified: true,
      behind: { days: 6.5, builds: 1 },
    });
  });

  it('does not match when one platform contradicts the prefix', async () => {
    const mixed = img(d('9'), [
      ['amd64', ['a', 'b', 'c']],
      ['arm64', ['q']],
    ]);
    const result = await findBase(input(mixed));
    expect(result.method).toBe('layers');
    expect(result.ref).toBe('quay.io/fedora/fedora-bootc:43'); // only 43 (amd64 only) is consistent
  });

  it('falls through a rechunked image to the annotations', async () => {
    const rechunked = img(d('9'), [['amd64', ['r1', 'r2']]], {
      'org.opencontainers.image.base.name': 'quay.io/fedora/fedora-bootc:44',
      'org.opencontainers.image.base.digest': d('2'),
    });
    expect(await findBase(input(rechunked))).toEqual({
      ref: 'quay.io/fedora/fedora-bootc:44',
      digest: d('2'),
      method: 'annotation',
      verified: true,
      behind: { days: 0, builds: 0 },
    });
  });

  it('keeps an annotation it cannot confirm unverified', async () => {
    const unknown = img(d('9'), [['amd64', ['r1']]], {
      'org.opencontainers.image.base.name': 'quay.io/fedora/fedora-bootc:44',
      'org.opencontainers.image.base.digest': d('7'),
    });
    expect(await findBase(input(unknown))).toEqual({
      ref: 'quay.io/fedora/fedora-bootc:44',
      digest: d('7'),
      method: 'annotation',
      verified: false,
    });
  });

  it('falls back to the declared base, same tag name when there is one', async () => {
    const rechunked = img(d('9'), [['amd64', ['r1']]]);
    expect(await findBase(input(rechunked))).toEqual({
      ref: 'quay.io/fedora/fedora-bootc:44',
      method: 'declared',
      verified: false,
    });
    expect(await findBase(input(rechunked, 'gts'))).toEqual({
      ref: 'quay.io/fedora/fedora-bootc',
      method: 'declared',
      verified: false,
    });
  });

  it('computes prefixes and behind', () => {
    expect(prefixLength(['a'], ['a', 'b'])).toBe(1);
    expect(prefixLength(['a', 'c'], ['a', 'b'])).toBe(-1);
    expect(prefixLength([], ['a'])).toBe(-1);
    expect(behindOf(baseTags[1]!.history, d('5'))).toBeUndefined();
  });
});
