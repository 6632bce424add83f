/**
 * One-time passwords and the MFA two-step flow through the SDK, with the OTP read from a real
 * SMTP server. The fixture's `users` collection has OTP (8 digits, 300 s) and MFA enabled.
 */
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMailServer, type TestMailServer } from '../helpers/mail-server.js';
import { sdkFailure } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

let server: TestServer;
let smtp: TestMailServer;

async function api(path: string, body: unknown, token?: string) {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function requestOtp(email: string): Promise<{ otpId: string; password: string }> {
  const before = smtp.mails.length;
  const { otpId } = await new PocketBase(server.url).collection('users').requestOTP(email);
  const mail = await smtp.waitFor((m) => smtp.mails.indexOf(m) >= before && m.to.includes(email));
  const password = /<strong>(\d+)<\/strong>/.exec(mail.body)?.[1] ?? '';
  expect(password).toMatch(/^\d{8}$/);
  return { otpId, password };
}

beforeAll(async () => {
  smtp = await startMailServer();
  server = await startTestServer({ fixture: true });
  const res = await fetch(`${server.url}/api/settings`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: superuserToken },
    // the auth guard would count this suite's many attempts from one address
    body: JSON.stringify({ smtp: { enabled: true, host: '127.0.0.1', port: smtp.port }, rateLimits: { authGuard: { enabled: false } } }),
  });
  expect(res.status).toBe(200);
});

afterAll(async () => {
  vi.useRealTimers();
  await server?.close();
  await smtp?.close();
});

describe('one-time passwords', () => {
  it('signs in with the mailed OTP as a first factor, then MFA completes with the password', async () => {
    const pb = new PocketBase(server.url);
    const { otpId, password } = await requestOtp('test@example.com');
    const mfa = await sdkFailure(pb.collection('users').authWithOTP(otpId, password));
    expect(mfa.status).toBe(401);
    const mfaId = String(mfa.response.mfaId);
    expect(mfaId).toMatch(/^[a-z0-9]{15}$/);

    // the same method twice is refused; another method completes the sign-in
    const second = await requestOtp('test@example.com');
    expect((await sdkFailure(pb.collection('users').authWithOTP(second.otpId, second.password, { mfaId }))).status).toBe(400);
    const done = await pb.collection('users').authWithPassword('test@example.com', '1234567890', { mfaId });
    expect(done.record.id).toBe('4q1xlclmfloku33');
    expect(pb.authStore.isValid).toBe(true);
    // the OTP went to the account's address: it is verified now
    expect(done.record.verified).toBe(true);
  });

  it('uses an OTP only once', async () => {
    const { otpId, password } = await requestOtp('test@example.com');
    expect((await api('/api/collections/users/auth-with-otp', { otpId, password })).status).toBe(401);
    expect((await api('/api/collections/users/auth-with-otp', { otpId, password })).status).toBe(400);
  });

  it('gives unknown emails a believable otpId that leads nowhere, and sends nothing', async () => {
    const before = smtp.mails.length;
    const answer = await api('/api/collections/users/request-otp', { email: 'nobody@example.com' });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json ?? {})).toEqual(['otpId']);
    expect(String(answer.json?.otpId)).toMatch(/^[a-z0-9]{15}$/);
    expect((await api('/api/collections/users/auth-with-otp', { otpId: answer.json?.otpId, password: '12345678' })).status).toBe(400);
    await server.app.auth.background.idle();
    expect(smtp.mails.length).toBe(before);
  });

  it('rejects an expired OTP', async () => {
    const { otpId, password } = await requestOtp('test2@example.com');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 301_000 });
    try {
      const answer = await api('/api/collections/users/auth-with-otp', { otpId, password });
      expect(answer.status).toBe(400);
      expect(answer.json?.message).toBe('Invalid or expired OTP');
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers 429 after five wrong attempts for the same account', async () => {
    const { otpId, password } = await requestOtp('test2@example.com');
    for (let i = 0; i < 4; i++) {
      expect((await api('/api/collections/users/auth-with-otp', { otpId, password: '00000000' })).status).toBe(400);
    }
    // the fifth attempt in the window is still counted; the sixth is refused even with the right password
    expect((await api('/api/collections/users/auth-with-otp', { otpId, password: '00000001' })).status).toBe(400);
    const blocked = await api('/api/collections/users/auth-with-otp', { otpId, password });
    expect(blocked.status).toBe(429);
  });

  it('answers 403 where OTP is disabled', async () => {
    expect((await api('/api/collections/clients/request-otp', { email: 'test@example.com' })).status).toBe(403);
  });
});

describe('multi-factor', () => {
  it('answers 401 {mfaId} to a correct first factor and rejects an unknown mfaId', async () => {
    const first = await api('/api/collections/users/auth-with-password', { identity: 'test2@example.com', password: '1234567890' });
    expect(first.status).toBe(401);
    expect(Object.keys(first.json ?? {})).toEqual(['mfaId']);
    const bogus = await api('/api/collections/users/auth-with-password?mfaId=nonexistent00000', { identity: 'test2@example.com', password: '1234567890' });
    expect(bogus.status).toBe(400);
  });
});
