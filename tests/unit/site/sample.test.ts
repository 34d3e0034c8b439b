import { describe, expect, it } from 'vitest';
import { imageBuildsFeed } from '../../../src/site/feed.ts';
import { describeStatusCounts, isSampleData, statusLabel } from '../../../src/site/views.ts';
import { DEFAULT_DISCUSSION_URL, readSiteConfig } from '../../../src/site-config.ts';
import { formatDaysFrom } from '../../../src/utils/format.ts';
import { fixtureData } from '../../helpers/site-data.ts';

describe('sample data on pages', () => {
  it('is never called live', async () => {
    const data = await fixtureData();
    expect(isSampleData(data)).toBe(true);
    expect(statusLabel('live', true)).toBe('Sample');
    expect(statusLabel('live', false)).toBe('Live');
    expect(describeStatusCounts({ live: 34, stale: 0, unavailable: 1 }, true)).toBe(
      '34 with sample data, 0 stale, 1 not fetched yet',
    );
    data.images!.sample = false;
    data.repos!.sample = false;
    data.audit!.sample = false;
    expect(isSampleData(data)).toBe(false);
  });

  it('is marked in the feed title and in every entry', async () => {
    const data = await fixtureData();
    const feed = imageBuildsFeed(data, 'https://hub.example.test/');
    expect(feed).toContain(
      '<title>Image Mode Hub: new image builds (sample data, not real builds)</title>',
    );
    const entries = [...feed.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((match) => match[0]);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry).toMatch(/<title>\[Sample\] /);
      expect(entry).toContain('Sample data from a local fixture registry');
    }
    data.images!.sample = false;
    const live = imageBuildsFeed(data, undefined);
    expect(live).not.toContain('Sample');
    expect(live).toContain('<id>urn:image-mode-hub:feeds:images</id>');
  });

  it('dates say how far they are from the snapshot, which stays true after the build', () => {
    expect(formatDaysFrom('2026-11-26T10:00:00Z', '2026-11-28T12:00:00Z')).toBe('2 days before');
    expect(formatDaysFrom('2026-12-01', '2026-11-28T12:00:00Z')).toBe('3 days after');
    expect(formatDaysFrom('2026-11-28T12:00:00Z', '2026-11-28T12:00:00Z')).toBe('on the day of');
  });
});

describe('site settings', () => {
  it('point only at addresses the sources confirm unless the environment says otherwise', () => {
    const defaults = readSiteConfig({});
    expect(defaults.siteUrl).toBeUndefined();
    expect(defaults.repoUrl).toBeUndefined();
    expect(defaults.discussionUrl).toBe(DEFAULT_DISCUSSION_URL);
    expect(DEFAULT_DISCUSSION_URL).toMatch(/^https:\/\/discussion\.fedoraproject\.org\/t\//);
    const set = readSiteConfig({
      IMAGE_MODE_SITE: 'https://hub.example.test',
      IMAGE_MODE_REPO: 'https://forge.example.test/hub/',
      IMAGE_MODE_DISCUSSION_URL: 'https://discussion.fedoraproject.org/tag/bootc',
    });
    expect(set).toMatchObject({
      siteUrl: 'https://hub.example.test',
      repoUrl: 'https://forge.example.test/hub',
      discussionUrl: 'https://discussion.fedoraproject.org/tag/bootc',
    });
  });
});
