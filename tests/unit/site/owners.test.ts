import { describe, expect, it } from 'vitest';
import {
  countSeverities,
  describeImageLink,
  describeOwnerSources,
  describeStates,
  findingsFor,
  hasDates,
  listObservedOwners,
  listOrphans,
  listOwners,
  listPipelines,
  listRepos,
  listSigSubprojects,
  memberAccounts,
  sigKindLabel,
  sigKindShortLabel,
} from '../../../src/site/owners.ts';
import type { Deliverable } from '../../../src/catalog/schema.ts';
import { fixtureData } from '../../helpers/site-data.ts';

const deliverable = (id: string, state: Deliverable['state'], owner?: string): Deliverable => ({
  id,
  title: id,
  kind: 'docs',
  state,
  owner,
});

describe('owners', () => {
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

  it('sums up deliverables by handover state, leaving out states nobody is in', () => {
    const deliverables = [
      deliverable('a', 'handed-over', 'coreos-wg'),
      deliverable('b', 'shadowing', 'coreos-wg'),
      deliverable('c', 'handed-over', 'coreos-wg'),
    ];
    expect(describeStates(deliverables)).toBe('1 shadowing · 2 handed-over');
    expect(describeStates([])).toBe('');
    expect(hasDates(deliverables)).toBe(false);
    expect(hasDates([{ ...deliverables[0]!, due: '2026-12-01' }])).toBe(true);
  });

  it('names the subprojects a SIG owns, its kind, and the accounts of its members', async () => {
    const { catalog } = await fixtureData();
    expect(listSigSubprojects(catalog, 'coreos-wg').map((subproject) => subproject.id)).toEqual([
      'coreos',
    ]);
    expect(sigKindLabel('sig')).toBe('Special Interest Group');
    expect(sigKindShortLabel('working-group')).toBe('working group');
    const dusty = catalog.sigs.find((sig) => sig.id === 'coreos-wg')!.members[0]!;
    expect(memberAccounts(dusty)).toEqual([
      {
        service: 'FAS',
        label: 'dustymabe',
        href: 'https://accounts.fedoraproject.org/user/dustymabe/',
      },
      { service: 'GitHub', label: '@dustymabe', href: 'https://github.com/dustymabe' },
    ]);
  });

  it('counts audit findings per severity and picks those about one subproject', async () => {
    const { audit } = await fixtureData();
    expect(countSeverities(audit!.findings)).toEqual({ error: 0, warning: 1, info: 0 });
    expect(findingsFor(audit, 'coreos')).toEqual([]);
    const about = { ...audit!.findings[0]!, subproject: 'coreos' };
    expect(findingsFor({ ...audit!, findings: [about] }, 'coreos')).toEqual([about]);
  });
});

describe('repositories', () => {
  it('describes a repo by the catalog, else by the forge', async () => {
    const data = await fixtureData();
    const coreos = data.catalog.subprojects[1]!;
    expect(listRepos(data, coreos)[0]!.description).toBe('Base configuration for Fedora CoreOS');
    coreos.repos[0]!.description = 'The configuration the images are built from';
    expect(listRepos(data, coreos)[0]!.description).toBe(
      'The configuration the images are built from',
    );
  });

  it('lists the pipelines of the repos and says how each was linked to a catalog image', async () => {
    const data = await fixtureData();
    const pipelines = listPipelines(listRepos(data, data.catalog.subprojects[1]!));
    expect(pipelines.map(({ repo, pipeline }) => [repo, pipeline.name])).toEqual([
      ['https://github.com/coreos/fedora-coreos-config', 'fedora-coreos-stable-on-push'],
    ]);
    const { pipeline } = pipelines[0]!;
    expect(describeImageLink(pipeline, 'quay.io/fedora/fedora-coreos')).toBe(
      'it builds the Konflux intermediate that is released here',
    );
    expect(describeImageLink(pipeline, 'quay.io/fedora/fedora-bootc')).toBeUndefined();
  });

  it('says where a repository names an owner: file, line and pattern, or the forge API', async () => {
    const data = await fixtureData();
    const [observed] = listObservedOwners(listRepos(data, data.catalog.subprojects[1]!));
    expect(observed!.repo).toBe('https://github.com/coreos/fedora-coreos-config');
    expect(describeOwnerSources(observed!.owner)).toBe('.github/CODEOWNERS line 3 (*)');
    expect(
      describeOwnerSources({
        handle: 'gitlab:walters',
        sources: [
          { kind: 'owners-file', file: 'OWNERS' },
          { kind: 'api', detail: 'maintainer (access level 40)' },
          { kind: 'api' },
        ],
      }),
    ).toBe('OWNERS; api: maintainer (access level 40); api');
  });
});
