import { describe, expect, it } from 'vitest';
import type { TagSnapshot } from '../../../src/snapshot/schema.ts';
import {
  baseRepository,
  describeBehind,
  describeMirror,
  featuredTag,
  formatPlatform,
  groupImagesBySubproject,
  groupTagsByDigest,
  imageRoleLabel,
  listDerivedImages,
  listImages,
  listSubprojectImages,
  parsePlatform,
  tagsByStream,
  usageCommands,
} from '../../../src/site/images.ts';
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

describe('image views', () => {
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

  it('groups images by the subproject that lists them, leaving out subprojects without images', async () => {
    const data = await fixtureData();
    data.catalog.subprojects[0]!.images = [];
    expect(
      groupImagesBySubproject(data).map((group) => [
        group.subproject.id,
        group.images.map((view) => view.ref),
      ]),
    ).toEqual([['coreos', ['quay.io/fedora/fedora-coreos']]]);
    expect(listSubprojectImages(data, 'base')).toEqual([]);
    expect(listSubprojectImages(data, 'coreos').map((view) => view.ref)).toEqual([
      'quay.io/fedora/fedora-coreos',
    ]);
  });

  it('lists the images declared to be built on an image, whatever the spelling of its reference', async () => {
    const data = await fixtureData();
    expect(listDerivedImages(data, 'quay.io/fedora/fedora-bootc').map((view) => view.ref)).toEqual([
      'quay.io/fedora/fedora-coreos',
    ]);
    expect(listDerivedImages(data, 'quay.io/fedora/fedora-bootc:44')).toHaveLength(1);
    expect(listDerivedImages(data, 'quay.io/fedora/fedora-coreos')).toEqual([]);
  });

  it('names each role of image as its page does', () => {
    expect(imageRoleLabel('base')).toBe('Official base image');
    expect(imageRoleLabel('downstream')).toBe('Built outside Fedora');
    expect(imageRoleLabel('ci')).toBe('Development or CI image');
  });

  it('reads a platform as the catalog writes it, with or without a variant', () => {
    expect(parsePlatform('linux/arm64/v8')).toEqual({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
    });
    expect(formatPlatform(parsePlatform('linux/amd64'))).toBe('linux/amd64');
  });

  it('lists each stream with its definition and the fetched tags it selected', async () => {
    const data = await fixtureData();
    const [bootc] = listImages(data);
    expect(
      tagsByStream(bootc!.image, bootc!.snapshot).map(({ stream, tags }) => [
        stream.name,
        stream.tags,
        tags.map((selected) => selected.name),
      ]),
    ).toEqual([['releases', ['latest', 'rawhide'], ['44', 'latest', 'rawhide']]]);
  });

  it('sums up how a mirror agrees with its primary', async () => {
    const data = await fixtureData();
    const mirror = listImages(data)[0]!.snapshot.mirrors[0]!;
    expect(describeMirror(mirror)).toBe('2 tags match, 1 differ, 0 missing.');
    expect(describeMirror({ ...mirror, matching: ['44'], drift: [] })).toBe(
      '1 tag match, 0 differ, 0 missing.',
    );
  });

  it('says which base repository a build starts from and how far behind its newest build it is', async () => {
    const data = await fixtureData();
    const basedOn = listImages(data)[1]!.snapshot.tags[0]!.basedOn!;
    expect(baseRepository(basedOn)).toBe('quay.io/fedora/fedora-bootc');
    expect(describeBehind(basedOn.behind!)).toBe('1 base build / 2 days behind');
    expect(describeBehind({ builds: 3, days: 9.6 })).toBe('3 base builds / 10 days behind');
    expect(describeBehind({ builds: 0, days: 0 })).toBe('on the newest base build');
  });
});

describe('usageCommands', () => {
  it('gives the commands a user copies, by tool, with the digest pinned', () => {
    expect(usageCommands('quay.io/fedora/fedora-coreos', 'stable', 'sha256:abc')).toEqual([
      {
        tool: 'podman',
        language: 'sh',
        commands: [
          'podman pull quay.io/fedora/fedora-coreos:stable',
          'podman pull quay.io/fedora/fedora-coreos@sha256:abc',
        ],
      },
      {
        tool: 'bootc',
        language: 'sh',
        commands: ['sudo bootc switch quay.io/fedora/fedora-coreos:stable'],
      },
      {
        tool: 'Containerfile',
        language: 'dockerfile',
        file: 'Containerfile',
        commands: ['FROM quay.io/fedora/fedora-coreos:stable'],
      },
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
