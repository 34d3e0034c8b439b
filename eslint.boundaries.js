/**
 * Which folder may import which: the data flow made into lint rules. Dependencies point one way:
 *
 *   pages, components -> loaders -> site -> catalog, snapshot
 *   scripts -> sync -> registry, forges, catalog, snapshot
 *
 * registry and forges are clients that know nothing of the catalog or the site; snapshot is the
 * contract and imports no one; nothing under src/ or scripts/ imports tests/. Between the catalog,
 * snapshot, sync and site folders, imports go through the folder's index.ts. `npm test` runs these
 * rules over the whole tree (tests/unit/boundaries.test.ts), and `npm run check` with the other lint rules.
 */

/** A folder of src/, matched anywhere in a relative import path. @param {string} name */
const folder = (name) => `(^|/)${name}/`;

/**
 * A pattern that forbids importing from the named folders of src/.
 * @param {string[]} names
 * @param {string} why
 */
const forbid = (names, why) => ({
  regex: `${'(' + names.map(folder).join('|') + ')'}`,
  message: why,
});

/** Cross-folder imports of these folders go through their index.ts. */
const viaIndex = {
  regex: '(^|/)(catalog|snapshot|sync|site)/(?!index\\.ts$)[^/]+$',
  message: 'import another folder through its index.ts (e.g. ../catalog/index.ts).',
};

const noTests = forbid(['tests'], 'code under src/ and scripts/ never imports tests/.');

/**
 * The rules for one folder.
 * @param {string[]} files
 * @param {{ regex: string, message: string }[]} patterns
 * @returns {import('eslint').Linter.Config}
 */
const rule = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

/** @type {import('eslint').Linter.Config[]} */
export const boundaries = [
  rule(
    ['src/registry/**'],
    [
      forbid(
        ['catalog', 'snapshot', 'sync', 'site', 'loaders', 'components', 'pages', 'forges'],
        'src/registry is an OCI client: it imports only itself and src/utils.',
      ),
      noTests,
    ],
  ),
  rule(
    ['src/forges/**'],
    [
      forbid(
        ['catalog', 'snapshot', 'sync', 'site', 'loaders', 'components', 'pages', 'registry'],
        'src/forges holds forge clients and parsers: it imports only itself and src/utils.',
      ),
      noTests,
    ],
  ),
  rule(
    ['src/utils/**'],
    [
      forbid(
        [
          'catalog',
          'snapshot',
          'sync',
          'site',
          'loaders',
          'components',
          'pages',
          'registry',
          'forges',
        ],
        'src/utils is shared by everything and imports nothing of the project.',
      ),
      noTests,
    ],
  ),
  rule(
    ['src/build/**'],
    [
      forbid(
        [
          'catalog',
          'snapshot',
          'sync',
          'site',
          'loaders',
          'components',
          'pages',
          'registry',
          'forges',
        ],
        'src/build fingerprints and keeps build outputs: it reads files, never the catalog or the site.',
      ),
      noTests,
    ],
  ),
  rule(
    ['src/snapshot/**'],
    [
      forbid(
        ['catalog', 'sync', 'site', 'loaders', 'components', 'pages', 'registry', 'forges'],
        'src/snapshot is the contract between the sync and the site: it imports no other folder but src/utils.',
      ),
      noTests,
    ],
  ),
  rule(
    ['src/catalog/**'],
    [
      forbid(
        ['snapshot', 'sync', 'site', 'loaders', 'components', 'pages'],
        'src/catalog is the input: it knows nothing of the snapshot, the sync or the site.',
      ),
      noTests,
    ],
  ),
  rule(
    ['src/sync/**'],
    [
      forbid(
        ['site', 'loaders', 'components', 'pages'],
        'src/sync writes the snapshot; it never imports the site.',
      ),
      viaIndex,
      noTests,
    ],
  ),
  rule(
    ['src/site/**'],
    [
      forbid(
        ['sync', 'loaders', 'components', 'pages'],
        'src/site derives pages from the catalog and the snapshot; it never imports the sync.',
      ),
      viaIndex,
      noTests,
    ],
  ),
  rule(
    ['src/loaders/**'],
    [
      forbid(
        ['sync', 'components', 'pages'],
        'loaders read the catalog and the snapshot; they never sync.',
      ),
      viaIndex,
      noTests,
    ],
  ),
  rule(
    ['src/components/**', 'src/pages/**', 'src/*.ts'],
    [
      forbid(
        ['sync', 'registry', 'forges'],
        'pages and components never fetch: they read the site data (src/site, src/loaders).',
      ),
      viaIndex,
      noTests,
    ],
  ),
  rule(['scripts/**'], [viaIndex, noTests]),
];
