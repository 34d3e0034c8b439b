/**
 * The site search finds a guide by a word from its body: the site is built with the real catalog,
 * served on 127.0.0.1, and searched in Debian's Chromium the way a reader would.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, launchBrowser } from '../helpers/site.ts';
import { serveStatic, type StaticServer } from '../helpers/static-server.ts';

/** A word that appears in the body of one guide only (the Bash tip in the release-flow guide). */
const TERM = 'globstar';
const GUIDE_PATH = '/guides/release-flow/';
const GUIDE_TITLE = 'The release flow, and adding or removing a Fedora version';

/** List the built pages whose indexed body (the <main> Pagefind reads) contains a word. */
async function pagesContaining(outDir: string, word: string): Promise<string[]> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  const pages: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
    const file = join(entry.parentPath, entry.name);
    const html = await readFile(file, 'utf8');
    const main = /<main[^>]*data-pagefind-body[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
    if (main.toLowerCase().includes(word))
      pages.push(`/${relative(outDir, file)}`.replace(/index\.html$/, ''));
  }
  return pages.sort();
}

describe('site search', () => {
  let outDir: string;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    ({ outDir } = await buildSite({ name: 'search', catalog: 'content/catalog' }));
    server = await serveStatic(outDir);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('indexes the term in exactly one page, the guide', async () => {
    expect(await pagesContaining(outDir, TERM)).toEqual([GUIDE_PATH]);
  });

  it('finds the guide by a word from its body', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${server.url}/`);
    await page.locator('site-search button[data-open-modal]').click();
    const input = page.locator('#starlight__search .pagefind-ui__search-input');
    await input.waitFor({ state: 'visible' });
    await input.fill(TERM);
    const results = page.locator('#starlight__search .pagefind-ui__result-link');
    await results.first().waitFor({ state: 'visible', timeout: 15_000 });
    const found = await results.evaluateAll((links) =>
      links.map((link) => ({
        text: link.textContent?.trim() ?? '',
        href: new URL((link as HTMLAnchorElement).href).pathname,
      })),
    );
    expect(found).toContainEqual({ text: GUIDE_TITLE, href: GUIDE_PATH });
    expect(found.every((result) => result.href.startsWith(GUIDE_PATH))).toBe(true);
  });
});
