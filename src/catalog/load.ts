/**
 * Loading the catalog: read every YAML file of content/catalog/, check each against its schema,
 * then check the whole (unique ids, references between files). Every problem is reported with its
 * file, line, column and field path; the loader never stops at the first one.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'astro/zod';
import {
  InitiativeSchema,
  SigsFileSchema,
  SubprojectSchema,
  type Catalog,
  type Initiative,
  type Sig,
  type Subproject,
} from './schema.ts';
import {
  CatalogError,
  problemsFromIssue,
  type CatalogProblem,
  type SourceFile,
} from './problems.ts';
import { checkCatalog, type LocatedCatalog } from './check.ts';

/** Default catalog folder, relative to the project root. */
export const DEFAULT_CATALOG_DIR = 'content/catalog';

/** The largest catalog file read: the real ones are a few KiB; anything near this is a mistake. */
export const MAX_CATALOG_FILE_BYTES = 1024 * 1024;

/** How many alias expansions one file may make (YAML "billion laughs" guard). */
const MAX_ALIAS_COUNT = 100;

/** The outcome of reading a catalog: the catalog when it is valid, and every problem found. */
export interface CatalogResult {
  catalog: Catalog | undefined;
  problems: CatalogProblem[];
}

/** Show a path relative to the working directory when it is inside it. */
function displayPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown.startsWith('..') ? file : shown;
}

/** A file-level problem, at the start of the file. */
function fileProblem(file: string, message: string): CatalogProblem {
  return { file, line: 1, column: 1, path: '', message };
}

/**
 * Read a catalog file's text, refusing anything but a regular file of sensible size: a symbolic
 * link (to /etc/passwd, /proc/self/environ, or a folder) or a device is never read or echoed.
 * Returns undefined for a file that does not exist.
 */
async function readCatalogText(
  path: string,
  file: string,
): Promise<{ text: string } | { problem: CatalogProblem } | undefined> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (stats.isSymbolicLink())
    return {
      problem: fileProblem(
        file,
        'is a symbolic link; the catalog reads only regular files inside its folder. Replace the link with the file itself.',
      ),
    };
  if (!stats.isFile())
    return {
      problem: fileProblem(file, 'is not a regular file; the catalog reads only YAML files.'),
    };
  if (stats.size > MAX_CATALOG_FILE_BYTES)
    return {
      problem: fileProblem(
        file,
        `is ${(stats.size / 1024 / 1024).toFixed(1)} MiB; a catalog file holds at most ${MAX_CATALOG_FILE_BYTES / 1024 / 1024} MiB. Split it, or move long text to content/docs/.`,
      ),
    };
  return { text: await readFile(path, 'utf8') };
}

/** Parse one YAML text; syntax errors become problems with their position. */
export function parseYamlSource(
  file: string,
  text: string,
): { source: SourceFile; problems: CatalogProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const source: SourceFile = { file, document, lineCounter };
  const problems = document.errors.map((error): CatalogProblem => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const firstLine = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return { file, line, column: col, path: '', message: `YAML syntax error: ${firstLine}` };
  });
  return { source, problems };
}

/** Check a parsed source against a schema; returns the data when valid. */
export function parseWithSchema<S extends z.ZodType>(
  source: SourceFile,
  schema: S,
): { data: z.output<S> | undefined; problems: CatalogProblem[] } {
  let value: unknown;
  try {
    value = source.document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml library refuses aliases that expand without bound ("billion laughs").
    const reason = (error as Error).message.split('\n')[0]!;
    return {
      data: undefined,
      problems: [
        fileProblem(
          source.file,
          `YAML aliases expand too much (${reason}); write the values out instead of nesting aliases.`,
        ),
      ],
    };
  }
  if (value === null || value === undefined)
    return {
      data: undefined,
      problems: [
        fileProblem(
          source.file,
          'the file is empty; fill it in (see content/catalog/examples/) or delete it.',
        ),
      ],
    };
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data, problems: [] };
  return {
    data: undefined,
    problems: result.error.issues.flatMap((issue) => problemsFromIssue(source, schema, issue)),
  };
}

/** Read and check one YAML file against a schema; undefined when the file does not exist. */
async function readYamlFile<S extends z.ZodType>(
  path: string,
  schema: S,
): Promise<
  { source?: SourceFile; data: z.output<S> | undefined; problems: CatalogProblem[] } | undefined
> {
  const file = displayPath(path);
  const read = await readCatalogText(path, file);
  if (!read) return undefined;
  if ('problem' in read) return { data: undefined, problems: [read.problem] };
  const { source, problems } = parseYamlSource(file, read.text);
  if (problems.length > 0) return { source, data: undefined, problems };
  const checked = parseWithSchema(source, schema);
  return { source, data: checked.data, problems: checked.problems };
}

/** List the YAML files of the subprojects folder, refusing a folder that is a symbolic link. */
async function listSubprojectFiles(
  dir: string,
): Promise<{ names: string[]; problem?: CatalogProblem }> {
  let stats;
  try {
    stats = await lstat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { names: [] };
    throw error;
  }
  if (!stats.isDirectory())
    return {
      names: [],
      problem: fileProblem(
        displayPath(dir),
        `is ${stats.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; make subprojects/ a folder of YAML files inside the catalog.`,
      ),
    };
  return { names: (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort() };
}

/** Read the catalog in a folder and report every problem; never throws for bad content. */
export async function readCatalog(dir: string = DEFAULT_CATALOG_DIR): Promise<CatalogResult> {
  const problems: CatalogProblem[] = [];
  const missing = (name: string, what: string): CatalogProblem => ({
    file: displayPath(join(dir, name)),
    line: 1,
    column: 1,
    path: '',
    message: `file not found; create it with ${what} (see content/catalog/examples/).`,
  });

  let initiative: { source: SourceFile; data: Initiative } | undefined;
  const initiativeRead = await readYamlFile(join(dir, 'initiative.yaml'), InitiativeSchema);
  if (initiativeRead) {
    problems.push(...initiativeRead.problems);
    if (initiativeRead.data && initiativeRead.source)
      initiative = { source: initiativeRead.source, data: initiativeRead.data };
  } else
    problems.push(
      missing(
        'initiative.yaml',
        'the initiative (name, goal, lead, sponsor, contacts, milestones)',
      ),
    );

  let sigs: { source: SourceFile; data: Sig[] } | undefined;
  const sigsRead = await readYamlFile(join(dir, 'sigs.yaml'), SigsFileSchema);
  if (sigsRead) {
    problems.push(...sigsRead.problems);
    if (sigsRead.data && sigsRead.source)
      sigs = { source: sigsRead.source, data: sigsRead.data.sigs };
  } else problems.push(missing('sigs.yaml', 'a `sigs:` list'));

  const subprojects: { source: SourceFile; data: Subproject }[] = [];
  const subprojectsDir = join(dir, 'subprojects');
  const listing = await listSubprojectFiles(subprojectsDir);
  if (listing.problem) problems.push(listing.problem);
  else if (listing.names.length === 0)
    problems.push(missing('subprojects/', 'one YAML file per subproject'));
  for (const name of listing.names) {
    const read = await readYamlFile(join(subprojectsDir, name), SubprojectSchema);
    if (!read) continue; // removed while listing
    problems.push(...read.problems);
    if (read.data && read.source) subprojects.push({ source: read.source, data: read.data });
  }

  if (problems.length > 0 || !initiative || !sigs) return { catalog: undefined, problems };

  const located: LocatedCatalog = { initiative, sigs, subprojects };
  problems.push(...checkCatalog(located));
  if (problems.length > 0) return { catalog: undefined, problems };
  return {
    catalog: {
      initiative: initiative.data,
      sigs: sigs.data,
      subprojects: subprojects.map((entry) => entry.data),
    },
    problems,
  };
}

/** Load the catalog in a folder; throws {@link CatalogError} listing every problem when it is invalid. */
export async function loadCatalog(dir: string = DEFAULT_CATALOG_DIR): Promise<Catalog> {
  const { catalog, problems } = await readCatalog(dir);
  if (!catalog) throw new CatalogError(problems);
  return catalog;
}
