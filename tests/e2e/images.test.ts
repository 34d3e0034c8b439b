/**
 * The image pages in a real browser, on a fixture site whose snapshot carries hostile labels and
 * one image with 2,000 tags: filters, copy buttons, escaping, the lineage graph, the stacked
 * tables at phone width, axe in both themes, badges as XML, and page weight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { renderBadge } from '../../src/site/badges.ts';
import type { ImagesSnapshot, TagSnapshot } from '../../src/snapshot/schema.ts';
import { buildSite, launchBrowser, type SiteBuild } from '../helpers/site.ts';
import { serveStatic, type StaticServer } from '../helpers/static-server.ts';
import { copyCatalog, type CatalogCopy } from '../helpers/catalog.ts';

const BOOTC = '/images/quay.io/fedora/fedora-bootc/';
const COREOS = '/images/quay.io/fedora/fedora-coreos/';
const SCRIPT = '<script>window.__pwned = 1</script>';
const TAG_COUNT = 2_000;

/** A sha256 digest as random-looking as a real one (gzip must not find it cheaper), distinct per number. */
const digestOf = (n: number) => `sha256:${createHash('sha256').update(String(n)).digest('hex')}`;

/** Write the fixture snapshot with hostile labels on bootc:44 and 2,000 tags on CoreOS. */
async function hostileSnapshot(dir: string): Promise<ImagesSnapshot> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp('tests/fixtures/snapshot', dir, { recursive: true });
  const file = join(dir, 'images.json');
  const snapshot = JSON.parse(await readFile(file, 'utf8')) as ImagesSnapshot;
  const bootc = snapshot.images[0]!;
  for (const platform of bootc.tags.find((tag) => tag.name === '44')!.platforms)
    Object.assign(platform.labels, {
      'org.opencontainers.image.description': SCRIPT,
      'org.opencontainers.image.source': 'javascript:alert(document.domain)',
      'org.opencontainers.image.url': SCRIPT,
    });
  const coreos = snapshot.images[1]!;
  const template = coreos.tags[0]!;
  const day = 86_400_000;
  coreos.tags = Array.from({ length: TAG_COUNT }, (_, index): TagSnapshot => {
    const created = new Date(Date.parse('2026-11-27T00:00:00Z') - index * day).toISOString();
    return {
      ...template,
      name: `44.${created.slice(0, 10).replaceAll('-', '')}.3.0`,
      digest: digestOf(index + 1),
      streams: index < 10 ? ['production'] : [],
      platforms: ['amd64', 'arm64', 'ppc64le', 's390x'].map((architecture, arch) => ({
        ...template.platforms[0]!,
        architecture,
        digest: digestOf(100_000 + index * 4 + arch),
        created,
      })),
    };
  });
  coreos.tagCount = TAG_COUNT;
  await writeFile(file, JSON.stringify(snapshot));
  return snapshot;
}

let site: SiteBuild;
let server: StaticServer;
let browser: Browser;
let snapshot: ImagesSnapshot;
let catalog: CatalogCopy;

/** The fixture catalog, with CoreOS declaring its builder and a second stream with its own base. */
async function lineageCatalog(): Promise<CatalogCopy> {
  const copy = await copyCatalog();
  await copy.edit('subprojects/coreos.yaml', (text) =>
    text
      .replace(
        '    basedOn: quay.io/fedora/fedora-bootc\n',
        '    basedOn: quay.io/fedora/fedora-bootc\n    builder: quay.io/fedora/fedora-bootc\n',
      )
      .replace(
        '        tags: [stable, testing, next]\n',
        '        tags: [stable, testing, next]\n      - name: devel\n        tags: [next-devel]\n        basedOn: quay.io/fedora/fedora-bootc\n',
      ),
  );
  return copy;
}

beforeAll(async () => {
  const dir = resolve('.cache/test-sites/images-snapshot');
  [snapshot, catalog] = await Promise.all([hostileSnapshot(dir), lineageCatalog()]);
  site = await buildSite({ name: 'images', snapshot: dir, catalog: catalog.dir });
  [server, browser] = await Promise.all([serveStatic(site.outDir), launchBrowser()]);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await catalog?.remove();
});

async function open(path: string, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  const response = await page.goto(server.url + path);
  expect(response?.status(), `${path} should be served`).toBe(200);
  return page;
}

describe('/images/ as a catalog', () => {
  it('lists every image without JavaScript, and the filters narrow the list with it', async () => {
    const plain = await open('/images/', { javaScriptEnabled: false });
    await expect(plain.locator('tr.image-row:visible').count()).resolves.toBe(2);
    await expect(plain.locator('form.image-filters').isVisible()).resolves.toBe(false);
    const page = await open('/images/');
    const form = page.locator('form.image-filters');
    await expect(form.isVisible()).resolves.toBe(true);
    await form.getByLabel('Role').selectOption('variant');
    const rows = page.locator('tr.image-row:visible');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('quay.io/fedora/fedora-coreos');
    await expect(page.locator('#role-base').isVisible()).resolves.toBe(false);
    await expect(form.textContent()).resolves.toContain('Showing 1 of 2 images.');
    await form.getByLabel('Role').selectOption('');
    await form.getByLabel('Architecture').selectOption('s390x');
    await expect(rows.count()).resolves.toBe(2);
  });
});

describe('an image page', () => {
  it('shows the builder, linked to its page, and what each stream is based on', async () => {
    const page = await open(COREOS);
    const builder = page.locator('p.builder');
    await expect(builder.innerText()).resolves.toBe(
      'Built in quay.io/fedora/fedora-bootc: the image its build runs in.',
    );
    await expect(builder.locator('a').getAttribute('href')).resolves.toBe(BOOTC);
    const streams = await page.locator('li.stream').allInnerTexts();
    expect(streams.map((text) => text.replace(/^(\S+).*· (based on .*)$/s, '$1 $2'))).toEqual([
      'production based on quay.io/fedora/fedora-bootc',
      'devel based on quay.io/fedora/fedora-bootc',
    ]);
    await expect(
      page
        .locator('li.stream .stream-base a')
        .evaluateAll((links) => links.map((link) => link.getAttribute('href'))),
    ).resolves.toEqual([BOOTC, BOOTC]);
  });

  it('copies the command of the :44 row, pinned by digest', async () => {
    const page = await open(BOOTC, { permissions: ['clipboard-read', 'clipboard-write'] });
    const row = page.locator('table.tag-table tbody tr[data-tags~="44"]');
    await row.locator('details.use summary').click();
    await row.getByRole('button', { name: 'Copy: Pull, pinned by digest' }).click();
    const digest = snapshot.images[0]!.tags.find((tag) => tag.name === '44')!.digest;
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(
      `podman pull quay.io/fedora/fedora-bootc@${digest}`,
    );
    await row.getByRole('button', { name: 'Copy: Switch a bootc host', exact: true }).click();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(
      'sudo bootc switch quay.io/fedora/fedora-bootc:44',
    );
  });

  it('shows the bootc tab with the bootc command only, though the image is named after bootc', async () => {
    // The fixture catalog lists `latest` first, so the "Use it" commands use that tag.
    const page = await open(BOOTC);
    await page.getByRole('tab', { name: 'bootc' }).click();
    const panel = page.locator('[role="tabpanel"]:visible');
    await expect(panel.locator('.ec-line').allTextContents()).resolves.toEqual([
      'sudo bootc switch quay.io/fedora/fedora-bootc:latest',
    ]);
  });

  it('shows labels holding <script> or javascript: as text, never as markup or a link', async () => {
    const page = await open(BOOTC);
    await expect(page.evaluate(() => 'pwned' in window || '__pwned' in window)).resolves.toBe(
      false,
    );
    await page.locator('details.build').first().locator('summary').click();
    await expect(page.locator('main').textContent()).resolves.toContain(SCRIPT);
    await expect(page.locator('a[href^="javascript:"]').count()).resolves.toBe(0);
    await expect(page.locator('script', { hasText: '__pwned' }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: /from the image label/ }).count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: /pwned/ }).count()).resolves.toBe(0);
  });

  it('lays the tag table out as cards at 390 px, with every cell inside the viewport', async () => {
    const page = await open(BOOTC, { viewport: { width: 390, height: 844 } });
    const boxes = await page
      .locator('table.tag-table td')
      .evaluateAll((cells) => cells.map((cell) => cell.getBoundingClientRect().toJSON()));
    expect(boxes.length).toBeGreaterThan(6);
    for (const box of boxes) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    await expect(
      page.evaluate(() => document.documentElement.scrollWidth),
    ).resolves.toBeLessThanOrEqual(390);
    const caption = await page
      .locator('table.tag-table td')
      .nth(4)
      .evaluate((cell) => getComputedStyle(cell, '::before').content);
    expect(caption).toBe('"Signed"');
  });

  it('keeps an image with 2,000 tags under 150 KB of gzipped HTML', async () => {
    const html = await readFile(join(site.outDir, COREOS.slice(1), 'index.html'));
    const size = gzipSync(html).length;
    console.info(`fedora-coreos with ${TAG_COUNT} tags: ${html.length} bytes, ${size} gzipped`);
    expect(size).toBeLessThanOrEqual(150 * 1024);
    const page = await open(COREOS);
    await expect(page.locator('#older-builds ~ div table tbody tr').count()).resolves.toBe(
      TAG_COUNT - 12,
    );
  });
});

describe('the lineage graph', () => {
  it('links every node to its image page', async () => {
    const page = await open('/images/lineage/');
    const nodes = page.locator('figure.lineage a.node');
    await expect(nodes.count()).resolves.toBe(2);
    const refs = await nodes.evaluateAll((links) =>
      links.map((link) => [link.getAttribute('data-ref'), link.getAttribute('href')]),
    );
    expect(refs).toEqual([
      ['quay.io/fedora/fedora-bootc', BOOTC],
      ['quay.io/fedora/fedora-coreos', COREOS],
    ]);
    await nodes.nth(1).click();
    await page.waitForURL(`**${COREOS}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'quay.io/fedora/fedora-coreos',
    );
  });
});

describe('badges', () => {
  it('serve well-formed SVG, and a hostile label stays text', async () => {
    const page = await open('/images/');
    const served = await (
      await page.request.get(`${server.url}/badges/quay.io/fedora/fedora-bootc.svg`)
    ).text();
    const hostile = renderBadge({ label: `${SCRIPT}"&'`, message: ']]><x/>', color: 'orange' });
    const parsed = await page.evaluate(
      (documents) =>
        documents.map((text) => {
          const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
          return {
            error: doc.getElementsByTagName('parsererror').length > 0,
            elements: [...doc.getElementsByTagName('*')].map((element) => element.tagName),
            texts: [...doc.getElementsByTagName('text')].map((element) => element.textContent),
          };
        }),
      [served, hostile],
    );
    expect(parsed[0]!.error).toBe(false);
    expect(parsed[0]!.texts[0]).toBe('fedora-bootc');
    expect(parsed[1]!.error).toBe(false);
    expect(parsed[1]!.elements).not.toContain('script');
    expect(parsed[1]!.elements).not.toContain('x');
    expect(parsed[1]!.texts).toEqual([`${SCRIPT}"&'`, ']]><x/>']);
  });
});

describe('accessibility of the image pages', () => {
  for (const path of ['/images/', BOOTC, '/choose/', '/images/lineage/'])
    it(`has no axe violations on ${path}, in the light and the dark theme`, async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await open(path, { colorScheme });
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
});
