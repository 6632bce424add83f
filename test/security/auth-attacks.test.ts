/**
 * Broken authentication (OWASP API2:2023): forged and confused JWTs (jsonwebtoken CVE-2015-9235,
 * CVE-2022-23540/23541, fast-jwt CVE-2023-48223, node-jose CVE-2018-0114), tokens that must die
 * (password change, password reset, email change, deleted record), tokens of one kind used as
 * another, OAuth2 account pre-hijack and unverified-email linking (PocketBase CVE-2024-38351), and
 * user enumeration by status, message or timing (CWE-204/CWE-208) on sign-in, reset, OTP and
 * verification. A token that fails any check makes the caller a guest (401 on auth-refresh).
 */
import { createHmac } from 'node:crypto';
import { generateKeyPair, SignJWT, exportSPKI, exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuth2Provider, type TestOAuth2Provider } from '../helpers/oauth2-provider.js';
import type { TestServer } from '../helpers/test-server.js';
import { clientToken, superuserToken, userToken } from '../helpers/tokens.js';
import { call, closeTestDatabaseAdmins, projectDialect, startAttackServer } from './attack-kit.js';

const USER_ID = '4q1xlclmfloku33';
const USERS_ID = '_pb_users_auth_';
const PASSWORD = '1234567890';
const REDIRECT = 'https://app.test/callback';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const soon = () => Math.floor(Date.now() / 1000) + 3600;

let server: TestServer;
let provider: TestOAuth2Provider;
let authKey: Uint8Array;
let secret = '';

const post = (path: string, body: unknown, token?: string) => call(server.url, 'POST', path, { body, token });
const refresh = async (token: string, collection = 'users') => (await post(`/api/collections/${collection}/auth-refresh`, {}, token)).status;
const sign = (claims: Record<string, unknown>, alg = 'HS256', key: Uint8Array = authKey, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT', ...header }).sign(key);
/** HS256 by hand, for keys jose refuses (empty). */
const hmacToken = (payload: unknown, key: string, header: Record<string, unknown> = { alg: 'HS256' }) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
};
const claims = (extra: Record<string, unknown> = {}) => ({ id: USER_ID, type: 'auth', collectionId: USERS_ID, refreshable: true, exp: soon(), ...extra });

async function signIn(collection: string, identity: string, password = PASSWORD): Promise<{ token: string; id: string }> {
  const res = await post(`/api/collections/${collection}/auth-with-password`, { identity, password });
  expect(res.status, res.text).toBe(200);
  const json = res.json as { token: string; record: { id: string } };
  return { token: json.token, id: json.record.id };
}

/** A fresh user of `users` with a known password (so the fixture accounts stay untouched). */
async function newUser(email: string): Promise<{ token: string; id: string }> {
  const res = await post('/api/collections/users/records', { email, password: PASSWORD, passwordConfirm: PASSWORD });
  expect(res.status, res.text).toBe(200);
  return signIn('users', email);
}

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('broken authentication (%s)', () => {
  beforeAll(async () => {
    provider = await startOAuth2Provider();
    server = await startAttackServer();
    const users = server.app.schema.find('users')!;
    const record = await server.app.records.findById(users, USER_ID);
    secret = (users.options.authToken as { secret: string }).secret;
    authKey = new TextEncoder().encode(String(record?.tokenKey) + secret);
    const cfg = (name: string) => ({
      name, clientId: provider.clientId, clientSecret: provider.clientSecret,
      authURL: `${provider.url}/authorize`, tokenURL: `${provider.url}/token`, userInfoURL: `${provider.url}/userinfo`,
    });
    const patched = await call(server.url, 'PATCH', '/api/collections/users', {
      token: superuserToken, body: { mfa: { enabled: false }, oauth2: { enabled: true, providers: [cfg('oidc'), cfg('google')] } },
    });
    expect(patched.status, patched.text).toBe(200);
  });

  afterAll(async () => {
    await server?.close();
    await provider?.close();
  });

  it('control: a well-formed HS256 token with the right key authenticates', async () => {
    expect(await refresh(await sign(claims()))).toBe(200);
  });

  const forged: Array<[string, () => Promise<string>]> = [
    ['jsonwebtoken CVE-2015-9235: alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['jsonwebtoken CVE-2022-23540: alg NONE (case)', async () => `${b64({ alg: 'NONE' })}.${b64(claims())}.`],
    ['jsonwebtoken CVE-2022-23540: alg none with a signature kept', async () => `${b64({ alg: 'none' })}.${b64(claims())}.${userToken.split('.')[2]}`],
    ['jsonwebtoken CVE-2022-23541: RS256 signed by an attacker key', async () => {
      const { privateKey } = await generateKeyPair('RS256');
      return new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    }],
    ['fast-jwt CVE-2023-48223: HS256 keyed with a public key PEM', async () => {
      const { publicKey } = await generateKeyPair('RS256');
      return sign(claims(), 'HS256', new TextEncoder().encode(await exportSPKI(publicKey)));
    }],
    ['node-jose CVE-2018-0114: an embedded jwk header', async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      return new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(publicKey) }).sign(privateKey);
    }],
    ['API2:2023 HS512 with the right key (algorithm not pinned)', () => sign(claims(), 'HS512')],
    ['API2:2023 kid header path injection', async () => hmacToken(claims(), '', { alg: 'HS256', kid: '../../../../dev/null' })],
    ['API2:2023 signed with the collection secret alone (no tokenKey)', () => sign(claims(), 'HS256', new TextEncoder().encode(secret))],
    ['API2:2023 signed with an empty key', async () => hmacToken(claims(), '')],
    ['API2:2023 expired one second ago', () => sign(claims({ exp: Math.floor(Date.now() / 1000) - 1 }))],
    ['API2:2023 exp as a string', () => sign(claims({ exp: '9999999999' }))],
    ['API2:2023 no exp claim', () => sign({ id: USER_ID, type: 'auth', collectionId: USERS_ID })],
    ['API2:2023 nbf in the future is not a way around exp', () => sign(claims({ exp: Math.floor(Date.now() / 1000) - 5, nbf: soon() }))],
    ['API2:2023 wrong type (file token used as auth)', () => sign(claims({ type: 'file' }))],
    ['API2:2023 wrong type (verification token used as auth)', () => sign(claims({ type: 'verification', email: 'test@example.com' }))],
    ['API2:2023 wrong type (password reset token used as auth)', () => sign(claims({ type: 'passwordReset', email: 'test@example.com' }))],
    ['API2:2023 wrong collection claim (clients) with the users key', () => sign(claims({ collectionId: 'v851q4r790rhknl' }))],
    ['API2:2023 collection by name instead of id', () => sign(claims({ collectionId: 'users' }))],
    ['API2:2023 id of another user with this user\'s key', () => sign(claims({ id: 'oap640cot4yru2s' }))],
    ['API2:2023 payload swapped under a valid signature', async () => {
      const [h, , s] = userToken.split('.');
      return `${h}.${b64({ ...claims(), id: 'oap640cot4yru2s' })}.${s}`;
    }],
    ['API2:2023 id as an array (type confusion)', () => sign(claims({ id: [USER_ID] }))],
    ['API2:2023 a 64 KiB token', async () => `${b64({ alg: 'HS256' })}.${'A'.repeat(65536)}.x`],
  ];

  it.each(forged)('%s makes the caller a guest', async (_source, make) => {
    // 431: the header is over Node's limit, refused before any parsing
    expect([401, 431]).toContain(await refresh(await make()));
  });

  it('API2:2023 a clients token does not authenticate on users, nor a users token on _superusers', async () => {
    expect(await refresh(clientToken, 'users')).toBe(403);
    expect(await refresh(userToken, '_superusers')).toBe(403);
    const asSuperuser = await call(server.url, 'GET', '/api/collections', { token: userToken });
    expect(asSuperuser.status).toBe(403);
  });

  it('OWASP API2:2023 tokens die after a password change (tokenKey rotation)', async () => {
    const victim = await newUser('rotate@example.com');
    const other = await signIn('users', 'rotate@example.com');
    const changed = await call(server.url, 'PATCH', `/api/collections/users/records/${victim.id}`, {
      token: victim.token, body: { oldPassword: PASSWORD, password: 'new-password-1', passwordConfirm: 'new-password-1' },
    });
    expect(changed.status, changed.text).toBe(200);
    expect(await refresh(victim.token)).toBe(401);
    expect(await refresh(other.token)).toBe(401);
    expect((await post('/api/collections/users/auth-with-password', { identity: 'rotate@example.com', password: PASSWORD })).status).toBe(400);
  });

  it('OWASP API2:2023 a password change without oldPassword is refused for the owner', async () => {
    const victim = await newUser('noold@example.com');
    const res = await call(server.url, 'PATCH', `/api/collections/users/records/${victim.id}`, {
      token: victim.token, body: { password: 'hijacked-pass', passwordConfirm: 'hijacked-pass' },
    });
    expect(res.status).toBe(400);
    expect((await post('/api/collections/users/auth-with-password', { identity: 'noold@example.com', password: 'hijacked-pass' })).status).toBe(400);
  });

  it('OWASP API2:2023 tokens die after a password reset, and a reset token works once', async () => {
    const victim = await newUser('reset@example.com');
    const users = server.app.schema.find('users')!;
    const record = await server.app.records.findById(users, victim.id);
    const resetKey = new TextEncoder().encode(String(record?.tokenKey) + (users.options.passwordResetToken as { secret: string }).secret);
    const resetToken = await new SignJWT({ id: victim.id, type: 'passwordReset', collectionId: USERS_ID, email: 'reset@example.com', exp: soon() })
      .setProtectedHeader({ alg: 'HS256' }).sign(resetKey);
    const confirm = () => post('/api/collections/users/confirm-password-reset', { token: resetToken, password: 'after-reset-1', passwordConfirm: 'after-reset-1' });
    expect((await confirm()).status).toBe(204);
    expect(await refresh(victim.token)).toBe(401);
    expect((await confirm()).status).toBe(400);
  });

  it('OWASP API2:2023 a deleted account\'s token authenticates nobody', async () => {
    const victim = await newUser('deleted@example.com');
    expect((await call(server.url, 'DELETE', `/api/collections/users/records/${victim.id}`, { token: victim.token })).status).toBe(204);
    expect(await refresh(victim.token)).toBe(401);
  });

  it('PocketBase CVE-2024-38351: OAuth2 sign-in of the owner revokes a pre-hijacked (unverified) account', async () => {
    const planted = await newUser('prehijack@example.com');
    const code = provider.issueCode({ sub: 'owner-1', email: 'prehijack@example.com', verified_email: true, name: 'Owner' });
    const res = await post('/api/collections/users/auth-with-oauth2', { provider: 'google', code, redirectURL: REDIRECT });
    expect(res.status, res.text).toBe(200);
    expect(await refresh(planted.token)).toBe(401);
    expect((await post('/api/collections/users/auth-with-password', { identity: 'prehijack@example.com', password: PASSWORD })).status).toBe(400);
  });

  it('PocketBase CVE-2024-38351: an email the provider did not verify never links an existing account', async () => {
    const code = provider.issueCode({ sub: 'mallory-1', email: 'test2@example.com', email_verified: false });
    const res = await post('/api/collections/users/auth-with-oauth2', { provider: 'oidc', code, redirectURL: REDIRECT });
    expect(res.status).toBeLessThan(500);
    expect((res.json as { record?: { id: string } } | undefined)?.record?.id).not.toBe('oap640cot4yru2s');
  });

  it('OWASP API2:2023 an OAuth2 code replayed is refused', async () => {
    const code = provider.issueCode({ sub: 'replay-1', email: 'replay@example.com', email_verified: true });
    expect((await post('/api/collections/users/auth-with-oauth2', { provider: 'oidc', code, redirectURL: REDIRECT })).status).toBe(200);
    expect((await post('/api/collections/users/auth-with-oauth2', { provider: 'oidc', code, redirectURL: REDIRECT })).status).toBe(400);
  });

  /** [source, path, body for an existing account, body for an unknown one] */
  const enumeration: Array<[string, string, unknown, unknown]> = [
    ['CWE-204 sign-in: wrong password vs unknown identity', '/api/collections/users/auth-with-password',
      { identity: 'test@example.com', password: 'wrong-pass' }, { identity: 'nobody@example.com', password: 'wrong-pass' }],
    ['CWE-204 sign-in on a collection with username identity', '/api/collections/users/auth-with-password',
      { identity: 'test@example.com', password: '' }, { identity: 'nobody@example.com', password: '' }],
    ['CWE-204 request-password-reset', '/api/collections/users/request-password-reset', { email: 'test@example.com' }, { email: 'nobody@example.com' }],
    ['CWE-204 request-verification (unverified vs unknown)', '/api/collections/users/request-verification', { email: 'test@example.com' }, { email: 'nobody@example.com' }],
    ['CWE-204 request-verification (already verified vs unknown)', '/api/collections/users/request-verification', { email: 'test2@example.com' }, { email: 'nobody@example.com' }],
    ['CWE-204 request-email-change needs auth either way', '/api/collections/users/request-email-change', { newEmail: 'test2@example.com' }, { newEmail: 'free@example.com' }],
  ];

  it.each(enumeration)('%s answers alike', async (_source, path, known, unknown) => {
    const a = await post(path, known);
    const b = await post(path, unknown);
    expect(a.status).toBeLessThan(500);
    expect(`${a.status} ${a.text}`).toBe(`${b.status} ${b.text}`);
  });

  it('CWE-204 request-otp answers the same shape for known and unknown addresses', async () => {
    const a = await post('/api/collections/users/request-otp', { email: 'test@example.com' });
    const b = await post('/api/collections/users/request-otp', { email: 'nobody@example.com' });
    expect([a.status, b.status]).toEqual([200, 200]);
    for (const x of [a, b]) expect(x.text).toMatch(/^\{"otpId":"[a-z0-9]{15}"\}$/);
    const wrongA = await post('/api/collections/users/auth-with-otp', { otpId: (a.json as { otpId: string }).otpId, password: '000000' });
    const wrongB = await post('/api/collections/users/auth-with-otp', { otpId: (b.json as { otpId: string }).otpId, password: '000000' });
    expect(`${wrongA.status} ${wrongA.text}`).toBe(`${wrongB.status} ${wrongB.text}`);
  });

  it('CWE-208 sign-in: a known and an unknown identity take similar time (bcrypt always runs)', async () => {
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push((await post('/api/collections/users/auth-with-password', { identity: 'test@example.com', password: 'wrong-pass' })).ms);
      unknown.push((await post('/api/collections/users/auth-with-password', { identity: 'nobody@example.com', password: 'wrong-pass' })).ms);
    }
    const median = (v: number[]) => [...v].sort((x, y) => x - y)[1]!;
    const [k, u] = [median(known), median(unknown)];
    expect(Math.abs(k - u)).toBeLessThan(Math.max(40, Math.max(k, u) * 0.6));
  });
});
