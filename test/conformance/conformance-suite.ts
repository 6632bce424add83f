/**
 * PocketBase conformance: every complete scenario of ../shared/pocketbase-conformance/scenarios.json
 * runs against a server on a fresh copy of the fixture (on PostgreSQL/MySQL: the fixture imported
 * with `plinth import`'s code). Scenarios of REQUIRED_CONFORMANCE_FILES must pass; the others are
 * run, counted and reported (a failing one shows as skipped with its reason). A pass table is
 * printed at the end, per dialect. Defined here once; one test file per dialect group calls
 * {@link defineConformanceSuite}, so that vitest runs the groups on separate workers.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { flushRemovals } from '../helpers/fixture-copy.js';
import { requireShared } from '../helpers/requirements.js';
import { closeTestDatabaseAdmins, testDialects, type TestDialect } from '../helpers/test-databases.js';
import { ConformanceTally } from './report.js';
import { isReadOnly, runScenario } from './run-scenario.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { completeScenariosByFile, isRequired, type Scenario } from './scenarios.js';

/**
 * Defines the suite for `dialects` (those of {@link testDialects} that are reachable; a missing
 * service prints one skip line, or fails under CI).
 */
export async function defineConformanceSuite(suite: string, dialects: readonly TestDialect[]): Promise<void> {
  const hasShared = requireShared(suite);
  const byFile = hasShared ? completeScenariosByFile() : new Map<string, Scenario[]>();
  const available = dialects.some((d) => d !== 'sqlite') ? await testDialects(suite) : ['sqlite'];
  const run = hasShared ? dialects.filter((d) => available.includes(d)) : [];
  afterAll(() => closeTestDatabaseAdmins());
  if (run.length === 0) {
    describe.skip(suite, () => it('needs ../shared and the dialect services', () => undefined));
    return;
  }
  for (const dialect of run) defineDialect(dialect, byFile);
}

function defineDialect(dialect: TestDialect, byFile: Map<string, Scenario[]>): void {
  describe(`PocketBase conformance (${dialect})`, () => {
    const tally = new ConformanceTally();
    let started = Date.now();
    beforeAll(() => {
      started = Date.now();
    });
    let readOnlyServer: Promise<TestServer> | undefined;
    afterAll(async () => {
      await (await readOnlyServer)?.close();
      await flushRemovals();
      console.log(`[${dialect}] ${tally.format(Date.now() - started)}`);
    });

    for (const [file, scenarios] of byFile) {
      const required = isRequired(file, dialect);
      tally.declare(file, required);
      describe(file, () => {
        for (const scenario of scenarios) {
          it(`${scenario.Func} / ${scenario.Name} (${scenario.Method} ${scenario.URL})`, async (ctx) => {
            let problems: string[];
            let body = '';
            try {
              const shared = isReadOnly(scenario) ? (readOnlyServer ??= startTestServer({ fixture: true, dialect })) : undefined;
              const outcome = await runScenario(scenario, dialect, await shared);
              problems = outcome.problems;
              body = outcome.body;
            } catch (err) {
              problems = [`request failed: ${(err as Error).message}`];
            }
            tally.record(file, problems.length === 0);
            if (problems.length === 0) return;
            const detail = `${problems.join('; ')}\n  body: ${body.slice(0, 600)}`;
            if (!required) ctx.skip(`not required yet: ${problems.join('; ').slice(0, 200)}`);
            throw new Error(detail);
          });
        }
      });
    }
  });
}
