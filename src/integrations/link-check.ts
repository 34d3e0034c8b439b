/**
 * Link check for the built site, as an Astro integration (hook `astro:build:done`).
 *
 * It scans every HTML file in the output, resolves every internal `href`, `src` and `srcset` to a
 * built file, and checks that a `#fragment` names an element id on the target page. Any broken link
 * fails the build with a list of `page → link (reason)`. Every external URL is listed, with the pages
 * that use it, in `dist/reports/external-links.json`; the log gets a one-line summary.
 *
 * Allow-list: `LINK_CHECK_ALLOW` is a comma-separated list of path prefixes whose targets are not
 * required to exist, for branches that link to routes another branch generates, e.g.
 * `LINK_CHECK_ALLOW="/subprojects/,/images/,/owners/,/milestones/" npm run build`. Allowed links are
 * counted in the summary, never silently dropped. Leave it unset on main. Test builds over a fixture
 * catalog that lacks the subprojects the handover pages link to need it as well
 * (`LINK_CHECK_ALLOW="/subprojects/"`).
 */
import type { AstroIntegration } from 'astro';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanHtml, type ScannedPage } from './html-scan.ts';

/** Options of the link check. */
export interface LinkCheckOptions {
  /** Path prefixes whose targets need not exist. Defaults to `LINK_CHECK_ALLOW`. */
  allow?: string[];
  /** The site's own origin; absolute links to it are checked as internal. Defaults to Astro's `site`. */
  site?: string;
  /** Astro's `base`, stripped from internal paths before they are looked up. Defaults to Astro's `base`. */
  base?: string;
}

/** An internal link whose target does not exist. */
export interface BrokenLink {
  /** URL path of the page holding the link, e.g. `/guides/derive-an-image/`. */
  page: string;
  /** The link as written in the page. */
  link: string;
  /** Why it is broken, e.g. `no page at /nope/`. */
  reason: string;
}

/** An external URL and the pages that use it. */
export interface ExternalLink {
  url: string;
  pages: string[];
}

/** The result of checking one output folder. */
export interface LinkReport {
  pages: number;
  internalLinks: number;
  allowedLinks: number;
  broken: BrokenLink[];
  external: ExternalLink[];
}

const SKIPPED_SCHEMES = /^(mailto|tel|data|blob|about|sms):/i;
/** Script URLs run code when clicked: a link built from registry or forge text must never be one. */
const SCRIPT_SCHEMES = /^\s*(javascript|vbscript):/i;
const PLACEHOLDER_ORIGIN = 'http://link-check.invalid';

/** Read the allow-list from a `LINK_CHECK_ALLOW`-style value: comma-separated path prefixes. */
export function parseAllowList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((prefix) => prefix.trim())
    .filter((prefix) => prefix !== '');
}

/** List every file under a folder, as `/`-separated paths relative to it. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Turn an output file path into the URL path it is served at (`a/index.html` → `/a/`). */
export function pagePathOf(file: string): string {
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html')) return `/${file.slice(0, -'index.html'.length)}`;
  return `/${file}`;
}

/**
 * Find the built file a URL path is served from, trying `index.html` and `.html` forms
 * (`/404/` is served from `404.html`, which is where Astro writes that page).
 */
function resolveFile(pathname: string, files: Set<string>): string | undefined {
  const path = pathname.replace(/^\/+/, '');
  const candidates =
    path === ''
      ? ['index.html']
      : path.endsWith('/')
        ? [`${path}index.html`, `${path.slice(0, -1)}.html`]
        : [path, `${path}/index.html`, `${path}.html`];
  return candidates.find((candidate) => files.has(candidate));
}

/** Check every link in a built site folder; returns broken links and external URLs, sorted. */
export async function checkLinks(dir: string, options: LinkCheckOptions = {}): Promise<LinkReport> {
  const allow = options.allow ?? [];
  const base = `/${(options.base ?? '/').replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  const siteOrigin = options.site ? new URL(options.site).origin : undefined;
  const files = new Set(await listFiles(dir));
  const htmlFiles = [...files].filter((file) => file.endsWith('.html'));

  const scans = new Map<string, ScannedPage>();
  const scan = async (file: string): Promise<ScannedPage> => {
    let scanned = scans.get(file);
    if (!scanned) {
      scanned = scanHtml(await readFile(join(dir, file), 'utf8'));
      scans.set(file, scanned);
    }
    return scanned;
  };

  const broken: BrokenLink[] = [];
  const external = new Map<string, Set<string>>();
  let internalLinks = 0;
  let allowedLinks = 0;

  for (const file of htmlFiles) {
    const page = pagePathOf(file);
    const { links } = await scan(file);
    for (const { url: link } of links) {
      if (SCRIPT_SCHEMES.test(link)) {
        broken.push({ page, link, reason: 'a script URL; links are http(s) only' });
        continue;
      }
      if (SKIPPED_SCHEMES.test(link)) continue;
      let url: URL;
      try {
        url = new URL(link, `${PLACEHOLDER_ORIGIN}${base === '/' ? '' : base.slice(0, -1)}${page}`);
      } catch {
        broken.push({ page, link, reason: 'not a valid URL' });
        continue;
      }
      const isOwnSite = url.origin === PLACEHOLDER_ORIGIN || url.origin === siteOrigin;
      if (!isOwnSite) {
        if (url.protocol === 'http:' || url.protocol === 'https:') {
          const pages = external.get(url.href) ?? new Set<string>();
          pages.add(page);
          external.set(url.href, pages);
        }
        continue;
      }
      internalLinks++;
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        broken.push({ page, link, reason: 'the path is not valid percent-encoding' });
        continue;
      }
      if (!pathname.startsWith(base) && `${pathname}/` !== base) {
        broken.push({ page, link, reason: `outside the site's base ${base}` });
        continue;
      }
      const sitePath = `/${pathname.slice(base.length)}`;
      if (allow.some((prefix) => sitePath.startsWith(prefix))) {
        allowedLinks++;
        continue;
      }
      const target = resolveFile(sitePath, files);
      if (target === undefined) {
        broken.push({ page, link, reason: `no page or file at ${sitePath}` });
        continue;
      }
      const fragment = url.hash.slice(1);
      if (fragment === '' || fragment === 'top' || !target.endsWith('.html')) continue;
      let id: string;
      try {
        id = decodeURIComponent(fragment);
      } catch {
        id = fragment;
      }
      if (!(await scan(target)).ids.has(id)) {
        broken.push({ page, link, reason: `no element with id "${id}" on ${pagePathOf(target)}` });
      }
    }
  }

  broken.sort((a, b) => a.page.localeCompare(b.page) || a.link.localeCompare(b.link));
  return {
    pages: htmlFiles.length,
    internalLinks,
    allowedLinks,
    broken,
    external: [...external]
      .map(([url, pages]) => ({ url, pages: [...pages].sort() }))
      .sort((a, b) => a.url.localeCompare(b.url)),
  };
}

/** Format broken links as the build error: one `page → link (reason)` line each, and what to do. */
export function formatBrokenLinks(broken: BrokenLink[]): string {
  const pages = new Set(broken.map((entry) => entry.page)).size;
  const lines = broken.map((entry) => `  ${entry.page} → ${entry.link} (${entry.reason})`);
  return [
    `Link check: ${broken.length} broken internal link${broken.length === 1 ? '' : 's'} on ${pages} page${pages === 1 ? '' : 's'}:`,
    ...lines,
    'Fix each link or create its target. Links to routes another branch generates can be allowed with LINK_CHECK_ALLOW="/prefix/,...".',
  ].join('\n');
}

/** Write the external-links report as deterministic JSON; returns the path written. */
export async function writeExternalLinksReport(
  dir: string,
  external: ExternalLink[],
): Promise<string> {
  const reportDir = join(dir, 'reports');
  await mkdir(reportDir, { recursive: true });
  const path = join(reportDir, 'external-links.json');
  await writeFile(
    path,
    `${JSON.stringify({ count: external.length, links: external }, null, 2)}\n`,
  );
  return path;
}

/** Create the link-check integration: fails the build on a broken internal link, reports external ones. */
export function linkCheck(options: LinkCheckOptions = {}): AstroIntegration {
  let site = options.site;
  let base = options.base;
  return {
    name: 'image-mode-hub:link-check',
    hooks: {
      'astro:config:done': ({ config }) => {
        site ??= config.site;
        base ??= config.base;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const allow = options.allow ?? parseAllowList(process.env['LINK_CHECK_ALLOW']);
        const outDir = fileURLToPath(dir);
        const report = await checkLinks(outDir, { allow, site, base });
        const reportPath = await writeExternalLinksReport(outDir, report.external);
        const allowed =
          report.allowedLinks > 0
            ? `, ${report.allowedLinks} allowed by LINK_CHECK_ALLOW (${allow.join(',')})`
            : '';
        logger.info(
          `${report.internalLinks} internal links on ${report.pages} pages checked${allowed}; ` +
            `${report.external.length} external URLs listed in ${relative(process.cwd(), reportPath)}`,
        );
        if (report.broken.length > 0) {
          throw new Error(formatBrokenLinks(report.broken));
        }
      },
    },
  };
}
