import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load.ts';
import { exportCatalog } from '../../../src/site/exports.ts';
import {
  countUnverifiedFacts,
  describeProvenance,
  listUnverifiedFacts,
} from '../../../src/site/provenance.ts';
import { countMarkedInFiles } from '../../helpers/catalog.ts';
import { fixtureData } from '../../helpers/site-data.ts';

describe('unverified facts', () => {
  it('name the file, the field by its id, the value, the reason and the source', async () => {
    const data = await fixtureData();
    expect(listUnverifiedFacts(data.catalog)).toEqual([
      {
        id: 'coreos',
        title: 'Fedora CoreOS',
        file: 'subprojects/coreos.yaml',
        facts: [
          {
            id: 'coreos-deliverables-fcos-image-owner',
            file: 'subprojects/coreos.yaml',
            field: 'deliverables[fcos-image].owner',
            value: 'coreos-wg',
            unverified: 'inferred from the meeting list',
            source: 'https://github.com/coreos/fedora-coreos-tracker',
          },
        ],
      },
    ]);
    const fact = data.catalog.subprojects[1]!.deliverables[0]!.provenance!['owner']!;
    expect(describeProvenance(fact)).toBe(
      'Unverified: inferred from the meeting list. Source: https://github.com/coreos/fedora-coreos-tracker',
    );
  });

  it('are every fact the real catalog marks, once, grouped by file, and in the JSON export', async () => {
    const catalog = await loadCatalog('content/catalog');
    const marked = await countMarkedInFiles('content/catalog');
    expect(marked).toBeGreaterThan(90);
    expect(countUnverifiedFacts(catalog)).toBe(marked);
    const groups = listUnverifiedFacts(catalog);
    const ids = groups.flatMap((group) => group.facts.map((fact) => fact.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(groups.map((group) => group.file)).toContain('subprojects/bootc-base-images.yaml');
    const roster = groups
      .find((group) => group.id === 'sigs')!
      .facts.find((fact) => fact.field === 'sigs[bootc-base-images-team].members');
    expect(roster?.source).toBe('https://packages.fedoraproject.org/pkgs/bootc/bootc/');
    const exported = exportCatalog({ catalog });
    expect(exported.unverified.flatMap((group) => group.facts)).toHaveLength(marked);
    expect(
      exported.subprojects.find((s) => s.id === 'fedora-coreos')!.images[0]!.provenance,
    ).toMatchObject({ basedOn: { source: expect.stringContaining('build-args.conf') } });
  });
});
