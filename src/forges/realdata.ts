/**
 * Check the ownership and pipeline parsers against real files: CODEOWNERS, OWNERS (with
 * OWNERS_ALIASES), MAINTAINERS and .tekton/ files as public repositories have them, each compared
 * with what a human reads from it (the expectations, one JSON object per kind).
 *
 * Pure: file texts and expectations in, right and wrong out; the caller reads the folders.
 */
import { z } from 'astro/zod';
import { parseCodeowners } from './codeowners.ts';
import { readFileOwners, type RepoEntry, type RepoFiles } from './forge.ts';
import type { RepoLocation } from './repo-url.ts';
import { FORGE_KINDS, type ForgeKind } from './types.ts';
import { buildsOnPush, parseTektonFile } from './tekton.ts';

/** A file of the real-data folder: its name there and its text. */
export interface RealFile {
  name: string;
  text: string;
}

/** What a check found: how many items were right, and a line per wrong item. */
export interface KindCheck {
  right: number;
  wrong: string[];
  /** Files that have no expectation (each also counted wrong) or expectations without a file. */
  notes: string[];
}

const Forge = z.enum(FORGE_KINDS);

export const CodeownersExpectationsSchema = z.record(
  z.string(),
  z.object({
    forge: Forge,
    /** Every owner the file names, as written, sorted. */
    owners: z.array(z.string()),
    /** Patterns of the rules that give no owners (exclusions, rules left without owners), in file order. */
    unowned: z.array(z.string()),
    /** GitLab sections, when the file has any. */
    sections: z
      .array(
        z.object({
          name: z.string(),
          optional: z.boolean(),
          approvals: z.number().optional(),
          defaultOwners: z.array(z.string()),
        }),
      )
      .optional(),
  }),
);

export const OwnersExpectationsSchema = z.record(
  z.string(),
  z.object({
    forge: Forge,
    note: z.string().optional(),
    /** Handle → the details of its sources ("approver", "reviewer (alias build-team)"), sorted. */
    owners: z.record(z.string(), z.array(z.string())),
  }),
);

export const MaintainersExpectationsSchema = z.record(
  z.string(),
  z.object({
    forge: Forge,
    note: z.string().optional(),
    /** Handles ("github:login", an e-mail address), sorted. */
    owners: z.array(z.string()),
  }),
);

export const TektonExpectationsSchema = z.record(
  z.string(),
  z.array(
    z.object({
      name: z.string(),
      events: z.array(z.string()),
      branches: z.array(z.string()),
      platforms: z.array(z.string()),
      buildsOnPush: z.boolean(),
    }),
  ),
);

export type CodeownersExpectations = z.infer<typeof CodeownersExpectationsSchema>;
export type OwnersExpectations = z.infer<typeof OwnersExpectationsSchema>;
export type MaintainersExpectations = z.infer<typeof MaintainersExpectationsSchema>;
export type TektonExpectations = z.infer<typeof TektonExpectationsSchema>;

function show(value: unknown): string {
  return JSON.stringify(value);
}

function emptyCheck(): KindCheck {
  return { right: 0, wrong: [], notes: [] };
}

/** What one file adds to a check: its right items and a line per wrong one. */
interface FileCheck {
  right: number;
  wrong: string[];
}

/** One file checked as one item: right when `differences` is empty. */
function asOneItem(file: RealFile, differences: string[]): FileCheck {
  return differences.length === 0
    ? { right: 1, wrong: [] }
    : { right: 0, wrong: [`${file.name}: ${differences.join('; ')}`] };
}

/** Check each file against its expectation; a file without one is wrong, an expectation without a file a note. */
async function checkFiles<T>(
  files: readonly RealFile[],
  expectations: Readonly<Record<string, T>>,
  check: (file: RealFile, expected: T) => FileCheck | Promise<FileCheck>,
): Promise<KindCheck> {
  const result = emptyCheck();
  for (const file of files) {
    const expected = expectations[file.name];
    if (expected === undefined) {
      result.wrong.push(`${file.name}: no expectation; write what a human reads from it`);
      continue;
    }
    const { right, wrong } = await check(file, expected);
    result.right += right;
    result.wrong.push(...wrong);
  }
  for (const name of Object.keys(expectations))
    if (!files.some((file) => file.name === name))
      result.notes.push(`${name}: expected but not found`);
  return result;
}

function differ(what: string, actual: unknown, expected: unknown): string[] {
  return show(actual) === show(expected)
    ? []
    : [`${what} ${show(actual)}, expected ${show(expected)}`];
}

/** Check CODEOWNERS files: owners named, rules without owners, and GitLab sections. */
export function checkCodeownersFiles(
  files: readonly RealFile[],
  expectations: CodeownersExpectations,
): Promise<KindCheck> {
  return checkFiles(files, expectations, (file, expected) => {
    const parsed = parseCodeowners(file.text, expected.forge);
    const owners = [...new Set(parsed.rules.flatMap((rule) => rule.owners))].sort();
    const unowned = parsed.rules
      .filter((rule) => rule.owners.length === 0)
      .map((rule) => rule.pattern);
    const differences = [
      ...differ('owners', owners, expected.owners),
      ...differ('unowned', unowned, expected.unowned),
    ];
    if (expected.sections) {
      const sections = parsed.sections.map(({ name, optional, approvals, defaultOwners }) =>
        approvals === undefined
          ? { name, optional, defaultOwners }
          : { name, optional, approvals, defaultOwners },
      );
      differences.push(...differ('sections', sections, expected.sections));
    }
    return asOneItem(file, differences);
  });
}

/** A repository whose root holds the given files, for readFileOwners. */
function rootOnly(files: Readonly<Record<string, string>>): RepoFiles {
  return {
    listDirectory: (_repo, dir) =>
      Promise.resolve(
        dir === ''
          ? Object.keys(files).map((name): RepoEntry => ({ name, path: name, type: 'file' }))
          : [],
      ),
    readFile: (_repo, path) => Promise.resolve(files[path]),
  };
}

/** The usual host of each forge kind, where a handle needs no "@host". */
const USUAL_HOSTS: Readonly<Record<ForgeKind, string>> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
  forgejo: 'forge.fedoraproject.org',
  pagure: 'pagure.io',
  other: 'forge.example',
};

function locationOn(forge: ForgeKind): RepoLocation {
  const host = USUAL_HOSTS[forge];
  return {
    url: `https://${host}/owner/repo`,
    webUrl: `https://${host}/owner/repo`,
    forge,
    host,
    path: 'owner/repo',
    owner: 'owner',
    name: 'repo',
  };
}

/** Check Kubernetes-style OWNERS files, each read with the OWNERS_ALIASES of the same name prefix when there is one. */
export function checkOwnersFiles(
  files: readonly RealFile[],
  expectations: OwnersExpectations,
): Promise<KindCheck> {
  const owners = files.filter((file) => file.name.endsWith('.OWNERS'));
  return checkFiles(owners, expectations, async (file, expected) => {
    const aliases = files.find((other) => other.name === `${file.name}_ALIASES`);
    const root: Record<string, string> = { OWNERS: file.text };
    if (aliases) root['OWNERS_ALIASES'] = aliases.text;
    const observed = await readFileOwners(rootOnly(root), locationOn(expected.forge), undefined);
    const actual: Record<string, string[]> = {};
    for (const owner of observed) {
      const details = owner.sources.map((source) => source.detail ?? '');
      actual[owner.handle] = [...new Set([...(actual[owner.handle] ?? []), ...details])].sort();
    }
    const sorted = Object.fromEntries(
      Object.entries(actual).sort(([a], [b]) => a.localeCompare(b)),
    );
    const wanted = Object.fromEntries(
      Object.entries(expected.owners).sort(([a], [b]) => a.localeCompare(b)),
    );
    return asOneItem(file, differ('owners', sorted, wanted));
  });
}

/** Check MAINTAINERS files (MAINTAINERS, MAINTAINERS.md) by the handles read from them. */
export function checkMaintainersFiles(
  files: readonly RealFile[],
  expectations: MaintainersExpectations,
): Promise<KindCheck> {
  return checkFiles(files, expectations, async (file, expected) => {
    const path = file.name.endsWith('.md') ? 'MAINTAINERS.md' : 'MAINTAINERS';
    const observed = await readFileOwners(
      rootOnly({ [path]: file.text }),
      locationOn(expected.forge),
      undefined,
    );
    const handles = [...new Set(observed.map((owner) => owner.handle))].sort();
    return asOneItem(file, differ('owners', handles, [...expected.owners].sort()));
  });
}

/** The repository a real .tekton file comes from ("owner_repo__file.yaml") and its path there. */
function tektonSource(name: string): { repo: string; path: string } {
  const separator = name.indexOf('__');
  return separator < 0
    ? { repo: name, path: `.tekton/${name}` }
    : { repo: name.slice(0, separator), path: `.tekton/${name.slice(separator + 2)}` };
}

/**
 * Check .tekton files run by run: events, branches, platforms and whether the run builds on push.
 * Files named "<owner>_<repo>__<file>" are read with the other files of the same repository.
 */
export function checkTektonFiles(
  files: readonly RealFile[],
  expectations: TektonExpectations,
): Promise<KindCheck> {
  const sources = files.map((file) => ({ ...tektonSource(file.name), text: file.text }));
  return checkFiles(files, expectations, (file, expected) => {
    const result: FileCheck = { right: 0, wrong: [] };
    const { repo, path } = tektonSource(file.name);
    const sameRepo = sources.filter((source) => source.repo === repo);
    const { pipelines, problems } = parseTektonFile(path, file.text, sameRepo);
    for (const problem of problems) result.wrong.push(`${file.name}: ${problem}`);
    for (const run of pipelines) {
      const wanted = expected.find((entry) => entry.name === run.name);
      if (!wanted) {
        result.wrong.push(`${file.name}: PipelineRun ${run.name} found but not expected`);
        continue;
      }
      const actual = {
        events: run.event ? run.event.split(', ') : [],
        branches: run.branch ? run.branch.split(', ') : [],
        platforms: run.platforms,
        buildsOnPush: buildsOnPush(run),
      };
      const differences = (['events', 'branches', 'platforms', 'buildsOnPush'] as const).flatMap(
        (key) => differ(key, actual[key], wanted[key]),
      );
      if (differences.length === 0) result.right++;
      else result.wrong.push(`${file.name}: ${run.name}: ${differences.join('; ')}`);
    }
    for (const entry of expected)
      if (!pipelines.some((run) => run.name === entry.name))
        result.wrong.push(`${file.name}: PipelineRun ${entry.name} expected but not found`);
    return result;
  });
}
