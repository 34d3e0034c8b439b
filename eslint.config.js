import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';
import { boundaries } from './eslint.boundaries.js';

export default [
  { ignores: ['dist/', '.astro/', '.cache/', 'node_modules/', 'content/snapshot/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  // Tests fake async interfaces with plain functions and read JSON from servers and browsers as
  // `any` on purpose; the type-checked rules that flag exactly that stay on for src/ and scripts/.
  {
    files: ['tests/**'],
    rules: {
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  // Astro files and plain JavaScript have no type information for these rules.
  { files: ['**/*.js', '**/*.astro', '**/*.astro/*.ts'], ...tseslint.configs.disableTypeChecked },
  ...astro.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  ...boundaries,
];
