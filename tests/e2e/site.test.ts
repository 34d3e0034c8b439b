/**
 * The built site in a real browser: the real catalog renders a page per subproject with its SIGs'
 * contacts; the fixture site shows image data as a reader sees it; key pages pass axe; the search
 * finds a guide by a word from its body. Every site build of the tests is here, one after the
 * other: builds of one project share its content-layer cache, so they must not run at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { loadCatalog } from '../../src/catalog/load.ts';
import { countMarkedInFiles } from '../helpers/catalog.ts';
import { buildSite, launchBrowser, type SiteBuild } from '../helpers/site.ts';
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

let real: SiteBuild;
let fixture: SiteBuild;
let realServer: StaticServer;
let fixtureServer: StaticServer;
let browser: Browser;

beforeAll(async () => {
  real = await buildSite({
    name: 'real',
    catalog: 'content/catalog',
    snapshot: 'content/snapshot',
  });
  fixture = await buildSite({ name: 'fixture' });
  [realServer, fixtureServer, browser] = await Promise.all([
    serveStatic(real.outDir),
    serveStatic(fixture.outDir),
    launchBrowser(),
  ]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await realServer?.close();
  await fixtureServer?.close();
});

async function open(server: StaticServer, path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const response = await page.goto(server.url + path);
  expect(response?.status(), `${path} should be served`).toBe(200);
  return page;
}

describe('the real catalog', () => {
  it('renders one page per subproject, with its SIGs and their contacts', async () => {
    const catalog = await loadCatalog('content/catalog');
    expect(catalog.subprojects.length).toBeGreaterThanOrEqual(7);
    for (const subproject of catalog.subprojects) {
      const file = join(real.outDir, 'subprojects', subproject.id, 'index.html');
      expect(existsSync(file), `${file} exists`).toBe(true);
      const html = await readFile(file, 'utf8');
      expect(html).toMatch(
        new RegExp(`<h1 id="_top"[^>]*>${subproject.name.replaceAll('&', '&amp;')}</h1>`),
      );
      for (const id of subproject.sigs) {
        const sig = catalog.sigs.find((candidate) => candidate.id === id)!;
        expect(html, `${subproject.id} names ${sig.name}`).toContain(
          sig.name.replaceAll('&', '&amp;'),
        );
        for (const room of sig.contacts.matrix ?? [])
          expect(html, `${subproject.id} links ${room}`).toContain(
            `https://matrix.to/#/${encodeURIComponent(room)}`,
          );
        for (const list of sig.contacts.mailingLists ?? [])
          expect(html).toContain(`mailto:${list}`);
      }
    }
  });

  it('shows the Fedora CoreOS page as a reader sees it', async () => {
    const page = await open(realServer, '/subprojects/fedora-coreos/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Fedora CoreOS',
    );
    const contacts = page.locator('#sig-coreos-wg ~ dl').first();
    await expect(contacts.textContent()).resolves.toContain('#coreos:fedoraproject.org');
    await expect(
      page.getByRole('link', { name: 'coreos@lists.fedoraproject.org' }).count(),
    ).resolves.toBeGreaterThan(0);
  });

  it('has the six sidebar sections, a sitemap, a search index and a 404 page', async () => {
    // The home page is a splash page without a sidebar; any docs page shows it.
    const page = await open(realServer, '/start-here/what-is-image-mode/');
    const sidebar = page.locator('#starlight__sidebar');
    for (const section of [
      'Start here',
      'Guides',
      'Subprojects',
      'Images',
      'Owners',
      'Milestones',
    ]) {
      await expect(
        sidebar.getByText(section, { exact: true }).count(),
        section,
      ).resolves.toBeGreaterThan(0);
    }
    // The written sections list their pages (they live in content/docs/, not src/content/docs/).
    for (const [name, href] of [
      ['Get involved', '/start-here/get-involved/'],
      ['Build and test a base image', '/guides/build-a-base-image/'],
    ]) {
      await expect(
        sidebar.locator(`a[href="${href}"]`).count(),
        `sidebar link to ${name}`,
      ).resolves.toBe(1);
    }
    // Written pages carry an edit link to their file and the date of their newest commit.
    await expect(
      page.getByRole('link', { name: 'Edit page' }).getAttribute('href'),
    ).resolves.toMatch(/\/content\/docs\/start-here\/what-is-image-mode\.mdx?$/);
    await expect(page.locator('footer').textContent()).resolves.toMatch(
      /Last updated: [A-Z][a-z]{2} \d{1,2}, \d{4}/,
    );
    expect(await readFile(join(real.outDir, 'sitemap-0.xml'), 'utf8')).toContain(
      '/subprojects/fedora-coreos/',
    );
    const pagefind = JSON.parse(
      await readFile(join(real.outDir, 'pagefind', 'pagefind-entry.json'), 'utf8'),
    ) as { languages: Record<string, { page_count: number }> };
    expect(Object.values(pagefind.languages)[0]!.page_count).toBeGreaterThan(20);
    const missing = await (await browser.newContext()).newPage();
    const response = await missing.goto(`${realServer.url}/no/such/page/`);
    expect(response?.status()).toBe(404);
    await expect(missing.locator('main').textContent()).resolves.toContain(
      'There is no page at this address',
    );
  });
});

describe('accessibility of the real site', () => {
  for (const path of [
    '/guides/konflux-pipeline/',
    '/handover/fedora-coreos/',
    '/subprojects/bootc-base-images/',
    '/images/ghcr.io/ublue-os/bluefin/',
    '/owners/',
  ]) {
    it(`has no axe violations on ${path}, in the light and the dark theme`, async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await (await browser.newContext({ colorScheme })).newPage();
        await page.goto(realServer.url + path);
        const results = await new AxeBuilder({ page })
          .exclude('site-search > button[data-open-modal]')
          .analyze();
        expect(
          results.violations.map(
            (violation) =>
              `${colorScheme} ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
          ),
        ).toEqual([]);
      }
    });
  }
});

describe('image data as a reader sees it (fixture site)', () => {
  it('groups tags by digest and gives the commands with the digest pinned', async () => {
    const page = await open(fixtureServer, '/images/quay.io/fedora/fedora-bootc/');
    const firstRow = page.locator('table.tag-table tbody tr').first();
    await expect(firstRow.locator('code.tag').allTextContents()).resolves.toEqual(['44', 'latest']);
    await expect(firstRow.textContent()).resolves.toContain('arm64/v8');
    const digest = JSON.parse(await readFile('tests/fixtures/snapshot/images.json', 'utf8'))
      .images[0].tags[0].digest as string;
    await expect(page.locator('main').textContent()).resolves.toContain(
      `podman pull quay.io/fedora/fedora-bootc@${digest}`,
    );
    await expect(page.getByText('Sample data').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#mirrors ~ section').first().textContent()).resolves.toContain(
      '2 tags match, 1 differ, 0 missing.',
    );
  });

  it('shows the Konflux pipelines and the owners a repository names, with file and line', async () => {
    const page = await open(fixtureServer, '/subprojects/coreos/');
    await expect(page.locator('#pipelines ~ div table').first().textContent()).resolves.toContain(
      'fedora-coreos-stable-on-push',
    );
    await expect(page.locator('#observed-owners ~ ul').first().textContent()).resolves.toContain(
      '@dustymabe in coreos/fedora-coreos-config: .github/CODEOWNERS line 3 (*)',
    );
  });

  it('marks stale data with the error and the time of the last good fetch', async () => {
    const page = await open(fixtureServer, '/images/quay.io/fedora/fedora-coreos/');
    const status = page.locator('.status').first();
    await expect(status.textContent()).resolves.toContain(
      'The last sync failed; showing data fetched 2026-11-20 04:00 UTC.',
    );
    await expect(status.textContent()).resolves.toContain('429 TOOMANYREQUESTS after 4 tries');
    await expect(page.locator('.based-on').first().textContent()).resolves.toContain(
      '1 base build / 2 days behind',
    );
  });

  it('publishes the same data as JSON and as an Atom feed', async () => {
    const snapshot = JSON.parse(await readFile('tests/fixtures/snapshot/images.json', 'utf8'));
    const images = JSON.parse(await readFile(join(fixture.outDir, 'api', 'images.json'), 'utf8'));
    expect(
      images.images.map((image: { ref: string; status: string }) => [image.ref, image.status]),
    ).toEqual([
      ['quay.io/fedora/fedora-bootc', 'live'],
      ['quay.io/fedora/fedora-coreos', 'stale'],
    ]);
    // The list is a summary; each image's whole record is in the file its `details` names.
    expect(images.images[0].details).toBe('/api/images/quay.io/fedora/fedora-bootc.json');
    const bootc = JSON.parse(
      await readFile(
        join(fixture.outDir, ...(images.images[0].details as string).split('/')),
        'utf8',
      ),
    );
    expect(bootc.tags).toEqual(snapshot.images[0].tags);
    const one = JSON.parse(
      await readFile(
        join(fixture.outDir, 'api', 'images', 'quay.io', 'fedora', 'fedora-coreos.json'),
        'utf8',
      ),
    );
    expect(one.tags[0].basedOn.ref).toBe('quay.io/fedora/fedora-bootc:44');
    const feed = await readFile(join(fixture.outDir, 'feeds', 'images.xml'), 'utf8');
    const titles = [...feed.matchAll(/<entry>\s*<title>([^<]*)<\/title>/g)].map(
      (match) => match[1],
    );
    expect(titles).toEqual([
      '[Sample] quay.io/fedora/fedora-bootc: rawhide',
      '[Sample] quay.io/fedora/fedora-bootc: 44, latest',
      '[Sample] quay.io/fedora/fedora-coreos: stable',
    ]);
    const milestones = JSON.parse(
      await readFile(join(fixture.outDir, 'api', 'milestones.json'), 'utf8'),
    );
    expect(milestones.milestones[0].criteria[0]).toMatchObject({
      kind: 'built-on-base',
      status: 'met',
    });
  });

  for (const path of [
    '/',
    '/subprojects/coreos/',
    '/images/',
    '/images/quay.io/fedora/fedora-bootc/',
    '/owners/',
    '/owners/coreos-wg/',
    '/milestones/',
  ]) {
    it(`has no axe violations on ${path}`, async () => {
      const page = await open(fixtureServer, path);
      // Starlight's own search button shows a "Ctrl K" hint beside its label, which axe reads as a
      // label/content mismatch; that markup is upstream's, so the button alone is left out.
      const results = await new AxeBuilder({ page })
        .exclude('site-search > button[data-open-modal]')
        .analyze();
      expect(
        results.violations.map(
          (violation) =>
            `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
        ),
      ).toEqual([]);
    });
  }
});

describe('site search', () => {
  it('indexes the term in exactly one page, the guide', async () => {
    expect(await pagesContaining(real.outDir, TERM)).toEqual([GUIDE_PATH]);
  });

  it('finds the guide by a word from its body', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${realServer.url}/`);
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

/** List the built pages of a site as paths, e.g. `/images/`. */
async function listPages(outDir: string): Promise<string[]> {
  const entries = await readdir(outDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name === 'index.html')
    .map((entry) => `/${relative(outDir, join(entry.parentPath, entry.name))}`)
    .map((path) => path.replace(/index\.html$/, ''))
    .sort();
}

describe('what the pages claim', () => {
  it('never calls sample data live, on any page of the sample fixture site', async () => {
    const pages = await listPages(fixture.outDir);
    expect(pages.length).toBeGreaterThan(10);
    const withChips: string[] = [];
    for (const path of pages) {
      const html = await readFile(join(fixture.outDir, path, 'index.html'), 'utf8');
      const chips = [...html.matchAll(/<span class="sl-badge[^"]*"[^>]*>([^<]*)<\/span>/g)].map(
        (match) => match[1]!.trim(),
      );
      expect(chips, path).not.toContain('Live');
      expect(html, path).not.toMatch(/with live data/);
      if (chips.includes('Sample')) withChips.push(path);
    }
    expect(withChips).toEqual(expect.arrayContaining(['/images/', '/subprojects/coreos/']));
    const page = await open(fixtureServer, '/images/');
    await expect(page.getByText('Live', { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByText('Sample', { exact: true }).count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('main').textContent()).resolves.toMatch(/with sample data/);
  });

  it('marks an unverified fact with its reason and source, linked to the list', async () => {
    const page = await open(fixtureServer, '/subprojects/coreos/');
    const row = page.locator('#deliverable-fcos-image');
    const marker = row.getByRole('link', { name: /^Unverified: inferred from the meeting list/ });
    await expect(marker.textContent()).resolves.toBe('unverified');
    await expect(marker.getAttribute('title')).resolves.toBe(
      'Unverified: inferred from the meeting list. Source: https://github.com/coreos/fedora-coreos-tracker',
    );
    await marker.click();
    await page.waitForURL(/\/unverified\/#coreos$/);
    const fact = page.locator('#coreos-deliverables-fcos-image-owner');
    await expect(fact.textContent()).resolves.toContain('deliverables[fcos-image].owner');
    await expect(
      fact
        .getByRole('link', { name: 'github.com/coreos/fedora-coreos-tracker' })
        .getAttribute('href'),
    ).resolves.toBe('https://github.com/coreos/fedora-coreos-tracker');
  });

  it('lists as many unverified facts as the catalog marks, and the notice counts them', async () => {
    const marked = await countMarkedInFiles('content/catalog');
    const page = await open(realServer, '/unverified/');
    await expect(page.locator('tr.unverified-row').count()).resolves.toBe(marked);
    await expect(page.locator('#unverified-count').textContent()).resolves.toBe(
      `${marked} unverified facts`,
    );
    const subprojects = await open(realServer, '/subprojects/');
    const notice = subprojects.locator('a.unverified-count');
    await expect(notice.textContent()).resolves.toMatch(
      new RegExp(`^\\s*${marked} unverified facts\\s*$`),
    );
    await expect(notice.getAttribute('href')).resolves.toBe('/unverified/');
  });

  it('says that the base images roster is inferred from package maintainers', async () => {
    const page = await open(realServer, '/owners/bootc-base-images-team/');
    const aside = page.locator('aside', { hasText: 'Not a declared roster' });
    await expect(aside.textContent()).resolves.toMatch(/maintainers of the Fedora bootc package/);
    await expect(
      aside.locator('a[href="https://packages.fedoraproject.org/pkgs/bootc/bootc/"]').count(),
    ).resolves.toBe(1);
    await expect(
      page.getByRole('link', { name: 'Discussion' }).first().getAttribute('href'),
    ).resolves.toMatch(/^https:\/\/discussion\.fedoraproject\.org\/t\/renewing-/);
  });
});
