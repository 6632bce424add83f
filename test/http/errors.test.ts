/**
 * The HTTP transport's edges as a scenario table, through plain fetch against a real server on an
 * empty data dir: error envelopes, body limits, CORS, security headers and the health shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Small enough to trip with a few KiB, large enough for any ordinary request. */
const BODY_LIMIT = 1024;

interface HttpScenario {
  name: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
  /** The whole JSON body, compared exactly. */
  json?: unknown;
  /** The body is PocketBase's error envelope with this status (message and data checked for shape). */
  envelope?: boolean;
  /** The body must be empty. */
  emptyBody?: boolean;
  /** Response headers that must be present: exact string, or a pattern. */
  responseHeaders?: Record<string, string | RegExp>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'x-xss-protection': '1; mode=block',
};

const NOT_FOUND = { status: 404, message: "The requested resource wasn't found.", data: {} };

const SCENARIOS: HttpScenario[] = [
  { name: 'unknown route: 404 envelope', path: '/api/does-not-exist', status: 404, json: NOT_FOUND },
  { name: 'unknown route outside /api: 404 envelope', path: '/nothing/here', status: 404, json: NOT_FOUND },
  { name: 'wrong method on a known route: 404 envelope', method: 'DELETE', path: '/api/health', status: 404, json: NOT_FOUND },
  {
    name: 'invalid JSON body: 400 envelope',
    method: 'POST',
    path: '/api/collections/_superusers/auth-with-password',
    headers: { 'content-type': 'application/json' },
    body: '{"identity": "a@b.c", ',
    status: 400,
    envelope: true,
  },
  {
    name: 'body over the limit: 413 envelope',
    method: 'POST',
    path: '/api/collections/_superusers/auth-with-password',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identity: 'a@b.c', password: 'x'.repeat(BODY_LIMIT * 4) }),
    status: 413,
    json: { status: 413, message: 'Request entity too large.', data: {} },
  },
  {
    name: 'CORS preflight',
    method: 'OPTIONS',
    path: '/api/collections/users/records',
    headers: {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PATCH',
      'access-control-request-headers': 'authorization,content-type',
    },
    status: 204,
    emptyBody: true,
    responseHeaders: {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': /\bPATCH\b/,
      'access-control-allow-headers': /authorization/i,
    },
  },
  {
    name: 'CORS on a simple request',
    path: '/api/health',
    headers: { origin: 'https://app.example.com' },
    status: 200,
    responseHeaders: { 'access-control-allow-origin': '*' },
  },
  {
    name: 'health: shape, JSON type and security headers',
    path: '/api/health',
    status: 200,
    json: { code: 200, message: 'API is healthy.', data: {} },
    responseHeaders: { 'content-type': /^application\/json/, ...SECURITY_HEADERS },
  },
  { name: 'health: HEAD has no body', method: 'HEAD', path: '/api/health', status: 200, emptyBody: true },
  {
    name: 'health: an invalid token is a guest, not an error',
    path: '/api/health',
    headers: { authorization: 'Bearer not-a-token' },
    status: 200,
    json: { code: 200, message: 'API is healthy.', data: {} },
  },
  {
    name: 'security headers on errors too',
    path: '/api/does-not-exist',
    status: 404,
    envelope: true,
    responseHeaders: { 'content-type': /^application\/json/, ...SECURITY_HEADERS },
  },
];

describe('HTTP errors and edges', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ bodyLimit: BODY_LIMIT });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.each(SCENARIOS)('$name', async (scenario) => {
    const response = await fetch(server.url + scenario.path, {
      method: scenario.method ?? 'GET',
      headers: scenario.headers,
      body: scenario.body,
    });
    const text = await response.text();
    expect(response.status, text).toBe(scenario.status);
    if (scenario.json !== undefined) expect(JSON.parse(text)).toEqual(scenario.json);
    if (scenario.envelope) {
      expect(JSON.parse(text)).toEqual({ status: scenario.status, message: expect.any(String), data: expect.any(Object) });
    }
    if (scenario.emptyBody) expect(text).toBe('');
    for (const [name, want] of Object.entries(scenario.responseHeaders ?? {})) {
      const got = response.headers.get(name);
      if (typeof want === 'string') expect(got, name).toBe(want);
      else expect(got, name).toMatch(want);
    }
  });
});
