/**
 * The handover as a SIG sees it, in a real browser, on a fixture catalog committed in a temporary
 * git repository in three commits (the base image signing goes proposed → shadowing →
 * handed-over): the SIG page lists the orphans of its subproject and what it takes over with the
 * due date (the initiative's own chat room among them); an overdue item is marked; counts sum to
 * the total; the board has a row for the initiative, and the board and the feed show the state
 * changes with their commit dates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { buildSite, launchBrowser, type SiteBuild } from '../helpers/site.ts';
import { serveStatic, type StaticServer } from '../helpers/static-server.ts';
import { createHandoverCatalog, HANDOVER_COMMITS } from '../helpers/handover-catalog.ts';
import type { CatalogCopy } from '../helpers/catalog.ts';

let catalog: CatalogCopy;
let site: SiteBuild;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  catalog = await createHandoverCatalog();
  site = await buildSite({ name: 'handover', catalog: catalog.dir });
  [server, browser] = await Promise.all([serveStatic(site.outDir), launchBrowser()]);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await catalog?.remove();
});

async function open(path: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const response = await page.goto(server.url + path);
  expect(response?.status(), `${path} should be served`).toBe(200);
  return page;
}

/** The text of each item of the list right after a heading. */
async function listAfter(page: Page, headingId: string): Promise<string[]> {
  const items = await page.locator(`#${headingId} ~ ul`).first().locator('> li').allTextContents();
  return items.map((item) => item.replace(/\s+/g, ' ').trim());
}

/** Read a state-totals table: the count of each state and the total row. */
async function readTotals(page: Page): Promise<{ counts: number[]; total: number }> {
  const table = page.locator('table.state-totals');
  const counts = (await table.locator('tr[data-state] td.count').allTextContents()).map(Number);
  const total = Number(await table.locator('tr.total td.count').textContent());
  return { counts, total };
}

describe('a SIG page, from the SIG’s seat', () => {
  it('lists the orphans of its subproject and what it takes over, with due dates and the overdue marked', async () => {
    const page = await open('/owners/coreos-wg/');
    expect(await listAfter(page, 'orphaned')).toEqual([
      'CoreOS Konflux tenant (Fedora CoreOS) orphaned',
    ]);
    const incoming = await listAfter(page, 'incoming');
    expect(incoming).toEqual([
      'Base image pipeline (Base images) shadowing — due approx. Jun 2027 — talk to bootc base images team',
      'CoreOS release notes (Fedora CoreOS) proposed — due 2026-01-15 overdue — talk to @dustymabe',
      'Initiative chat room (Test Initiative) shadowing — due approx. Jun 2027 — talk to bootc base images team',
    ]);
    // The initiative's own deliverable links to its row on the board, not to a subproject.
    await expect(
      page.locator('#incoming ~ ul a', { hasText: 'Initiative chat room' }).getAttribute('href'),
    ).resolves.toBe('/handover/#initiative-deliverable-chat');
    await expect(page.locator('#incoming ~ ul .overdue').count()).resolves.toBe(1);
    // The table of contents lists the sections a SIG looks for.
    const toc = await page.locator('starlight-toc a').allTextContents();
    for (const section of ['Owns today', 'Taking over', 'Orphaned in its subprojects'])
      expect(toc.map((text) => text.trim())).toContain(section);
    // What it now owns includes the signing it took over.
    expect(await listAfter(page, 'owns')).toContain('Base image signing (Base images) handed-over');
  });

  it('counts every deliverable once on /subprojects/ and /owners/, the counts summing to the total', async () => {
    // /owners/ counts the initiative's own deliverable; /subprojects/ does not, and says so.
    for (const [path, expected] of [
      ['/subprojects/', 5],
      ['/owners/', 6],
    ] as const) {
      const { counts, total } = await readTotals(await open(path));
      expect(total, path).toBe(expected);
      expect(
        counts.reduce((sum, count) => sum + count, 0),
        path,
      ).toBe(total);
    }
    const page = await open('/subprojects/');
    const rows = await page.locator('td.deliverables').allTextContents();
    const perRow = rows.map((text) => {
      const [total, ...states] = [...text.matchAll(/(\d+)/g)].map((match) => Number(match[1]));
      return { total, sum: states.reduce((sum, count) => sum + count, 0) };
    });
    for (const row of perRow) expect(row.sum).toBe(row.total);
    expect(perRow.reduce((sum, row) => sum + row.total!, 0)).toBe(5);
    const note = await page.locator('.initiative-note').textContent();
    expect(note?.replace(/\s+/g, ' ').trim()).toBe(
      'Not counted here: the initiative’s own deliverables (1), which belong to no subproject; the owners page and the handover board count them with the rest.',
    );
  });
});

describe('the handover board and its feed', () => {
  it('puts the overdue and orphaned first, gives the initiative its row, and shows the state changes with their commit dates', async () => {
    const page = await open('/handover/');
    expect(await listAfter(page, 'attention')).toEqual([
      'CoreOS release notes (Fedora CoreOS) proposed overdue — due 2026-01-15 — to Fedora CoreOS Working Group',
      'CoreOS Konflux tenant (Fedora CoreOS) orphaned',
    ]);
    const rows = await page
      .locator('table.history tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...(tr as HTMLTableRowElement).cells]
            .map((cell) => cell.textContent?.replace(/\s+/g, ' ').trim())
            .join(' '),
        ),
      );
    expect(rows.filter((row) => row.includes('state '))).toEqual([
      expect.stringMatching(
        /^2026-09-01 Base image signing state shadowing → handed-over [0-9a-f]{12} by Handover Tester: Base image signing handed over to the CoreOS WG$/,
      ),
      expect.stringMatching(
        /^2026-06-10 Base image signing state proposed → shadowing [0-9a-f]{12} by Handover Tester: CoreOS WG shadows the base image signing$/,
      ),
      expect.stringMatching(
        /^2026-06-10 Initiative chat room state proposed → shadowing [0-9a-f]{12} by Handover Tester: CoreOS WG shadows the base image signing$/,
      ),
    ]);
    const cell = await page.locator('#board-base-signing').textContent();
    expect(cell?.replace(/\s+/g, ' ')).toContain('state proposed → shadowing on 2026-06-10');
    // The initiative has its own row, and its deliverable a row in the initiative's list.
    const heads = await page.locator('table.board tbody th').allTextContents();
    expect(heads.map((text) => text.trim())).toContain('Test Initiative (its own)');
    const chat = await page.locator('#board-initiative-chat').innerText();
    expect(chat?.replace(/\s+/g, ' ')).toContain(
      'Initiative chat room shadowing bootc base images team → Fedora CoreOS Working Group state proposed → shadowing on 2026-06-10',
    );
    const row = await page.locator('#initiative-deliverable-chat').textContent();
    expect(row?.replace(/\s+/g, ' ')).toContain('due approx. Jun 2027');
    const results = await new AxeBuilder({ page })
      .exclude('site-search > button[data-open-modal]')
      .analyze();
    expect(results.violations.map((violation) => violation.id)).toEqual([]);
  });

  it('publishes the changes as an Atom feed with their commit dates', async () => {
    const feed = await readFile(join(site.outDir, 'feeds', 'handover.xml'), 'utf8');
    const entries = [...feed.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((match) => ({
      title: /<title>([^<]*)<\/title>/.exec(match[0])![1],
      updated: new Date(/<updated>([^<]*)<\/updated>/.exec(match[0])![1]!).toISOString(),
    }));
    expect(entries).toContainEqual({
      title: 'Base image signing (Base images): state proposed → shadowing',
      updated: new Date(HANDOVER_COMMITS.shadowing).toISOString(),
    });
    expect(entries).toContainEqual({
      title: 'Initiative chat room (Test Initiative): state proposed → shadowing',
      updated: new Date(HANDOVER_COMMITS.shadowing).toISOString(),
    });
    expect(entries).toContainEqual({
      title: 'Base image signing (Base images): state shadowing → handed-over',
      updated: new Date(HANDOVER_COMMITS.handedOver).toISOString(),
    });
  });

  it('gives a person a page with what they own and what the forges say', async () => {
    const page = await open('/people/github/dustymabe/');
    expect(await listAfter(page, 'owns')).toEqual([
      'CoreOS release notes (Fedora CoreOS) proposed',
    ]);
    await expect(page.locator('#groups ~ ul').first().textContent()).resolves.toContain(
      'Fedora CoreOS Working Group',
    );
  });
});
