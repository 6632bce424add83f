import type { TestProjectInlineConfiguration } from 'vitest/config';
import { requireService } from './requirements.js';

/**
 * API test files that are SQLite-only by nature, with the reason. Everything else under test/http
 * runs once per dialect.
 */
export const SQLITE_ONLY_API_FILES: Record<string, string> = {
  'test/http/operations-sdk.test.ts': 'backups (a zip of the SQLite files) and the SQL console are SQLite features',
};

/**
 * The dialect matrix of the API tests (DESIGN §5) as vitest projects: `sqlite` runs every test
 * file; `postgres` and `mysql` run test/http and the attack suite (test/security) again with
 * PLINTH_TEST_DIALECT set, which makes
 * startTestServer put the server's store in a fresh PostgreSQL schema / MySQL database (with the
 * fixture imported when asked). The store tests (test/store) and the conformance suite loop over
 * the dialects themselves. A service that does not answer drops its project with one "skipped"
 * line; under CI it fails the run.
 */
export async function dialectProjects(): Promise<TestProjectInlineConfiguration[]> {
  const projects: TestProjectInlineConfiguration[] = [
    { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
  ];
  for (const dialect of ['postgres', 'mysql'] as const) {
    if (!(await requireService(dialect, `API tests (${dialect})`))) continue;
    projects.push({
      extends: true,
      test: {
        name: dialect,
        include: ['test/http/**/*.test.ts', 'test/security/**/*.test.ts'],
        exclude: Object.keys(SQLITE_ONLY_API_FILES),
        env: { PLINTH_TEST_DIALECT: dialect },
      },
    });
  }
  return projects;
}
