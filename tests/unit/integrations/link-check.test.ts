import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { scanHtml } from '../../../src/integrations/html-scan.ts';
import {
  checkLinks,
  formatBrokenLinks,
  linkCheck,
  parseAllowList,
} from '../../../src/integrations/link-check.ts';

const page = (body: string): string =>
  `<!doctype html><html><head><link rel="stylesheet" href="/_astro/site.css"></head><body>${body}</body></html>`;

/** A tiny built site: every internal link form the check must accept or reject. */
const FIXTURE: Record<string, string> = {
  '_astro/site.css': 'body{}',
  'favicon.svg': '<svg/>',
  '404.html': page('<h1 id="_top">Not found</h1><a href="/">Home</a>'),
  'index.html': page(`
    <h1 id="_top">Home</h1>
    <a href="/guides/derive/">trailing slash</a>
    <a href="/guides/derive">no trailing slash</a>
    <a href="guides/derive/#lint-the-image">relative, with fragment</a>
    <a href="/guides/derive/#caf%C3%A9">percent-encoded fragment</a>
    <a href="#_top">same page</a>
    <a href="#top">top of page</a>
    <a href="/legacy">file.html form</a>
    <a href="/404/">the 404 page</a>
    <a href="https://image-mode-hub.example.org/guides/derive/?ref=home">own site, absolute</a>
    <img src="/favicon.svg" srcset="/favicon.svg 1x, /favicon.svg 2x" alt="">
    <a href="mailto:coreos@lists.fedoraproject.org">mail</a>
    <a href="https://docs.fedoraproject.org/en-US/bootc/">Fedora bootc docs</a>
    <a href='https://github.com/bootc-dev/bootc?a=1&amp;b=2'>bootc</a>
    <pre><code>&lt;a href="/in-a-code-sample/"&gt;</code></pre>
    <!-- <a href="/in-a-comment/"> -->
    <script>document.body.innerHTML = '<a href="/in-a-script/">x</a>';</script>
  `),
  'legacy.html': page('<p>Old page</p>'),
  'guides/derive/index.html': page(`
    <h2 id="lint-the-image">Lint the image</h2>
    <h2 id="café">Café</h2>
    <a href="../../">up two levels</a>
    <a href="/guides/missing/">missing page</a>
    <a href="/guides/derive/#no-such-heading">missing fragment</a>
    <a href="../derive/#lint-the-image">relative to itself</a>
    <img src="/images/diagram.png" alt="">
    <a href="/subprojects/fedora-coreos/">generated elsewhere</a>
    <a href="https://docs.fedoraproject.org/en-US/bootc/">Fedora bootc docs</a>
  `),
};

const folders: string[] = [];

/** Write the fixture site to a fresh temporary folder. */
async function writeFixture(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'link-check-'));
  folders.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('scanHtml', () => {
  it('reads links from tags only, never from text, comments or scripts', () => {
    const { links, ids } = scanHtml(FIXTURE['index.html']!);
    const urls = links.map((link) => link.url);
    expect(urls).toContain('https://github.com/bootc-dev/bootc?a=1&b=2');
    expect(urls.filter((url) => url === '/favicon.svg')).toHaveLength(3);
    expect(urls.some((url) => url.includes('/in-a-'))).toBe(false);
    expect([...ids]).toEqual(['_top']);
  });
});

describe('checkLinks', () => {
  it('lists each broken internal link with its page and reason, and accepts every valid form', async () => {
    const dir = await writeFixture(FIXTURE);
    const report = await checkLinks(dir, { site: 'https://image-mode-hub.example.org' });
    expect(report.broken).toEqual([
      {
        page: '/guides/derive/',
        link: '/guides/derive/#no-such-heading',
        reason: 'no element with id "no-such-heading" on /guides/derive/',
      },
      {
        page: '/guides/derive/',
        link: '/guides/missing/',
        reason: 'no page or file at /guides/missing/',
      },
      {
        page: '/guides/derive/',
        link: '/images/diagram.png',
        reason: 'no page or file at /images/diagram.png',
      },
      {
        page: '/guides/derive/',
        link: '/subprojects/fedora-coreos/',
        reason: 'no page or file at /subprojects/fedora-coreos/',
      },
    ]);
    expect(report.pages).toBe(4);
    expect(report.allowedLinks).toBe(0);
  });

  it('lists every external URL once, with the sorted pages that use it', async () => {
    const dir = await writeFixture(FIXTURE);
    const report = await checkLinks(dir, { site: 'https://image-mode-hub.example.org' });
    expect(report.external).toEqual([
      { url: 'https://docs.fedoraproject.org/en-US/bootc/', pages: ['/', '/guides/derive/'] },
      { url: 'https://github.com/bootc-dev/bootc?a=1&b=2', pages: ['/'] },
    ]);
  });

  it('treats an absolute link to another host as external, not as a page of this site', async () => {
    const dir = await writeFixture(FIXTURE);
    const report = await checkLinks(dir, { site: 'https://elsewhere.example.org' });
    expect(report.external.map((entry) => entry.url)).toContain(
      'https://image-mode-hub.example.org/guides/derive/?ref=home',
    );
  });

  it('skips links under an allowed prefix but counts them', async () => {
    const dir = await writeFixture(FIXTURE);
    const report = await checkLinks(dir, { allow: parseAllowList(' /subprojects/, /images/ ,') });
    expect(report.broken.map((entry) => entry.link)).toEqual([
      '/guides/derive/#no-such-heading',
      '/guides/missing/',
    ]);
    expect(report.allowedLinks).toBe(2);
  });
});

describe('checkLinks under a base path', () => {
  /** A page of a site served at https://owner.github.io/hub/, its stylesheet under the base. */
  const based = (body: string) => page(body).replace('"/_astro/', '"/hub/_astro/');
  /** Such a site: its links carry the base, one page forgets it. */
  const BASED: Record<string, string> = {
    'index.html': based(`
      <a href="/hub/guides/derive/">with the base</a>
      <a href="guides/derive/#lint-the-image">relative</a>
      <a href="https://owner.github.io/hub/guides/derive/">own site, absolute</a>
      <a href="/hub/">home</a>
    `),
    'guides/derive/index.html': based(`
      <h2 id="lint-the-image">Lint the image</h2>
      <a href="/guides/derive/">missing the base</a>
      <a href="../../">up to the base</a>
      <a href="https://owner.github.io/guides/derive/">own origin, missing the base</a>
    `),
    '_astro/site.css': 'body{}',
  };

  it('reports a link that misses the base as broken, and accepts links under it', async () => {
    const dir = await writeFixture(BASED);
    const report = await checkLinks(dir, { site: 'https://owner.github.io', base: '/hub' });
    expect(report.broken).toEqual([
      {
        page: '/guides/derive/',
        link: '/guides/derive/',
        reason: "outside the site's base /hub/",
      },
      {
        page: '/guides/derive/',
        link: 'https://owner.github.io/guides/derive/',
        reason: "outside the site's base /hub/",
      },
    ]);
    expect(report.internalLinks).toBe(9);
  });

  it('finds the same page broken at the root, where the base is missing', async () => {
    const dir = await writeFixture(BASED);
    const report = await checkLinks(dir, { site: 'https://owner.github.io' });
    expect(report.broken.map((entry) => `${entry.page} → ${entry.link}`)).toEqual([
      '/ → /hub/',
      '/ → /hub/_astro/site.css',
      '/ → /hub/guides/derive/',
      '/ → https://owner.github.io/hub/guides/derive/',
      '/guides/derive/ → /hub/_astro/site.css',
    ]);
  });
});

describe('formatBrokenLinks', () => {
  it('names the page, the link and the reason, and says what to do', () => {
    expect(
      formatBrokenLinks([
        {
          page: '/guides/derive/',
          link: '/guides/missing/',
          reason: 'no page or file at /guides/missing/',
        },
      ]),
    ).toMatchInlineSnapshot(`
      "Link check: 1 broken internal link on 1 page:
        /guides/derive/ → /guides/missing/ (no page or file at /guides/missing/)
      Fix each link or create its target. Links to routes another branch generates can be allowed with LINK_CHECK_ALLOW="/prefix/,..."."
    `);
  });
});

describe('linkCheck integration', () => {
  /** Run the integration's hooks as Astro would, collecting what it logs. */
  async function runHooks(dir: string, allow?: string[]) {
    const integration = linkCheck(allow ? { allow } : {});
    const logged: string[] = [];
    const logger = {
      info: (message: string) => logged.push(`info: ${message}`),
    };
    const hooks = integration.hooks as Record<string, (options: unknown) => Promise<void> | void>;
    await hooks['astro:config:done']!({
      config: { site: 'https://image-mode-hub.example.org', base: '/' },
    });
    const done = hooks['astro:build:done']!({
      dir: pathToFileURL(`${dir}/`),
      logger,
      pages: [],
      assets: new Map(),
    });
    return { done: Promise.resolve(done), logged };
  }

  it('fails the build when a link is broken, after writing the external-links report', async () => {
    const dir = await writeFixture(FIXTURE);
    const { done, logged } = await runHooks(dir);
    await expect(done).rejects.toThrow(
      '/guides/derive/ → /guides/missing/ (no page or file at /guides/missing/)',
    );
    expect(logged[0]).toMatch(
      /^info: \d+ internal links on 4 pages checked; 2 external URLs listed in /,
    );
    const report = JSON.parse(await readFile(join(dir, 'reports/external-links.json'), 'utf8'));
    expect(report.count).toBe(2);
    expect(report.links[0]).toEqual({
      url: 'https://docs.fedoraproject.org/en-US/bootc/',
      pages: ['/', '/guides/derive/'],
    });
  });

  it('passes a site whose links all resolve', async () => {
    const { 'guides/derive/index.html': _broken, ...rest } = FIXTURE;
    const dir = await writeFixture({
      ...rest,
      'guides/derive/index.html': page('<h2 id="lint-the-image">Lint</h2><h2 id="café">Café</h2>'),
    });
    const { done, logged } = await runHooks(dir, ['/subprojects/']);
    await expect(done).resolves.toBeUndefined();
    expect(logged).toHaveLength(1);
  });
});

describe('script URLs', () => {
  it('fails a page that links to javascript: or vbscript:, whatever the case or spacing', async () => {
    const dir = await writeFixture({
      '_astro/site.css': 'body{}',
      'index.html': page(
        '<a href="javascript:alert(1)">a</a><a href=" JavaScript:alert(2)">b</a><a href="vbscript:x">c</a><a href="mailto:a@example.org">ok</a>',
      ),
    });
    const report = await checkLinks(dir);
    expect(report.broken.map((broken) => `${broken.link}: ${broken.reason}`)).toEqual([
      'javascript:alert(1): a script URL; links are http(s) only',
      'JavaScript:alert(2): a script URL; links are http(s) only',
      'vbscript:x: a script URL; links are http(s) only',
    ]);
  });
});
