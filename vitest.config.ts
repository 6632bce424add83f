import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { dialectProjects } from './test/helpers/dialect-projects.js';

export default defineConfig({
  // Node resolves `graphql` to its CommonJS build (no `exports` map), Vite to its `.mjs` one: two
  // copies would fail graphql-js's realm checks between our schema and graphql-ws. Use Node's.
  resolve: { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] },
  test: {
    // `include` is per project (dialect-projects.ts): a root one would be merged into every project
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Makes one writable copy of the PocketBase fixture per run (and removes it afterwards).
    globalSetup: ['./test/helpers/global-setup.ts'],
    // The summary reporter prints the plain `Tests: N passed, N failed, N skipped` line CI reads.
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    // SQLite runs everything; PostgreSQL and MySQL run the API tests again (see dialect-projects.ts).
    projects: await dialectProjects(),
  },
});
