import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { loadCatalog } from '../../../src/catalog/load.ts';
import {
  ImagesSnapshotSchema,
  ReposSnapshotSchema,
  type TagSnapshot,
} from '../../../src/catalog/snapshot-schema.ts';
import {
  evaluateMilestones,
  featuredTag,
  groupTagsByDigest,
  listImages,
  listOrphans,
  listOwners,
  standingOnBase,
  usageCommands,
  type SiteData,
} from '../../../src/catalog/views.ts';

async function fixtureData(): Promise<SiteData> {
  const catalog = await loadCatalog('tests/fixtures/catalog/minimal');
  const images = ImagesSnapshotSchema.parse(
    JSON.parse(await readFile('tests/fixtures/snapshot/images.json', 'utf8')),
  );
  const repos = ReposSnapshotSchema.parse(
    JSON.parse(await readFile('tests/fixtures/snapshot/repos.json', 'utf8')),
  );
  return { catalog, images, repos };
}

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

  it('follows verified lineage to the official base, and says when it is only declared', async () => {
    const data = await fixtureData();
    const coreos = listImages(data).find((view) => view.ref === 'quay.io/fedora/fedora-coreos')!;
    expect(standingOnBase(data, coreos, 'quay.io/fedora/fedora-bootc')).toEqual({
      standing: 'verified',
      path: ['quay.io/fedora/fedora-coreos', 'quay.io/fedora/fedora-bootc'],
    });
    const tagged = coreos.snapshot.tags[0]!;
    tagged.basedOn = { ...tagged.basedOn!, method: 'declared', verified: false };
    expect(standingOnBase(data, coreos, 'quay.io/fedora/fedora-bootc').standing).toBe('declared');
  });

  it('evaluates milestone criteria from the snapshot, with evidence', async () => {
    const data = await fixtureData();
    data.catalog.initiative.milestones[0]!.criteria.push(
      {
        kind: 'tag-published',
        image: 'quay.io/fedora/fedora-bootc',
        tag: '44',
        platforms: ['linux/amd64', 'linux/arm64', 'linux/riscv64'],
      },
      { kind: 'pipeline-builds', subproject: 'coreos' },
      { kind: 'deliverables-owned', subproject: 'base' },
    );
    const [result] = evaluateMilestones(data, new Date('2026-03-01T00:00:00Z'));
    expect(result!.daysLeft).toBe(9);
    expect(
      result!.criteria.map((criterion) => [
        criterion.criterion.kind,
        criterion.status,
        criterion.evidence,
      ]),
    ).toEqual([
      [
        'built-on-base',
        'met',
        [
          'quay.io/fedora/fedora-coreos: built on quay.io/fedora/fedora-bootc (quay.io/fedora/fedora-coreos → quay.io/fedora/fedora-bootc).',
        ],
      ],
      [
        'tag-published',
        'not-met',
        [
          'quay.io/fedora/fedora-bootc:44 lacks linux/riscv64 (has linux/amd64, linux/arm64/v8, linux/ppc64le, linux/s390x).',
        ],
      ],
      [
        'pipeline-builds',
        'met',
        [
          'https://github.com/coreos/fedora-coreos-config: .tekton/fedora-coreos-stable-push.yaml builds quay.io/fedora/fedora-coreos from stable.',
        ],
      ],
      ['deliverables-owned', 'not-met', ['Base images declares no deliverables.']],
    ]);
    expect(result!.status).toBe('not-met');
  });

  it('does not count what the initiative owns as durably owned', async () => {
    const data = await fixtureData();
    data.catalog.sigs.push({
      id: 'initiative',
      name: 'The initiative',
      kind: 'initiative',
      contacts: {},
      members: [],
      forgeTeams: [],
    });
    data.catalog.subprojects[1]!.deliverables[0]!.owner = 'initiative';
    const [result] = evaluateMilestones(
      {
        ...data,
        catalog: {
          ...data.catalog,
          initiative: {
            ...data.catalog.initiative,
            milestones: [
              {
                ...data.catalog.initiative.milestones[0]!,
                criteria: [{ kind: 'deliverables-owned', subproject: 'coreos' }],
              },
            ],
          },
        },
      },
      new Date(),
    );
    expect(result!.criteria[0]!.evidence).toEqual([
      'The Fedora CoreOS image is owned by the initiative, which dissolves after Fedora 45; it needs a subproject or SIG.',
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

describe('standingOnBase', () => {
  it('says an image built on a parent that has no base of its own is built on something else', async () => {
    const data = await fixtureData();
    const coreos = listImages(data).find((view) => view.ref === 'quay.io/fedora/fedora-coreos')!;
    coreos.snapshot.tags[0]!.basedOn = {
      ref: 'quay.io/fedora/fedora-bootc:44',
      method: 'layers',
      verified: true,
    };
    // Looking for another base: coreos reaches fedora-bootc, which has no base of its own.
    expect(standingOnBase(data, coreos, 'quay.io/centos-bootc/centos-bootc')).toEqual({
      standing: 'other-base',
      path: ['quay.io/fedora/fedora-coreos', 'quay.io/fedora/fedora-bootc'],
    });
  });
});
