/**
 * `npm run bench:build -- [--images 60] [--tags 20000] [--timeout 300] [--repeat 1] [--skip-committed]
 *  [--skip-peer] [--keep]`
 *
 * How the site build scales with the data. Builds, one after the other, the way `npm run build` does
 * (scripts/build.ts): with a fresh Astro cache and no kept output (cold), then again with nothing
 * changed (warm: the kept output is copied), then once more with `--force` (Astro's cache only, as
 * after a sync that brought new data):
 *
 * - a synthetic catalog and snapshot (tests/tools/synthetic-snapshot.ts: the committed catalog plus
 *   generated images, `--images` images and `--tags` tags in all), through IMAGE_MODE_CATALOG and
 *   IMAGE_MODE_SNAPSHOT;
 * - the committed catalog and snapshot (content/catalog, content/snapshot);
 *
 * and for each, cold, a plain Starlight site with the same number of pages, each page with as much
 * visible text as one page of the site (generated Markdown: headings, paragraphs, lists, tables),
 * built with the same installed astro and Starlight, as the peer. Measures wall time, peak memory
 * of the build's process tree (the sum of the RSS of the build and its children, sampled from /proc
 * every 100 ms), pages, time per page, the largest page's HTML size and gzip size, and the size of
 * dist/. Prints a Markdown table.
 *
 * With `--repeat N` each build runs N times and the fastest counts (the one least slowed by other
 * work on the machine). Every build runs in a folder of its own under .cache/ with its own Astro
 * cache and output folder, so the project's dist/ and cache are left alone. A build that fails or
 * runs past `--timeout` seconds is stopped, and the benchmark exits 1 with the build's own error
 * line and the path of its full log.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { writeSyntheticData } from './synthetic-snapshot.ts';

/** What one build measured. */
export interface BuildMeasure {
  wallMs: number;
  /** Highest sum of the RSS of the build process and its descendants, in bytes. */
  peakRss: number;
  /** HTML pages in the output. */
  pages: number;
  /** Output files that are not HTML (JSON exports, feeds, assets, search index). */
  otherFiles: number;
  distBytes: number;
  largest: { page: string; bytes: number; gzipBytes: number };
  /** Bytes of the HTML pages alone. */
  htmlBytes: number;
  /** Bytes per top-level folder of the output (`images`, `api`, `pagefind`, ...), largest first. */
  folders: { name: string; bytes: number }[];
  /** Length of the visible text of each page's <main>, in characters, largest first (404 page left out). */
  textChars: number[];
}

/** A build that failed or ran too long, with the line that says why. */
export class BuildFailure extends Error {
  override name = 'BuildFailure';
}

const ROOT = process.cwd();
const ASTRO_BIN = join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs');
const BUILD_SCRIPT = join(ROOT, 'scripts', 'build.ts');

/** Read the RSS of a process and all its descendants from /proc, in bytes (0 where /proc is absent). */
export function processTreeRss(rootPid: number): number {
  if (!existsSync('/proc')) return 0;
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (ppid) follows the command name, which may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
      if (kb) total += Number(kb[1]) * 1024;
    } catch {
      continue;
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Pick the lines of a build log that say why it failed: the error line and the message after it. */
export function failureLine(log: string): string {
  const lines = log
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^(at |Stack trace:)/.test(line));
  const known =
    /(Invalid string length|heap out of memory|Maximum call stack|RangeError|ENOSPC|EMFILE)/;
  let index = lines.findIndex((line) => known.test(line));
  if (index < 0) index = lines.findIndex((line) => /\b(error|Error)\b|\[ERROR\]/.test(line));
  if (index < 0) return lines.at(-1) ?? 'no output';
  // "[ERROR] [vite] ✗ Build failed in 6.8s" says that, not why: the next line does.
  const line = lines[index]!;
  return /Build failed/.test(line) && lines[index + 1] ? `${line}: ${lines[index + 1]}` : line;
}

/**
 * Run `astro build` in a folder (or, given `command`, that script with the same options), sampling
 * the memory of its process tree; throw BuildFailure when it fails.
 */
async function runAstroBuild(options: {
  label: string;
  /** The script and its first arguments, in place of `astro build`. */
  command?: string[];
  cwd: string;
  config: string;
  outDir: string;
  env: Record<string, string>;
  logFile: string;
  timeoutMs: number;
}): Promise<{ wallMs: number; peakRss: number }> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    LINK_CHECK_ALLOW: undefined,
    ...options.env,
  };
  const configArg = relative(options.cwd, options.config);
  const start = performance.now();
  const child = spawn(
    process.execPath,
    [
      ...(options.command ?? [ASTRO_BIN, 'build']),
      '--config',
      configArg,
      '--outDir',
      options.outDir,
    ],
    { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  let peakRss = 0;
  const sampler = setInterval(() => {
    if (child.pid) peakRss = Math.max(peakRss, processTreeRss(child.pid));
  }, 100);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // The build runs in its own process group: end it and every child it started.
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5000).unref();
  }, options.timeoutMs);
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('close', (exitCode) => done(exitCode));
  });
  clearInterval(sampler);
  clearTimeout(timer);
  const wallMs = performance.now() - start;
  await writeFile(options.logFile, log);
  if (timedOut)
    throw new BuildFailure(
      `The ${options.label} build did not finish within ${options.timeoutMs / 1000} s and was stopped (peak memory ${formatBytes(peakRss)}). Its log: ${options.logFile}`,
    );
  if (code !== 0)
    throw new BuildFailure(
      `The ${options.label} build failed (exit ${code}) after ${(wallMs / 1000).toFixed(1)} s: ${failureLine(log)}\nIts log: ${options.logFile}`,
    );
  return { wallMs, peakRss };
}

/** List every file under a folder with its size. */
async function listOutput(dir: string): Promise<{ path: string; bytes: number }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const path = join(entry.parentPath, entry.name);
        return { path, bytes: (await stat(path)).size };
      }),
  );
}

/** The visible text of a page's <main>: tags, scripts and styles removed, spaces collapsed. */
export function visibleText(html: string): string {
  const main = /<main\b[\s\S]*?<\/main>/.exec(html)?.[0] ?? html;
  return main
    .replace(/<(script|style|svg)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Sum file sizes by the first folder of their path under `dir` (files at the top count as "/"). */
export function sizeByFolder(
  dir: string,
  files: { path: string; bytes: number }[],
): { name: string; bytes: number }[] {
  const sums = new Map<string, number>();
  for (const file of files) {
    const parts = relative(dir, file.path).split('/');
    const name = parts.length > 1 ? parts[0]! : '/';
    sums.set(name, (sums.get(name) ?? 0) + file.bytes);
  }
  return [...sums.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** Measure a build's output folder. */
async function measureOutput(outDir: string): Promise<Omit<BuildMeasure, 'wallMs' | 'peakRss'>> {
  const files = await listOutput(outDir);
  const pages = files.filter((file) => file.path.endsWith('.html'));
  if (pages.length === 0) throw new BuildFailure(`The build wrote no HTML page to ${outDir}.`);
  const largest = pages.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const textChars: number[] = [];
  for (const page of pages)
    if (relative(outDir, page.path) !== '404.html')
      textChars.push(visibleText(await readFile(page.path, 'utf8')).length);
  return {
    pages: pages.length,
    otherFiles: files.length - pages.length,
    distBytes: files.reduce((sum, file) => sum + file.bytes, 0),
    htmlBytes: pages.reduce((sum, page) => sum + page.bytes, 0),
    folders: sizeByFolder(outDir, files),
    largest: {
      page: `/${relative(outDir, largest.path)}`,
      bytes: largest.bytes,
      gzipBytes: gzipSync(await readFile(largest.path), { level: 6 }).length,
    },
    textChars: textChars.sort((a, b) => b - a),
  };
}

/** Write an Astro config that reuses the project's config with its own cache folder. */
async function writeProjectConfig(dir: string): Promise<string> {
  const file = join(dir, 'astro.config.mjs');
  await writeFile(
    file,
    `import config from ${JSON.stringify(pathToFileURL(join(ROOT, 'astro.config.ts')).href)};\n` +
      `export default { ...config, cacheDir: ${JSON.stringify(join(dir, 'astro-cache'))} };\n`,
  );
  return file;
}

/** Run a build `repeat` times, one after the other; keep the fastest (the least disturbed by other work). */
async function fastest(
  repeat: number,
  build: (round: number) => Promise<{ wallMs: number; peakRss: number }>,
): Promise<{ wallMs: number; peakRss: number }> {
  let best: { wallMs: number; peakRss: number } | undefined;
  for (let round = 1; round <= repeat; round++) {
    const result = await build(round);
    if (!best || result.wallMs < best.wallMs) best = result;
  }
  return best!;
}

/** Build the project's site against a catalog and snapshot: cold (fresh cache), then warm. */
async function benchSite(options: {
  label: string;
  dir: string;
  catalog: string;
  snapshot: string;
  timeoutMs: number;
  repeat: number;
}): Promise<{ cold: BuildMeasure; warmMs: number; warmRss: number; forcedMs: number }> {
  await mkdir(options.dir, { recursive: true });
  const config = await writeProjectConfig(options.dir);
  const outDir = join(options.dir, 'dist');
  const outputCache = join(options.dir, 'output-cache');
  const env = {
    IMAGE_MODE_CATALOG: options.catalog,
    IMAGE_MODE_SNAPSHOT: options.snapshot,
    IMAGE_MODE_BUILD_CACHE: outputCache,
  };
  const common = {
    cwd: ROOT,
    command: [BUILD_SCRIPT],
    config,
    outDir,
    env,
    timeoutMs: options.timeoutMs,
  };
  log(`${options.label}: cold build…`);
  const cold = await fastest(options.repeat, async (round) => {
    await rm(join(options.dir, 'astro-cache'), { recursive: true, force: true });
    await rm(outputCache, { recursive: true, force: true });
    return runAstroBuild({
      ...common,
      label: `${options.label} (cold)`,
      logFile: join(options.dir, `build-cold-${round}.log`),
    });
  });
  const output = await measureOutput(outDir);
  log(`${options.label}: cold build ${seconds(cold.wallMs)}, ${output.pages} pages; warm rebuild…`);
  const warm = await fastest(options.repeat, (round) =>
    runAstroBuild({
      ...common,
      label: `${options.label} (warm rebuild)`,
      logFile: join(options.dir, `build-warm-${round}.log`),
    }),
  );
  log(`${options.label}: warm rebuild ${seconds(warm.wallMs)}; forced rebuild…`);
  const forced = await fastest(options.repeat, (round) =>
    runAstroBuild({
      ...common,
      command: [BUILD_SCRIPT, '--force'],
      label: `${options.label} (forced rebuild)`,
      logFile: join(options.dir, `build-forced-${round}.log`),
    }),
  );
  return {
    cold: { ...cold, ...output },
    warmMs: warm.wallMs,
    warmRss: warm.peakRss,
    forcedMs: forced.wallMs,
  };
}

/** Words for the plain Starlight pages: the site's own vocabulary, so text costs the same to render. */
const WORDS =
  'image mode bootc container fedora base variant stream tag digest platform build registry quay pipeline konflux handover owner signature layer manifest index release rawhide stable testing update rollback switch deploy'.split(
    ' ',
  );

/** Generate one Markdown page of about `chars` characters of text: headings, paragraphs, lists, a table. */
export function markdownPage(index: number, chars: number): string {
  let seed = index + 1;
  const word = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return WORDS[seed % WORDS.length]!;
  };
  const sentence = (n: number) => Array.from({ length: n }, word).join(' ');
  const parts = [`---\ntitle: Page ${index}\ndescription: ${sentence(12)}\n---\n`];
  let size = 0;
  for (let section = 1; size < chars; section++) {
    const block =
      section % 4 === 0
        ? `| tag | digest | platforms |\n| --- | --- | --- |\n${Array.from({ length: 8 }, () => `| ${word()} | ${sentence(3)} | ${sentence(2)} |`).join('\n')}`
        : section % 4 === 2
          ? Array.from({ length: 6 }, () => `- ${sentence(10)}`).join('\n')
          : sentence(90);
    if (section % 12 === 1) parts.push(`## ${sentence(4)} ${section}`);
    parts.push(block);
    size += block.length;
  }
  return `${parts.join('\n\n')}\n`;
}

/** Build a plain Starlight site cold, with one Markdown page per text size given, plus its own 404 page. */
async function benchPeer(options: {
  label: string;
  dir: string;
  textChars: number[];
  timeoutMs: number;
  repeat: number;
}): Promise<BuildMeasure> {
  const docs = join(options.dir, 'src', 'content', 'docs');
  await mkdir(docs, { recursive: true });
  // Inside the project's folder, so the project's node_modules (same astro, same Starlight) resolve.
  // The dependencies must be listed: Astro bundles the integrations it finds there (Starlight's
  // middleware imports astro:content, which only a bundled module can).
  const { dependencies } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  await writeFile(
    join(options.dir, 'package.json'),
    `${JSON.stringify({
      name: 'plain-starlight',
      private: true,
      type: 'module',
      dependencies: {
        astro: dependencies['astro'],
        '@astrojs/starlight': dependencies['@astrojs/starlight'],
      },
    })}\n`,
  );
  await writeFile(
    join(options.dir, 'tsconfig.json'),
    '{ "extends": "astro/tsconfigs/base", "include": ["src"] }\n',
  );
  const config = join(options.dir, 'astro.config.mjs');
  await writeFile(
    config,
    `import { defineConfig } from 'astro/config';\nimport starlight from '@astrojs/starlight';\n` +
      `export default defineConfig({ site: 'https://example.org', cacheDir: './astro-cache', integrations: [starlight({ title: 'Plain Starlight' })] });\n`,
  );
  await writeFile(
    join(options.dir, 'src', 'content.config.ts'),
    `import { defineCollection } from 'astro:content';\nimport { docsLoader } from '@astrojs/starlight/loaders';\nimport { docsSchema } from '@astrojs/starlight/schema';\n` +
      `export const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };\n`,
  );
  for (const [index, chars] of options.textChars.entries())
    await writeFile(
      join(docs, index === 0 ? 'index.md' : `page-${index}.md`),
      markdownPage(index, chars),
    );
  const outDir = join(options.dir, 'dist');
  log(`${options.label}: cold build of ${options.textChars.length + 1} pages…`);
  const run = await fastest(options.repeat, async (round) => {
    await rm(join(options.dir, 'astro-cache'), { recursive: true, force: true });
    return runAstroBuild({
      label: options.label,
      cwd: options.dir,
      config,
      outDir,
      env: {},
      logFile: join(options.dir, `build-${round}.log`),
      timeoutMs: options.timeoutMs,
    });
  });
  return { ...run, ...(await measureOutput(outDir)) };
}

function log(line: string): void {
  console.error(`[bench:build] ${line}`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Format a byte count as KiB, MiB or GiB. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

/** One row of the result table. */
interface Row {
  data: string;
  measure: BuildMeasure;
  peer?: BuildMeasure;
  warm?: { ms: number; rss: number };
  /** A rebuild with `--force`: Astro's cache, no kept output. */
  forcedMs?: number;
}

/** Render the results as a Markdown table. */
export function renderTable(rows: Row[]): string {
  const lines = [
    '| data | pages | cold build | per page | vs plain Starlight | unchanged rebuild (cold/warm) | forced rebuild | peak memory (cold / warm) | largest page: HTML, gzip | dist/ |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const m = row.measure;
    const perPage = m.wallMs / m.pages;
    const ratio = row.peer ? `${(perPage / (row.peer.wallMs / row.peer.pages)).toFixed(2)}×` : '—';
    const warm = row.warm
      ? `${seconds(row.warm.ms)} (${(m.wallMs / row.warm.ms).toFixed(1)}× faster)`
      : '—';
    const forced = row.forcedMs === undefined ? '—' : seconds(row.forcedMs);
    const memory = row.warm
      ? `${formatBytes(m.peakRss)} / ${formatBytes(row.warm.rss)}`
      : formatBytes(m.peakRss);
    lines.push(
      `| ${row.data} | ${m.pages} | ${seconds(m.wallMs)} | ${perPage.toFixed(0)} ms | ${ratio} | ${warm} | ${forced} | ${memory} | ${formatBytes(m.largest.bytes)}, ${formatBytes(m.largest.gzipBytes)} | ${formatBytes(m.distBytes)} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      images: { type: 'string', default: '60' },
      tags: { type: 'string', default: '20000' },
      timeout: { type: 'string', default: '300' },
      repeat: { type: 'string', default: '1' },
      'skip-committed': { type: 'boolean', default: false },
      'skip-peer': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const images = Number(values.images);
  const tags = Number(values.tags);
  const timeoutMs = Number(values.timeout) * 1000;
  const repeat = Number(values.repeat);
  if (![images, tags, timeoutMs, repeat].every((n) => Number.isInteger(n) && n > 0)) {
    console.error(
      'Usage: npm run bench:build -- [--images 60] [--tags 20000] [--timeout SECONDS] [--repeat N] [--skip-committed] [--skip-peer] [--keep]',
    );
    process.exit(2);
  }
  // Under the project's .cache/ (ignored by git), so the plain Starlight peer resolves the project's
  // node_modules without a symlink, which Vite would resolve to a path outside its root.
  await mkdir(join(ROOT, '.cache'), { recursive: true });
  const work = await mkdtemp(join(ROOT, '.cache', 'bench-build-'));
  const startLoad = loadavg()[0]!;
  const rows: Row[] = [];
  const notes: string[] = [];
  let failed: Error | undefined;
  try {
    log(`generating ${images} images with ${tags} tags in ${work}…`);
    const data = await writeSyntheticData({ out: join(work, 'data'), images, tags });
    notes.push(
      `Synthetic data: ${data.images} images, ${data.tags} tags (at most ${data.maxTagsPerImage} on one image), image files ${formatBytes(data.imageBytes)} in all.`,
    );
    const sets = [
      {
        data: `synthetic: ${data.images} images, ${data.tags.toLocaleString('en')} tags`,
        name: 'synthetic',
        catalog: data.catalogDir,
        snapshot: data.snapshotDir,
      },
      ...(values['skip-committed']
        ? []
        : [
            {
              data: 'committed: content/catalog + content/snapshot',
              name: 'committed',
              catalog: resolve('content/catalog'),
              snapshot: resolve('content/snapshot'),
            },
          ]),
    ];
    for (const set of sets) {
      const site = await benchSite({
        label: set.name,
        dir: join(work, set.name),
        catalog: set.catalog,
        snapshot: set.snapshot,
        timeoutMs,
        repeat,
      });
      const row: Row = {
        data: set.data,
        measure: site.cold,
        warm: { ms: site.warmMs, rss: site.warmRss },
        forcedMs: site.forcedMs,
      };
      rows.push(row);
      const text = site.cold.textChars;
      notes.push(
        `${set.name}: largest page ${site.cold.largest.page}; HTML pages ${formatBytes(site.cold.htmlBytes)} of dist/ (${site.cold.otherFiles} other files: JSON exports, feed, assets, search index); by folder ${site.cold.folders
          .slice(0, 5)
          .map((folder) => `${folder.name} ${formatBytes(folder.bytes)}`)
          .join(
            ', ',
          )}; visible text per page ${text.at(-1)!.toLocaleString('en')} to ${text[0]!.toLocaleString('en')} characters.`,
      );
      if (values['skip-peer']) continue;
      row.peer = await benchPeer({
        label: `plain Starlight peer of ${set.name}`,
        dir: join(work, `${set.name}-peer`),
        textChars: text,
        timeoutMs,
        repeat,
      });
      rows.push({
        data: `plain Starlight, ${row.peer.pages} Markdown pages with the same text sizes`,
        measure: row.peer,
      });
    }
  } catch (error) {
    failed = error as Error;
  } finally {
    notes.push(
      `Machine: ${availableParallelism()} cores; load average over 1 minute ${startLoad.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (other work on the machine slows every build alike).`,
    );
    if (rows.length > 0) {
      console.log(renderTable(rows));
      console.log('');
      for (const note of notes) console.log(`- ${note}`);
    }
    if (values.keep || failed) log(`build folders and logs kept in ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
  if (failed) {
    console.error(`\n${failed.message}`);
    process.exit(1);
  }
}
