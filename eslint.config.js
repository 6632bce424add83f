// @ts-check
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['bin/**/*.js', '*.config.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  // the admin UI (admin/): browser code, Svelte 5 components with TypeScript
  ...svelte.configs.recommended,
  {
    files: ['admin/**/*.ts', 'admin/**/*.svelte', 'admin/**/*.svelte.ts'],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The layer rule from DESIGN.md §2: the core knows nothing of HTTP, drivers or the other layers.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/store/**', '**/http/**', '**/adapters/**', '**/cli/**'], message: 'core must not import other layers' },
          { group: ['fastify', '@fastify/*', 'better-sqlite3', 'pg', 'mysql2', 'ioredis'], message: 'core must not import transports or drivers' },
        ],
      }],
    },
  },
  {
    files: ['src/store/**/*.ts', 'src/http/**/*.ts', 'src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/cli/**'], message: 'only cli wires layers together' }],
      }],
    },
  },
  {
    files: ['src/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/http/**', '**/cli/**'], message: 'store must not import transports' },
          { group: ['fastify', '@fastify/*'], message: 'store must not import HTTP' },
        ],
      }],
    },
  },
);
