/**
 * Property-based fuzzing of every route (issue 19; the generator is in route-fuzz-kit.ts): random
 * and malformed params, queries and bodies from guests, users and (GET only) superusers never give
 * a 5xx, never take more than 5 s, and never change data that the caller's rules deny. The number
 * of cases is bounded here (PLINTH_FUZZ_RUNS, default 600 per dialect); bench/fuzz-soak.ts runs
 * the same properties for minutes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/cli/start-server.js';
import { makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import type { TestServer } from '../helpers/test-server.js';
import { closeTestDatabaseAdmins, projectDialect, startAttackServer } from './attack-kit.js';
import { apiRoutes, fuzzCases, protectedSnapshot, seedFuzzWorld, sendCase, type ApiRoute, type FuzzWorld } from './route-fuzz-kit.js';

const RUNS = Number(process.env['PLINTH_FUZZ_RUNS'] ?? 600);
const SEED = process.env['PLINTH_FUZZ_SEED'] === undefined ? undefined : Number(process.env['PLINTH_FUZZ_SEED']);

let server: TestServer;
let routes: ApiRoute[] = [];
let world: FuzzWorld;

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('route fuzzing (%s)', () => {
  beforeAll(async () => {
    server = await startAttackServer();
    world = await seedFuzzWorld(server.url);
    // the routes do not depend on the data: read them from a bare server of their own
    const dir = makeTempDir();
    const bare = await startServer({ dataDir: dir, http: '127.0.0.1:0' });
    routes = apiRoutes(bare.http);
    await bare.close();
    removeDir(dir);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('derives the API description from the registered routes', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(keys).toContain('GET /api/collections/:collection/records/:id');
    expect(keys).toContain('POST /api/collections/:collection/auth-with-password');
    expect(keys).toContain('POST /api/batch');
    expect(keys).toContain('POST /api/graphql');
    expect(routes.length).toBeGreaterThan(60);
  });

  it(`never a 5xx, a hang over 5 s or a denied change (${RUNS} cases)`, { timeout: 120_000 }, async () => {
    const before = await protectedSnapshot(server.url);
    let checked = 0;
    await fc.assert(fc.asyncProperty(fuzzCases(routes, world), async (c) => {
      const outcome = await sendCase(server.url, c);
      expect(outcome.status, `${c.method} ${c.path}?${c.query}: ${outcome.text.slice(0, 200)}`).toBeLessThan(500);
      expect(outcome.ms).toBeLessThan(5000);
      if (++checked % 10 === 0 || c.method !== 'GET') {
        expect(await protectedSnapshot(server.url), `${c.caller} ${c.method} ${c.path}`).toBe(before);
      }
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
  });
});
