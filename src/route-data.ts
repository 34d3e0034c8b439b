/**
 * Starlight route middleware: titles escaped, and "Last updated" dates for the written pages.
 *
 * Starlight writes the <title> element's content as raw HTML, and page titles come from the catalog
 * (subproject, image and SIG names), so a name holding `</title><script>` would run as script.
 * Every title is escaped here, once, for all pages.
 *
 * Starlight reads commit dates only under src/content/docs/, and our guides live in content/docs/
 * next to the catalog, so this fills in the date of each page's newest commit itself. Generated
 * pages keep the date their data was fetched, which they set themselves.
 *
 * The splash page's hero buttons are written from the site's root (`link: /guides/…`) in frontmatter,
 * which neither Starlight nor the Markdown plugin (src/integrations/base-links.ts) prefixes; they get
 * the base here.
 */
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { spawnSync } from 'node:child_process';
import { escapeXml } from './utils/xml.ts';
import { SITE_BASE, withBase } from './site/index.ts';

let dates: Map<string, Date> | undefined;
/** Hero actions already given the base (an entry's data may be rendered more than once). */
const rebased = new WeakSet<object>();

/** Read the newest commit date of every file under content/docs/ in one git call. */
function readCommitDates(): Map<string, Date> {
  const result = new Map<string, Date>();
  const log = spawnSync('git', ['log', '--format=t:%ct', '--name-only', '--', 'content/docs'], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (log.error || log.status !== 0) return result;
  let current = 0;
  for (const line of log.stdout.split('\n')) {
    if (line.startsWith('t:')) current = Number(line.slice(2)) * 1000;
    else if (line.trim() !== '' && !result.has(line.trim()))
      result.set(line.trim(), new Date(current));
  }
  return result;
}

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  for (const entry of route.head)
    if (entry.tag === 'title' && entry.content) entry.content = escapeXml(entry.content);
  for (const action of route.entry.data.hero?.actions ?? []) {
    if (rebased.has(action)) continue;
    rebased.add(action);
    action.link = withBase(action.link, SITE_BASE);
  }
  const file = route.entry.filePath;
  if (route.lastUpdated !== undefined || !file?.startsWith('content/docs/')) return;
  dates ??= readCommitDates();
  const date = dates.get(file);
  if (date) route.lastUpdated = date;
});
