/**
 * Catalog text is never markup: a subproject named `</title><script>…` shows as text in the page
 * title and heading, and no script of it runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { copyCatalog, type CatalogCopy } from '../helpers/catalog.ts';
import { buildSite, launchBrowser, type SiteBuild } from '../helpers/site.ts';
import { serveStatic, type StaticServer } from '../helpers/static-server.ts';

const HOSTILE = 'CoreOS </title><script>window.pwned = 1</script>';
let catalog: CatalogCopy;
let site: SiteBuild;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  catalog = await copyCatalog();
  await catalog.edit('subprojects/coreos.yaml', (text) =>
    text.replace('name: Fedora CoreOS', `name: ${JSON.stringify(HOSTILE)}`),
  );
  site = await buildSite({ name: 'hostile-names', catalog: catalog.dir });
  [server, browser] = await Promise.all([serveStatic(site.outDir), launchBrowser()]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await catalog?.remove();
});

describe('hostile catalog names', () => {
  it('shows a name with </title><script> as text, and runs none of it', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/subprojects/coreos/`);
    await expect(page.title()).resolves.toBe(`${HOSTILE} | Image Mode Hub`);
    await expect(page.locator('h1').textContent()).resolves.toBe(HOSTILE);
    await expect(
      page.evaluate(() => (window as { pwned?: number }).pwned),
    ).resolves.toBeUndefined();
    await expect(page.locator('script:text("window.pwned")').count()).resolves.toBe(0);
  });
});
