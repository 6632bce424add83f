import type { TestDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { checkResponse } from './match.js';
import type { Scenario } from './scenarios.js';

/** What one scenario produced. */
export interface ScenarioOutcome {
  status: number;
  body: string;
  problems: string[];
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Builds the request as PocketBase's test runner did: `Content-Type: application/json` by default,
 * the scenario's headers over it, the body sent as-is.
 */
export function buildRequest(scenario: Scenario): RequestInit {
  const headers = new Headers({ 'content-type': 'application/json' });
  for (const [name, value] of Object.entries(scenario.Headers ?? {})) headers.set(name, value);
  const method = scenario.Method.toUpperCase();
  const hasBody = scenario.Body !== '' && method !== 'GET' && method !== 'HEAD';
  return { method, headers, body: hasBody ? scenario.Body : undefined, redirect: 'manual' };
}

/**
 * Runs one scenario against a server started on a fresh copy of the fixture (imported into a
 * schema/database of its own on PostgreSQL/MySQL), then stops it; or on `shared`, a server the
 * caller keeps for read-only scenarios (see isReadOnly). Its
 * data dir is removed in the background: call `flushRemovals()` when the suite ends.
 */
export async function runScenario(scenario: Scenario, dialect: TestDialect = 'sqlite', shared?: TestServer): Promise<ScenarioOutcome> {
  const server = shared ?? (await startTestServer({ fixture: true, removeInBackground: true, dialect }));
  try {
    const response = await fetch(server.url + scenario.URL, {
      ...buildRequest(scenario),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await response.text();
    return { status: response.status, body, problems: checkResponse(scenario, response.status, body) };
  } finally {
    if (!shared) await server.close();
  }
}

/**
 * Scenarios that cannot change the stored data, so one server per dialect can answer all of them:
 * PocketBase's GET routes only read (a fresh fixture clone per scenario costs ~0.3 s on PostgreSQL).
 */
export function isReadOnly(scenario: Scenario): boolean {
  return scenario.Method.toUpperCase() === 'GET';
}
