import { describe, expect, it } from 'vitest';
import {
  exportCatalog,
  exportImage,
  exportImages,
  exportOwners,
  SUMMARY_TAGS,
} from '../../../src/site/exports.ts';
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
    data.catalog.initiative.deliverables.push({
      id: 'meeting',
      title: 'Initiative meeting',
      kind: 'community',
      state: 'orphaned',
    });
    const owners = exportOwners(data);
    expect(owners.owners.map((owner) => owner.owner)).toEqual(
      listOwners(data.catalog).map((owner) => owner.owner),
    );
    expect(owners.orphans).toEqual([
      {
        subproject: 'base',
        initiative: false,
        deliverable: 'docs',
        page: '/subprojects/base/#deliverable-docs',
        title: 'Base image docs',
        state: 'orphaned',
      },
      {
        subproject: null,
        initiative: true,
        deliverable: 'meeting',
        page: '/handover/#initiative-deliverable-meeting',
        title: 'Initiative meeting',
        state: 'orphaned',
      },
    ]);
    expect(owners.orphans).toHaveLength(listOrphans(data.catalog).length);
  });

  it('sum up each image in /api/images.json and leave its tags to the file of each image', async () => {
    const data = await fixtureData();
    const bootc = data.images!.images[0]!;
    const template = bootc.tags[0]!;
    // An image with many tags: the summary still lists only the newest few.
    for (let day = 1; day <= 20; day++)
      bootc.tags.push({
        ...template,
        name: `44.202612${String(day).padStart(2, '0')}`,
        digest: `sha256:${String(day).padStart(64, '0')}`,
        platforms: template.platforms.map((platform) => ({
          ...platform,
          created: `2026-12-${String(day).padStart(2, '0')}T00:00:00Z`,
        })),
      });
    const exported = exportImages(data);
    expect(exported.schemaVersion).toBe(2);
    const [summary] = exported.images;
    expect(Object.keys(summary!).sort()).toEqual([
      'details',
      'fetchedAt',
      'newestTags',
      'page',
      'platforms',
      'ref',
      'role',
      'status',
      'subproject',
      'tagCount',
      'title',
      'trackedTags',
    ]);
    expect(summary).toMatchObject({
      ref: 'quay.io/fedora/fedora-bootc',
      subproject: 'base',
      status: 'live',
      trackedTags: 23,
      page: '/images/quay.io/fedora/fedora-bootc/',
      details: '/api/images/quay.io/fedora/fedora-bootc.json',
      platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/ppc64le', 'linux/s390x'],
    });
    expect(summary!.newestTags).toHaveLength(SUMMARY_TAGS);
    expect(summary!.newestTags.map((tag) => tag.name)).toEqual([
      '44.20261220',
      '44.20261219',
      '44.20261218',
      '44.20261217',
      '44.20261216',
    ]);
    expect(summary!.newestTags[0]).toEqual({
      name: '44.20261220',
      digest: `sha256:${'20'.padStart(64, '0')}`,
      created: '2026-12-20T00:00:00Z',
      streams: template.streams,
    });
    // No tag list, label, history or mirror check beyond the summary: those are in `details`.
    const text = JSON.stringify(exported);
    expect(text).not.toContain('44.20261201');
    expect(text).not.toContain('"labels"');
    expect(text).not.toContain('"history"');
    expect(text).not.toContain('"mirrorChecks"');
    const [full] = listImages(data).map(exportImage);
    expect(full!.tags).toHaveLength(23);
  });
});
