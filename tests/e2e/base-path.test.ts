/**
 * The site served under a path, as GitHub Pages serves a project site at
 * https://<owner>.github.io/<repo>/: the real catalog built with IMAGE_MODE_BASE=/image-mode-hub/
 * and served only under that prefix (anything outside it is not found). A subproject, an image, an
 * owner and a guide load with their CSS; every internal link on them carries the base and answers
 * 200; the search finds a guide; the sitemap, the feed and the JSON export point under the base.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildSite, launchBrowser, type SiteBuild } from '../helpers/site.ts';
import { serveStatic, type StaticServer } from '../helpers/static-server.ts';

const BASE = '/image-mode-hub/';
/** IMAGE_MODE_SITE of the test builds (tests/helpers/site.ts). */
const SITE = 'https://image-mode-hub.example.test';
const PAGES = [
  '/subprojects/fedora-coreos/',
  '/images/quay.io/fedora/fedora-bootc/',
  '/owners/coreos-wg/',
  '/guides/derive-an-image/',
];

let site: SiteBuild;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  site = await buildSite({
    name: 'base-path',
    catalog: 'content/catalog',
    snapshot: 'content/snapshot',
    base: BASE,
  });
  [server, browser] = await Promise.all([serveStatic(site.outDir, BASE), launchBrowser()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Open a page of the site under the base; list every request of this site that failed. */
async function open(path: string): Promise<{ page: Page; failed: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.url().startsWith(server.url) && response.status() >= 400)
      failed.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  const response = await page.goto(`${server.url}${BASE.slice(0, -1)}${path}`);
  expect(response?.status(), `${BASE}${path.slice(1)} should be served`).toBe(200);
  await page.waitForLoadState('networkidle');
  return { page, failed };
}

describe('a site served under /image-mode-hub/', () => {
  it('is not served at the root, so a link that misses the base would be broken', async () => {
    const response = await fetch(`${server.url}${PAGES[0]}`);
    expect(response.status).toBe(404);
  });

  for (const path of PAGES) {
    it(`loads ${path} with its CSS, and every internal link carries the base and answers 200`, async () => {
      const { page, failed } = await open(path);
      // Starlight's stylesheet sets its layout variables: unset, the page has no CSS.
      const navHeight = await page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--sl-nav-height').trim(),
      );
      expect(navHeight, 'Starlight CSS applied').not.toBe('');
      const links = await page
        .locator('a[href], link[href], img[src], script[src]')
        .evaluateAll((elements) =>
          elements.map((element) => {
            const raw = element.getAttribute('href') ?? element.getAttribute('src') ?? '';
            return { raw, url: new URL(raw, document.baseURI).href };
          }),
        );
      const internal = links.filter(
        ({ url }) => url.startsWith(server.url) || url.startsWith(SITE),
      );
      expect(internal.length).toBeGreaterThan(20);
      const outside = internal.filter(({ url }) => !new URL(url).pathname.startsWith(BASE));
      expect(outside, 'internal links outside the base').toEqual([]);
      const targets = [
        ...new Set(
          internal
            .filter(({ url }) => url.startsWith(server.url))
            .map(({ url }) => url.replace(/#.*$/, '')),
        ),
      ];
      const statuses = await Promise.all(
        targets.map(async (url) => `${(await fetch(url)).status} ${new URL(url).pathname}`),
      );
      expect(statuses.filter((status) => !status.startsWith('200 '))).toEqual([]);
      expect(failed, 'requests the page made that failed').toEqual([]);
    });
  }

  it('finds a guide by a word from its body, linked under the base', async () => {
    const { page } = await open('/');
    await page.locator('site-search button[data-open-modal]').click();
    const input = page.locator('#starlight__search .pagefind-ui__search-input');
    await input.waitFor({ state: 'visible' });
    await input.fill('globstar');
    const results = page.locator('#starlight__search .pagefind-ui__result-link');
    await results.first().waitFor({ state: 'visible', timeout: 15_000 });
    const hrefs = await results.evaluateAll((links) =>
      links.map((link) => new URL((link as HTMLAnchorElement).href).pathname),
    );
    expect(hrefs).toContain(`${BASE}guides/release-flow/`);
  });

  it('points the sitemap, the feed and the JSON export under the base', async () => {
    const read = (file: string) => readFile(join(site.outDir, file), 'utf8');
    const sitemap = [...(await read('sitemap-0.xml')).matchAll(/<loc>([^<]+)<\/loc>/g)];
    expect(sitemap.length).toBeGreaterThan(20);
    expect(sitemap.filter(([, loc]) => !loc!.startsWith(`${SITE}${BASE}`))).toEqual([]);
    const feed = [...(await read('feeds/images.xml')).matchAll(/href="([^"]+)"/g)];
    expect(feed.length).toBeGreaterThan(2);
    expect(feed.filter(([, href]) => !href!.startsWith(`${SITE}${BASE}`))).toEqual([]);
    const images = JSON.parse(await read('api/images.json')) as {
      images: { page: string; details: string }[];
    };
    expect(images.images[0]!.page).toMatch(new RegExp(`^${BASE}images/`));
    const details = await fetch(`${server.url}${images.images[0]!.details}`);
    expect(details.status).toBe(200);
  });
});
