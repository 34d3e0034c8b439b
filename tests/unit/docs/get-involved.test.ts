/**
 * The "Get involved" page keeps up with the catalog: it has a section for every subproject, linking
 * to that subproject's handover page, and its issue links are searches or lists, never one issue
 * picked by number (which would go stale, or point at work someone else already took).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/catalog/load.ts';

const PAGE = 'content/docs/start-here/get-involved.md';

const page = await readFile(PAGE, 'utf8');
const links = [...page.matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)].map((match) => match[1]!);

describe('the Get involved page', () => {
  it('has a section for every subproject of the catalog, linking to its handover page', async () => {
    const catalog = await loadCatalog('content/catalog');
    const missing = catalog.subprojects
      .filter((subproject) => !page.includes(`(/handover/${subproject.id}/)`))
      .map((subproject) => subproject.id);
    expect(missing).toEqual([]);
  });

  it('links to issue searches and lists, not to single issues', () => {
    expect(links.length).toBeGreaterThan(20);
    expect(
      links.filter((url) => /\/(issues|pull|pulls|merge_requests)\/\d+(?:$|[/?#])/.test(url)),
    ).toEqual([]);
    // Every good-first-issue search asks for open issues with the label.
    const searches = links.filter((url) => /good(%20|\+)first(%20|\+)issue/.test(url));
    expect(searches.length).toBeGreaterThan(10);
    expect(searches.filter((url) => !/is%3Aopen|state=opened/.test(url))).toEqual([]);
  });
});
