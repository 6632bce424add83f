/**
 * Rate limits over HTTP: Plinth's auth guard while the general limiter is off, PocketBase's
 * `rateLimits` rules (labels, audiences, excluded IPs) and the client address (the socket's unless
 * `trustedProxy` names a header: a client-sent X-Forwarded-For is never trusted by default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

let server: TestServer;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function settings(patch: Record<string, unknown>) {
  const res = await call('PATCH', '/api/settings', patch, { authorization: superuserToken });
  expect(res.status, res.text).toBe(200);
}

const reset = (headers: Record<string, string> = {}) =>
  call('POST', '/api/collections/users/request-password-reset', { email: 'nobody@example.com' }, headers);

beforeAll(async () => {
  server = await startTestServer({ fixture: true });
});

afterAll(async () => {
  await server?.close();
});

describe('rate limits', () => {
  it('guards the auth routes by default while the general limiter is off (fixture: rateLimits.enabled false)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await reset()).status);
    expect(statuses.slice(0, 20).every((s) => s === 204)).toBe(true);
    const limited = await reset();
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.text)).toEqual({ status: 429, message: 'Too Many Requests.', data: {} });
    // routes without the auth tag are not guarded
    expect((await call('GET', '/api/collections/users/auth-methods')).status).toBe(200);
  });

  it('applies PocketBase rules by label and audience once enabled', async () => {
    await settings({
      rateLimits: {
        enabled: true,
        excludedIPs: [],
        rules: [
          { label: '*:requestPasswordReset', audience: '', duration: 60, maxRequests: 2 },
          { label: '/api/collections/demo2/', audience: '@guest', duration: 60, maxRequests: 3 },
        ],
      },
    });
    expect((await reset()).status).toBe(204);
    expect((await reset()).status).toBe(204);
    expect((await reset()).status).toBe(429);

    const list = (headers: Record<string, string> = {}) => call('GET', '/api/collections/demo2/records', undefined, headers);
    for (let i = 0; i < 3; i++) expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(429);
    // the @guest rule does not count authenticated callers
    for (let i = 0; i < 5; i++) expect((await list({ authorization: superuserToken })).status).toBe(200);
  });

  it('never trusts a client-sent X-Forwarded-For by default', async () => {
    expect((await reset({ 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    expect((await reset({ 'x-forwarded-for': '203.0.113.8' })).status).toBe(429);
  });

  it('reads the client address from a trusted proxy header when configured', async () => {
    await settings({ trustedProxy: { headers: ['X-Forwarded-For'], useLeftmostIP: false } });
    expect((await reset({ 'x-forwarded-for': '198.51.100.1, 203.0.113.20' })).status).toBe(204);
    expect((await reset({ 'x-forwarded-for': '198.51.100.1, 203.0.113.20' })).status).toBe(204);
    expect((await reset({ 'x-forwarded-for': '198.51.100.1, 203.0.113.20' })).status).toBe(429);
    // the rightmost address is the client by default: another one has its own budget
    expect((await reset({ 'x-forwarded-for': '198.51.100.1, 203.0.113.21' })).status).toBe(204);
  });

  it('skips excluded addresses', async () => {
    await settings({ trustedProxy: { headers: [] }, rateLimits: { excludedIPs: ['127.0.0.1', '::ffff:127.0.0.1'] } });
    for (let i = 0; i < 4; i++) expect((await reset()).status).toBe(204);
  });
});
