/**
 * Shared tools of the attack suite (test/security): a fixture server per file on the vitest
 * project's dialect, plain-HTTP calls that never throw, and the "no oracle" assertion (two probes
 * that differ only in a secret's guess must get the same answer).
 */
import { expect } from 'vitest';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

export { closeTestDatabaseAdmins, projectDialect };

/** An answer of the server: status, raw text and the parsed JSON (undefined when not JSON). */
export interface Answer {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
  ms: number;
}

/** Options of {@link call}. */
export interface CallOptions {
  token?: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as JSON) or a ready body (string, FormData, Buffer). */
  body?: unknown;
  raw?: boolean;
}

/** Sends one request and reads the whole answer; a JSON `body` is serialised. */
export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = options.token;
  let body: RequestInit['body'];
  if (options.body !== undefined) {
    if (options.raw || options.body instanceof FormData || typeof options.body === 'string' || Buffer.isBuffer(options.body)) {
      body = options.body as RequestInit['body'];
    } else {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  const started = performance.now();
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers, ms: performance.now() - started };
}

/** A fixture server with the default auth guard off (attacks send many auth requests on purpose). */
export async function startAttackServer(options: { keepAuthGuard?: boolean } = {}): Promise<TestServer> {
  const server = await startTestServer({ fixture: true, dialect: projectDialect(), removeInBackground: false });
  if (!options.keepAuthGuard) {
    const res = await call(server.url, 'PATCH', '/api/settings', {
      token: superuserToken,
      body: { rateLimits: { authGuard: { enabled: false } } },
    });
    expect(res.status, res.text).toBe(200);
  }
  return server;
}

/** Creates a collection as superuser and returns its JSON. */
export async function createCollection(server: TestServer, definition: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const res = await call(server.url, 'POST', '/api/collections', { token: superuserToken, body: definition });
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; name: string };
}

/** Creates a record as superuser and returns its id. */
export async function createRecord(server: TestServer, collection: string, data: Record<string, unknown>): Promise<string> {
  const res = await call(server.url, 'POST', `/api/collections/${collection}/records`, { token: superuserToken, body: data });
  expect(res.status, res.text).toBe(200);
  return (res.json as { id: string }).id;
}

/** The comparable part of an answer: status and body with volatile values (dates) left out. */
export function shape(answer: Answer): string {
  return `${answer.status} ${answer.text.replace(/"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z"/g, '"<date>"')}`;
}

/**
 * The oracle check: a right guess and a wrong guess of a protected value answer alike (same status
 * and body), and no answer is a 5xx.
 */
export function expectNoOracle(right: Answer, wrong: Answer): void {
  expect(right.status).toBeLessThan(500);
  expect(wrong.status).toBeLessThan(500);
  expect(shape(right)).toBe(shape(wrong));
}

/** Whether a list answer holds an item with this id. */
export function listHas(answer: Answer, id: string): boolean {
  const items = (answer.json as { items?: Array<{ id: string }> } | undefined)?.items ?? [];
  return items.some((item) => item.id === id);
}
