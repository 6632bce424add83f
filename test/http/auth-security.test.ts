/**
 * Token hygiene and no-enumeration: only HS256 tokens with the right key, type, collection and
 * expiry authenticate (anything else makes the caller a guest); sign-in, reset and OTP requests
 * answer the same, in similar time, for existing and unknown accounts.
 */
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

let server: TestServer;
let authKey: Uint8Array;

const USER_ID = '4q1xlclmfloku33';
const USERS_ID = '_pb_users_auth_';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const farExp = () => Math.floor(Date.now() / 1000) + 3600;

async function post(path: string, body: unknown, token?: string) {
  const started = performance.now();
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

/** 401 from auth-refresh means the token made the caller a guest. */
async function refreshStatus(token: string): Promise<number> {
  return (await post('/api/collections/users/auth-refresh', {}, token)).status;
}

function sign(claims: Record<string, unknown>, alg = 'HS256', key: Uint8Array = authKey): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

beforeAll(async () => {
  server = await startTestServer({ fixture: true });
  await fetch(`${server.url}/api/settings`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: superuserToken },
    body: JSON.stringify({ rateLimits: { authGuard: { enabled: false } } }),
  });
  const users = server.app.schema.find('users')!;
  const record = await server.app.records.findById(users, USER_ID);
  const secret = (users.options.authToken as { secret: string }).secret;
  authKey = new TextEncoder().encode(String(record?.tokenKey) + secret);
});

afterAll(async () => {
  await server?.close();
});

describe('token hygiene', () => {
  const claims = () => ({ id: USER_ID, type: 'auth', collectionId: USERS_ID, refreshable: true, exp: farExp() });

  it('accepts a well-formed HS256 token (the control case)', async () => {
    expect(await refreshStatus(await sign(claims()))).toBe(200);
    expect(await refreshStatus(`Bearer ${await sign(claims())}`)).toBe(200);
  });

  it.each([
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['HS384 with the right key', () => sign(claims(), 'HS384')],
    ['HS512 with the right key', () => sign(claims(), 'HS512')],
    ['RS256', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    }],
    ['a tampered payload', async () => {
      const [header, , signature] = userToken.split('.');
      return `${header}.${b64({ ...claims(), id: 'oap640cot4yru2s' })}.${signature}`;
    }],
    ['an expired token', () => sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 10 })],
    ['a token without exp', async () => new SignJWT({ id: USER_ID, type: 'auth', collectionId: USERS_ID }).setProtectedHeader({ alg: 'HS256' }).sign(authKey)],
    ['another token type', () => sign({ ...claims(), type: 'verification' })],
    ['another collection', () => sign({ ...claims(), collectionId: 'v851q4r790rhknl' })],
    ['a wrong key', () => sign(claims(), 'HS256', new TextEncoder().encode('not-the-key'))],
    ['garbage', async () => 'not.a.jwt'],
  ])('treats %s as a guest', async (_name, make) => {
    expect(await refreshStatus(await make())).toBe(401);
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Runs both requests alternately and compares answers and median times. */
async function compare(path: string, known: unknown, unknown: unknown, rounds = 7) {
  const a: Array<{ status: number; text: string; ms: number }> = [];
  const b: typeof a = [];
  for (let i = 0; i < rounds; i++) {
    a.push(await post(path, known));
    b.push(await post(path, unknown));
  }
  return { known: a, unknown: b, knownMs: median(a.map((r) => r.ms)), unknownMs: median(b.map((r) => r.ms)) };
}

function expectSimilarTime(knownMs: number, unknownMs: number): void {
  // loose on purpose (shared CI cores): what matters is that no path skips the expensive work
  const slower = Math.max(knownMs, unknownMs);
  expect(Math.abs(knownMs - unknownMs)).toBeLessThan(Math.max(40, slower * 0.6));
}

describe('no account enumeration', () => {
  it('auth-with-password: wrong password and unknown identity answer alike, in similar time', async () => {
    const r = await compare('/api/collections/clients/auth-with-password',
      { identity: 'test@example.com', password: 'wrong-password' },
      { identity: 'nobody@example.com', password: 'wrong-password' }, 3);
    expect(new Set([...r.known, ...r.unknown].map((x) => `${x.status} ${x.text}`)).size).toBe(1);
    expect(r.known[0]?.status).toBe(400);
    expectSimilarTime(r.knownMs, r.unknownMs);
  });

  it('request-password-reset: 204 with an empty body for both, in similar time', async () => {
    const r = await compare('/api/collections/clients/request-password-reset', { email: 'test@example.com' }, { email: 'nobody@example.com' });
    expect(new Set([...r.known, ...r.unknown].map((x) => `${x.status} ${x.text}`))).toEqual(new Set(['204 ']));
    expectSimilarTime(r.knownMs, r.unknownMs);
  });

  it('request-verification: 204 with an empty body for both', async () => {
    const r = await compare('/api/collections/users/request-verification', { email: 'test@example.com' }, { email: 'nobody@example.com' }, 3);
    expect(new Set([...r.known, ...r.unknown].map((x) => `${x.status} ${x.text}`))).toEqual(new Set(['204 ']));
  });

  it('request-otp: the same answer shape for both, in similar time', async () => {
    const r = await compare('/api/collections/users/request-otp', { email: 'test@example.com' }, { email: 'nobody@example.com' });
    for (const x of [...r.known, ...r.unknown]) {
      expect(x.status).toBe(200);
      expect(x.text).toMatch(/^\{"otpId":"[a-z0-9]{15}"\}$/);
    }
    expectSimilarTime(r.knownMs, r.unknownMs);
  });
});
