import { describe, expect, it } from 'vitest';
import {
  countMet,
  criterionStatusLabel,
  describeCriterion,
  describeDaysLeft,
  describeTarget,
  evaluateMilestones,
  milestoneLabel,
  standingOnBase,
} from '../../../src/site/milestones.ts';
import { listImages } from '../../../src/site/images.ts';
import { fixtureData } from '../../helpers/site-data.ts';
import type { Deliverable } from '../../../src/catalog/index.ts';

/** Add the initiative as an owner in the catalog, as content/catalog/sigs.yaml lists it. */
function addInitiativeSig(data: Awaited<ReturnType<typeof fixtureData>>): void {
  data.catalog.sigs.push({
    id: 'initiative',
    name: 'The initiative',
    kind: 'initiative',
    contacts: {},
    members: [],
    forgeTeams: [],
  });
}

describe('milestones', () => {
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
    addInitiativeSig(data);
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
});

describe('the initiative-deliverables-owned criterion', () => {
  it('is not met while the initiative still runs a deliverable itself, and met once a SIG owns each', async () => {
    const data = await fixtureData();
    addInitiativeSig(data);
    const room: Deliverable = {
      ...data.catalog.subprojects[1]!.deliverables[0]!,
      id: 'matrix-room',
      title: 'Initiative chat room',
      kind: 'community',
      owner: 'initiative',
      state: 'proposed',
    };
    data.catalog.initiative.deliverables = [room];
    data.catalog.initiative.milestones = [
      {
        ...data.catalog.initiative.milestones[0]!,
        criteria: [{ kind: 'initiative-deliverables-owned' }],
      },
    ];
    const evaluate = () => evaluateMilestones(data, new Date('2026-12-03T12:00:00Z'))[0]!;
    expect(evaluate().criteria[0]).toMatchObject({
      status: 'not-met',
      evidence: [
        'Initiative chat room is owned by the initiative, which dissolves after Fedora 45; it needs a subproject or SIG.',
      ],
    });
    room.owner = data.catalog.sigs[0]!.id;
    room.state = 'owned';
    expect(evaluate().criteria[0]).toMatchObject({
      status: 'met',
      evidence: ['All 1 deliverables of the initiative have an owner.'],
    });
    expect(describeCriterion(data.catalog, { kind: 'initiative-deliverables-owned' })).toBe(
      'Every deliverable the initiative runs itself has a subproject or SIG as its owner',
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

describe('milestone wording', () => {
  it('says what each kind of criterion asks for, naming subprojects as the catalog does', async () => {
    const { catalog } = await fixtureData();
    expect(
      [
        {
          kind: 'tag-published' as const,
          image: 'quay.io/fedora/fedora-bootc',
          tag: '44',
          platforms: ['linux/amd64', 'linux/arm64'],
        },
        {
          kind: 'tag-published' as const,
          image: 'quay.io/fedora/fedora-bootc',
          tag: '45',
          platforms: [],
        },
        {
          kind: 'built-on-base' as const,
          subproject: 'coreos',
          base: 'quay.io/fedora/fedora-bootc',
        },
        { kind: 'pipeline-builds' as const, subproject: 'coreos' },
        {
          kind: 'pipeline-builds' as const,
          subproject: 'coreos',
          image: 'quay.io/fedora/fedora-coreos',
        },
        { kind: 'deliverables-owned' as const, subproject: 'gone' },
      ].map((criterion) => describeCriterion(catalog, criterion)),
    ).toEqual([
      'quay.io/fedora/fedora-bootc:44 is published for linux/amd64, linux/arm64',
      'quay.io/fedora/fedora-bootc:45 is published',
      'Every variant and downstream image of Fedora CoreOS is built on quay.io/fedora/fedora-bootc',
      'A Konflux pipeline builds the images of Fedora CoreOS',
      'A Konflux pipeline builds quay.io/fedora/fedora-coreos',
      'Every deliverable of gone has an owner',
    ]);
  });

  it('counts the criteria met, names each outcome and says how far the target is', async () => {
    const data = await fixtureData();
    const [result] = evaluateMilestones(data, new Date('2026-03-13T00:00:00Z'));
    expect(countMet(result!)).toBe(1);
    expect(criterionStatusLabel(result!.status)).toBe('met');
    expect(criterionStatusLabel('not-met')).toBe('not met');
    expect(criterionStatusLabel('unknown')).toBe('no data');
    expect(describeDaysLeft(result!.daysLeft)).toBe('3 days ago');
    expect(describeDaysLeft(0)).toBe('in 0 days');
  });

  it('shows an approximate F45 date as "approx." and misses none of its milestones before that month ends', async () => {
    const data = await fixtureData();
    const milestone = data.catalog.initiative.milestones[0]!;
    milestone.target = '2026-12';
    milestone.release = 45;
    milestone.phase = 'production';
    milestone.criteria.push({ kind: 'deliverables-owned', subproject: 'base' });
    const at = (iso: string) => evaluateMilestones(data, new Date(iso))[0]!;
    for (const day of ['2026-12-03T04:00:00Z', '2026-12-31T23:59:00Z']) {
      expect(at(day).status, day).toBe('not-met');
      expect(at(day).missed, day).toBe(false);
    }
    expect(describeTarget(at('2026-12-03T04:00:00Z'))).toBe('approx. Dec 2026 (ends in 28 days)');
    expect(at('2027-01-01T00:00:00Z').missed).toBe(true);
    expect(describeTarget(at('2027-01-02T00:00:00Z'))).toBe('approx. Dec 2026 (ended 2 days ago)');
    milestone.target = '2026-12-01';
    expect(at('2026-12-03T04:00:00Z').missed).toBe(true);
    expect(describeTarget(at('2026-12-03T04:00:00Z'))).toBe('2026-12-01 (2 days ago)');
  });

  it("labels a milestone in the proposal's words, and checks that a release plan exists", async () => {
    const data = await fixtureData();
    const milestone = data.catalog.initiative.milestones[0]!;
    expect(milestoneLabel(milestone)).toBe(`F${milestone.release} ${milestone.phase}`);
    milestone.label = 'by Fedora 44';
    expect(milestoneLabel(milestone)).toBe('by Fedora 44');
    milestone.criteria = [
      { kind: 'released-to', subproject: 'coreos', image: 'quay.io/fedora/fedora-coreos' },
    ];
    const coreos = data.catalog.subprojects.find((subproject) => subproject.id === 'coreos')!;
    const now = new Date('2026-03-01T00:00:00Z');
    expect(evaluateMilestones(data, now)[0]!.criteria[0]).toMatchObject({
      status: 'not-met',
      evidence: ['No release process of Fedora CoreOS publishes quay.io/fedora/fedora-coreos.'],
    });
    coreos.deliverables.push({
      id: 'release-plan',
      title: 'ReleasePlan to quay.io/fedora',
      kind: 'release-process',
      images: ['quay.io/fedora/fedora-coreos'],
      owner: 'coreos-wg',
      state: 'owned',
    });
    expect(evaluateMilestones(data, now)[0]!.criteria[0]).toMatchObject({
      status: 'met',
      evidence: [
        'ReleasePlan to quay.io/fedora releases quay.io/fedora/fedora-coreos (owned, coreos-wg).',
      ],
    });
  });
});
