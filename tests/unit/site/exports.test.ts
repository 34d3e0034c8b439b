import { describe, expect, it } from 'vitest';
import { exportCatalog, exportImages, exportOwners } from '../../../src/site/exports.ts';
import { listImages } from '../../../src/site/images.ts';
import { imagePath } from '../../../src/site/links.ts';
import { listOrphans, listOwners } from '../../../src/site/owners.ts';
import { fixtureData } from '../../helpers/site-data.ts';

describe('JSON exports', () => {
  it('publish the catalog in the order the pages list it', async () => {
    const data = await fixtureData();
    const exported = exportCatalog(data);
    expect(exported.schemaVersion).toBe(1);
    expect(exported.subprojects.map((subproject) => subproject.id)).toEqual(['base', 'coreos']);
    expect(exported.sigs.map((sig) => sig.id)).toEqual(['bootc-team', 'coreos-wg']);
  });

  it('list the images, owners and orphans the pages show, with the page of each image', async () => {
    const data = await fixtureData();
    data.catalog.subprojects[0]!.deliverables.push({
      id: 'docs',
      title: 'Base image docs',
      kind: 'docs',
      state: 'orphaned',
    });
    expect(exportImages(data).images.map((image) => [image.ref, image.page])).toEqual(
      listImages(data).map((view) => [view.ref, imagePath(view.ref)]),
    );
    const owners = exportOwners(data);
    expect(owners.owners.map((owner) => owner.owner)).toEqual(
      listOwners(data.catalog).map((owner) => owner.owner),
    );
    expect(owners.orphans).toEqual([
      { subproject: 'base', deliverable: 'docs', title: 'Base image docs', state: 'orphaned' },
    ]);
    expect(owners.orphans).toHaveLength(listOrphans(data.catalog).length);
  });
});
