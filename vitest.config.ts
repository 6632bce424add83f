import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Makes one writable copy of the PocketBase fixture per run (and removes it afterwards).
    globalSetup: ['./test/helpers/global-setup.ts'],
    // The summary reporter prints the plain `Tests: N passed, N failed, N skipped` line CI reads.
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
