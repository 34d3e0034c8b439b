/**
 * `npm run check:realdata -- DIR [--expected DIR]`: run the ownership, pipeline and reference
 * parsers over a folder of real files (codeowners/, owners/, maintainers/, tekton/,
 * references/cases.json) and print, per kind, how many items they read right and what they read
 * wrong, against the expectations in tests/fixtures/realdata-expected/. Exit 1 when something is
 * wrong, 2 when an argument or an expectation file is invalid.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { z } from 'astro/zod';
import {
  checkCodeownersFiles,
  checkMaintainersFiles,
  checkOwnersFiles,
  checkTektonFiles,
  CodeownersExpectationsSchema,
  MaintainersExpectationsSchema,
  OwnersExpectationsSchema,
  TektonExpectationsSchema,
  type KindCheck,
  type RealFile,
} from '../src/forges/realdata.ts';
import {
  checkReferenceCases,
  type ReferenceCase,
  type ReferenceDivergence,
} from '../src/registry/reference-cases.ts';

const usage = 'Usage: npm run check:realdata -- DIR [--expected DIR]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    expected: {
      type: 'string',
      default: fileURLToPath(new URL('../tests/fixtures/realdata-expected/', import.meta.url)),
    },
  },
});
const dir = positionals[0];
if (positionals.length !== 1 || !dir || !existsSync(dir)) {
  console.error(dir ? `${dir} does not exist. ${usage}` : usage);
  process.exit(2);
}

async function readFolder(name: string): Promise<RealFile[] | undefined> {
  const folder = join(dir!, name);
  if (!existsSync(folder)) return undefined;
  const names = (await readdir(folder, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (file) => ({ name: file, text: await readFile(join(folder, file), 'utf8') })),
  );
}

async function readExpectations<T extends z.ZodTypeAny>(
  file: string,
  schema: T,
): Promise<z.output<T>> {
  const path = join(values.expected, file);
  const result = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!result.success) {
    console.error(
      `${path}: ${result.error.issues[0]?.path.join('.')}: ${result.error.issues[0]?.message}`,
    );
    process.exit(2);
  }
  return result.data;
}

const results: [string, KindCheck & { divergent?: string[] }][] = [];

/** Check the files of one kind's folder against `<kind>.json`, when the folder exists. */
async function checkKind<T extends z.ZodTypeAny>(
  kind: string,
  schema: T,
  check: (files: RealFile[], expectations: z.output<T>) => Promise<KindCheck>,
): Promise<void> {
  const files = await readFolder(kind);
  if (files)
    results.push([kind, await check(files, await readExpectations(`${kind}.json`, schema))]);
}

await checkKind('codeowners', CodeownersExpectationsSchema, checkCodeownersFiles);
await checkKind('owners', OwnersExpectationsSchema, checkOwnersFiles);
await checkKind('maintainers', MaintainersExpectationsSchema, checkMaintainersFiles);
await checkKind('tekton', TektonExpectationsSchema, checkTektonFiles);
const casesFile = join(dir, 'references', 'cases.json');
if (existsSync(casesFile)) {
  const cases = JSON.parse(await readFile(casesFile, 'utf8')) as ReferenceCase[];
  const { divergences } = JSON.parse(
    await readFile(join(values.expected, 'references.json'), 'utf8'),
  ) as { divergences: ReferenceDivergence[] };
  results.push(['references', { ...checkReferenceCases(cases, divergences), notes: [] }]);
}
if (results.length === 0) {
  console.error(
    `${dir} has none of codeowners/, owners/, maintainers/, tekton/, references/cases.json. ${usage}`,
  );
  process.exit(2);
}

for (const [kind, check] of results) {
  for (const line of check.wrong) console.log(`wrong  ${kind}  ${line}`);
  for (const line of check.divergent ?? []) console.log(`differs by design  ${kind}  ${line}`);
  for (const line of check.notes) console.log(`note  ${kind}  ${line}`);
}
console.log(`\n${'kind'.padEnd(12)} ${'right'.padStart(5)} ${'wrong'.padStart(5)}`);
for (const [kind, check] of results) {
  const divergent = check.divergent?.length ? `  (${check.divergent.length} differ by design)` : '';
  console.log(
    `${kind.padEnd(12)} ${String(check.right).padStart(5)} ${String(check.wrong.length).padStart(5)}${divergent}`,
  );
}
process.exitCode = results.some(([, check]) => check.wrong.length > 0) ? 1 : 0;
