/**
 * Loading the catalog: read every YAML file of content/catalog/, check each against its schema,
 * then check the whole (unique ids, references between files). Every problem is reported with its
 * file, line, column and field path; the loader never stops at the first one.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
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
  const result = schema.safeParse(source.document.toJS());
  if (result.success) return { data: result.data, problems: [] };
  return {
    data: undefined,
    problems: result.error.issues.flatMap((issue) => problemsFromIssue(source, schema, issue)),
  };
}

/** Read and check one YAML file against a schema. */
async function readYamlFile<S extends z.ZodType>(path: string, schema: S) {
  const file = displayPath(path);
  const { source, problems } = parseYamlSource(file, await readFile(path, 'utf8'));
  if (problems.length > 0) return { source, data: undefined, problems };
  const checked = parseWithSchema(source, schema);
  return { source, data: checked.data, problems: checked.problems };
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
  const initiativePath = join(dir, 'initiative.yaml');
  if (existsSync(initiativePath)) {
    const read = await readYamlFile(initiativePath, InitiativeSchema);
    problems.push(...read.problems);
    if (read.data) initiative = { source: read.source, data: read.data };
  } else
    problems.push(
      missing(
        'initiative.yaml',
        'the initiative (name, goal, lead, sponsor, contacts, milestones)',
      ),
    );

  let sigs: { source: SourceFile; data: Sig[] } | undefined;
  const sigsPath = join(dir, 'sigs.yaml');
  if (existsSync(sigsPath)) {
    const read = await readYamlFile(sigsPath, SigsFileSchema);
    problems.push(...read.problems);
    if (read.data) sigs = { source: read.source, data: read.data.sigs };
  } else problems.push(missing('sigs.yaml', 'a `sigs:` list'));

  const subprojects: { source: SourceFile; data: Subproject }[] = [];
  const subprojectsDir = join(dir, 'subprojects');
  const names = existsSync(subprojectsDir)
    ? (await readdir(subprojectsDir)).filter((name) => /\.ya?ml$/.test(name)).sort()
    : [];
  if (names.length === 0) problems.push(missing('subprojects/', 'one YAML file per subproject'));
  for (const name of names) {
    const read = await readYamlFile(join(subprojectsDir, name), SubprojectSchema);
    problems.push(...read.problems);
    if (read.data) subprojects.push({ source: read.source, data: read.data });
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
