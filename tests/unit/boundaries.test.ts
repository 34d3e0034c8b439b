import { ESLint } from 'eslint';
import astro from 'eslint-plugin-astro';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../eslint.boundaries.js';

/** An ESLint that checks only which folder imports which, over TypeScript and Astro files. */
function createBoundaryLinter(): ESLint {
  return new ESLint({
    cwd: process.cwd(),
    overrideConfigFile: true,
    overrideConfig: [
      { ignores: ['dist/', '.astro/', '.cache/', 'node_modules/', 'content/'] },
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      ...astro.configs.base,
      ...boundaries,
    ],
  });
}

/** Lint one file's text as if it were at `path`, and return the boundary messages. */
async function boundaryErrors(linter: ESLint, path: string, text: string): Promise<string[]> {
  const [result] = await linter.lintText(text, { filePath: path });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('folder boundaries', () => {
  const linter = createBoundaryLinter();

  it('holds across src/ and scripts/', async () => {
    const results = await linter.lintFiles(['src', 'scripts']);
    const problems = results.flatMap((result) =>
      result.messages.map((message) => `${result.filePath}:${message.line}  ${message.message}`),
    );
    expect(results.length).toBeGreaterThan(80);
    expect(problems).toEqual([]);
  });

  it('refuses a registry module that imports the catalog', async () => {
    expect(
      await boundaryErrors(
        linter,
        'src/registry/bad.ts',
        "import { loadCatalog } from '../catalog/index.ts';\nexport const load = loadCatalog;\n",
      ),
    ).toEqual([
      "'../catalog/index.ts' import is restricted from being used by a pattern. src/registry is an OCI client: it imports only itself and src/utils.",
    ]);
  });

  it('refuses forges importing the snapshot schema, even for types', async () => {
    const errors = await boundaryErrors(
      linter,
      'src/forges/bad.ts',
      "import type { RepoFacts } from '../snapshot/schema.ts';\nexport type Facts = RepoFacts;\n",
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('src/forges holds forge clients and parsers');
  });

  it('refuses the site importing the sync, and the snapshot importing the sync', async () => {
    const site = await boundaryErrors(
      linter,
      'src/site/bad.ts',
      "import { STEPS } from '../sync/index.ts';\nexport const steps = STEPS;\n",
    );
    expect(site[0]).toContain('it never imports the sync');
    const snapshot = await boundaryErrors(
      linter,
      'src/snapshot/bad.ts',
      "import { STEPS } from '../sync/index.ts';\nexport const steps = STEPS;\n",
    );
    expect(snapshot[0]).toContain('the contract between the sync and the site');
  });

  it('refuses src/ and scripts/ importing tests/', async () => {
    for (const path of ['src/catalog/bad.ts', 'scripts/bad.ts']) {
      const errors = await boundaryErrors(
        linter,
        path,
        "import { startRegistry } from '../../tests/helpers/registry.ts';\nexport const start = startRegistry;\n",
      );
      expect(errors[0], path).toContain('never imports tests/');
    }
  });

  it('refuses a page that fetches, in an .astro file', async () => {
    const errors = await boundaryErrors(
      linter,
      'src/pages/bad.astro',
      "---\nimport { createRegistryClient } from '../registry/client.ts';\nconst client = createRegistryClient;\n---\n<p>{String(client)}</p>\n",
    );
    expect(errors[0]).toContain('pages and components never fetch');
  });

  it('refuses reaching into another folder past its index.ts', async () => {
    const errors = await boundaryErrors(
      linter,
      'src/site/bad.ts',
      "import { readCatalog } from '../catalog/load.ts';\nexport const read = readCatalog;\n",
    );
    expect(errors).toEqual([
      "'../catalog/load.ts' import is restricted from being used by a pattern. import another folder through its index.ts (e.g. ../catalog/index.ts).",
    ]);
  });
});
