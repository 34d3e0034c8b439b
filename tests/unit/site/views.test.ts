import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load.ts';
import { countStatuses, orderCatalog, snapshotHeaders } from '../../../src/site/views.ts';
import { fixtureData } from '../../helpers/site-data.ts';

describe('site data', () => {
  it('orders subprojects of Fedora first, then by name, and SIGs by name', async () => {
    const catalog = await loadCatalog('tests/fixtures/catalog/minimal');
    catalog.subprojects[0]!.official = false;
    const ordered = orderCatalog(catalog);
    expect(ordered.subprojects.map((subproject) => subproject.id)).toEqual(['coreos', 'base']);
    expect(ordered.sigs.map((sig) => sig.name)).toEqual([
      'bootc base images team',
      'Fedora CoreOS Working Group',
    ]);
    expect(catalog.sigs.map((sig) => sig.id)).toEqual(['coreos-wg', 'bootc-team']);
  });

  it('counts records per status and lists the snapshot headers present', async () => {
    const data = await fixtureData();
    expect(countStatuses(data.images!.images)).toEqual({ live: 1, stale: 1, unavailable: 0 });
    delete data.repos;
    expect(snapshotHeaders(data).map(({ part }) => part)).toEqual(['images', 'audit']);
  });
});
