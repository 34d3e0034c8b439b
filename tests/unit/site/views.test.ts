import { describe, expect, it } from 'vitest';
import type { TagSnapshot } from '../../../src/snapshot/schema.ts';
import {
  featuredTag,
  groupTagsByDigest,
  listImages,
  listOrphans,
  listOwners,
  usageCommands,
} from '../../../src/site/views.ts';
import { fixtureData } from '../../helpers/site-data.ts';

const signatures = { cosign: false, attestation: false, sbom: false, referrers: [] };
const tag = (name: string, digest: string, streams: string[] = []): TagSnapshot => ({
  name,
  digest: `sha256:${digest.repeat(64).slice(0, 64)}`,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  streams,
  platforms: [],
  signatures,
});

describe('views', () => {
  it('groups tags that share a digest into one row, in the order of their first tag', () => {
    const groups = groupTagsByDigest([
      tag('44', 'a', ['releases']),
      tag('43', 'b'),
      tag('latest', 'a', ['aliases']),
    ]);
    expect(groups.map((group) => group.tags)).toEqual([['44', 'latest'], ['43']]);
    expect(groups[0]!.streams).toEqual(['releases', 'aliases']);
  });

  it('lists every catalog image, unavailable where the snapshot has none', async () => {
    const data = await fixtureData();
    data.images = {
      ...data.images!,
      images: data.images!.images.filter((image) => image.ref !== 'quay.io/fedora/fedora-coreos'),
    };
    const views = listImages(data);
    expect(views.map((view) => [view.ref, view.snapshot.status])).toEqual([
      ['quay.io/fedora/fedora-bootc', 'live'],
      ['quay.io/fedora/fedora-coreos', 'unavailable'],
    ]);
  });

  it('indexes owners and orphans from the deliverables', async () => {
    const { catalog } = await fixtureData();
    catalog.subprojects[0]!.deliverables.push({
      id: 'docs',
      title: 'Base image docs',
      kind: 'docs',
      state: 'orphaned',
      incomingOwner: 'coreos-wg',
    });
    expect(listOrphans(catalog).map(({ deliverable }) => deliverable.title)).toEqual([
      'Base image docs',
    ]);
    const coreos = listOwners(catalog).find((owner) => owner.owner === 'coreos-wg')!;
    expect(coreos.owns.map(({ deliverable }) => deliverable.id)).toEqual(['fcos-image']);
    expect(coreos.incoming.map(({ deliverable }) => deliverable.id)).toEqual(['docs']);
  });

  it('writes the commands a user copies, with the digest pinned', () => {
    expect(
      usageCommands('quay.io/fedora/fedora-bootc', '44', 'sha256:abc').map(
        (command) => command.command,
      ),
    ).toEqual([
      'podman pull quay.io/fedora/fedora-bootc:44',
      'podman pull quay.io/fedora/fedora-bootc@sha256:abc',
      'sudo bootc switch quay.io/fedora/fedora-bootc:44',
      'FROM quay.io/fedora/fedora-bootc:44',
    ]);
  });
});

describe('featuredTag', () => {
  it('picks the first exact tag of the first stream the registry has, not the first in version order', async () => {
    const image = {
      ref: 'quay.io/fedora/fedora-coreos',
      role: 'variant' as const,
      mirrors: [],
      platforms: [],
      streams: [
        { name: 'production', tags: ['stable', 'testing', 'next'], keep: 10 },
        { name: 'versions', match: '<major>.<date>.<n>.<n>', keep: 10 },
      ],
    };
    const snapshot = {
      ref: image.ref,
      status: 'live' as const,
      fetchedAt: null,
      tagCount: 4,
      mirrors: [],
      tags: [
        tag('44.20261110.3.0', 'c', ['versions']),
        tag('next', 'a', ['production']),
        tag('testing', 'b', ['production']),
      ],
    };
    expect(featuredTag(image, snapshot)?.name).toBe('testing');
    expect(featuredTag({ ...image, streams: [image.streams[1]!] }, snapshot)?.name).toBe(
      '44.20261110.3.0',
    );
  });
});
