/**
 * The build's output cache. The site is a function of its inputs: the project's source, the docs,
 * the catalog and its git history, the snapshot, the settings, the installed packages and the
 * build's day (src/utils/clock.ts). A fingerprint of all of them names the output; when a build
 * finds the output of the same fingerprint, it copies that instead of building again. Astro renders
 * every page and Pagefind indexes every page on each build, so without this a rebuild with nothing
 * new costs as much as a cold one.
 *
 * One output is kept, the last one built (`<cache>/<fingerprint>/`), written to a temporary folder
 * and renamed into place, so an interrupted save never leaves a partial output behind a name. Saving
 * hard-links the files the build just wrote (a cold build pays milliseconds, not a copy of the whole
 * output); a manifest of each file's size and modification time, checked before a restore, refuses
 * an output that was changed in place since. Restoring copies, so nothing done to the restored
 * output can reach the cache.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  copyFile,
  cp,
  link,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { mapLimit } from '../utils/pool.ts';

/** Folders never part of a build's inputs, wherever they appear under an input folder. */
const SKIPPED = new Set(['node_modules', '.git', '.astro', '.cache', 'dist']);

/** What a build reads, to be fingerprinted. */
export interface BuildInputs {
  /** The project's root: input paths and git scopes are relative to it. */
  root: string;
  /** Files and folders whose contents the build reads (missing ones count as absent). */
  paths: string[];
  /** Folders whose git history the build reads (docs' last-updated dates, the catalog's history). */
  gitScopes: string[];
  /** Settings that change the output: environment values, the build's day, the tool versions, arguments. */
  settings: Record<string, string>;
}

/** A fingerprint and what went into it. */
export interface Fingerprint {
  key: string;
  files: number;
  bytes: number;
}

/** List every file under a path (the path itself when it is a file), sorted, skipping the folders named in `skip`. */
async function listFiles(path: string, skip: ReadonlySet<string> = new Set()): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return [];
  if (info.isFile()) return [path];
  const files: string[] = [];
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(child, skip)));
    else if (entry.isFile()) files.push(child);
  }
  return files.sort();
}

/** Name the last commit that touched a folder, or say why there is none (not a repository, no git). */
function lastCommit(root: string, scope: string): string {
  const cwd = resolve(root, scope);
  if (!existsSync(cwd)) return 'absent';
  const result = spawnSync('git', ['log', '-1', '--format=%H %ct %an', '--', '.'], {
    cwd,
    encoding: 'utf8',
  });
  if (result.error) return 'no git';
  return result.status === 0 ? result.stdout.trim() : 'not a repository';
}

/** Fingerprint a build's inputs: the contents of every input file, the git history's heads and the settings. */
export async function fingerprintInputs(inputs: BuildInputs): Promise<Fingerprint> {
  const hash = createHash('sha256');
  let files = 0;
  let bytes = 0;
  for (const path of inputs.paths) {
    const absolute = resolve(inputs.root, path);
    hash.update(`path\0${path}\0`);
    for (const file of await listFiles(absolute, SKIPPED)) {
      const content = await readFile(file);
      hash.update(`file\0${relative(absolute, file)}\0${content.length}\0`);
      hash.update(content);
      files += 1;
      bytes += content.length;
    }
  }
  for (const scope of inputs.gitScopes)
    hash.update(`git\0${scope}\0${lastCommit(inputs.root, scope)}\0`);
  for (const name of Object.keys(inputs.settings).sort())
    hash.update(`setting\0${name}\0${inputs.settings[name]}\0`);
  return { key: hash.digest('hex').slice(0, 32), files, bytes };
}

/** The folder of one cached output. */
function entryDir(cacheDir: string, key: string): string {
  return join(cacheDir, key);
}

/** One file of a saved output, as it was when saved. */
interface ManifestEntry {
  path: string;
  size: number;
  mtimeMs: number;
}

/** List the files of a folder with their size and modification time, relative paths sorted. */
async function manifest(dir: string): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  for (const file of await listFiles(dir)) {
    const info = await stat(file);
    entries.push({ path: relative(dir, file), size: info.size, mtimeMs: info.mtimeMs });
  }
  return entries;
}

/** Tell whether a saved output is whole and unchanged since it was saved. */
async function isIntact(entry: string): Promise<boolean> {
  const saved = await readFile(join(entry, 'manifest.json'), 'utf8').catch(() => undefined);
  if (saved === undefined) return false;
  return JSON.stringify(await manifest(join(entry, 'output'))) === saved;
}

/** Copy the cached output of a fingerprint to the output folder; false when there is none, or it was changed. */
export async function restoreOutput(
  cacheDir: string,
  key: string,
  outDir: string,
): Promise<boolean> {
  const entry = entryDir(cacheDir, key);
  if (!(await isIntact(entry))) return false;
  await rm(outDir, { recursive: true, force: true });
  await cp(join(entry, 'output'), outDir, { recursive: true });
  return true;
}

/** Hard-link every file of a folder into another (copy where the two are on different file systems). */
async function linkTree(from: string, to: string): Promise<void> {
  const files = await listFiles(from);
  for (const folder of new Set(files.map((file) => dirname(join(to, relative(from, file))))))
    await mkdir(folder, { recursive: true });
  await mapLimit(files, 16, async (file) => {
    const target = join(to, relative(from, file));
    await link(file, target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EXDEV' && error.code !== 'EPERM') throw error;
      await copyFile(file, target);
    });
  });
}

/** Keep the output folder under its fingerprint, replacing any older output. */
export async function saveOutput(cacheDir: string, key: string, outDir: string): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const partialName = `.partial-${process.pid}`;
  const partial = join(cacheDir, partialName);
  await rm(partial, { recursive: true, force: true });
  await linkTree(outDir, join(partial, 'output'));
  await writeFile(
    join(partial, 'manifest.json'),
    JSON.stringify(await manifest(join(partial, 'output'))),
  );
  for (const name of await readdir(cacheDir))
    if (name !== key && name !== partialName)
      await rm(join(cacheDir, name), { recursive: true, force: true });
  await rm(entryDir(cacheDir, key), { recursive: true, force: true });
  await rename(partial, entryDir(cacheDir, key));
}
