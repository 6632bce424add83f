/**
 * The mail flows end to end: Plinth sends through a real SMTP server on a loopback port (PATCH
 * /api/settings turns SMTP on) and the tests read the mails, follow the tokens through the SDK.
 */
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailServer, tokenInMail, type TestMailServer } from '../helpers/mail-server.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

let server: TestServer;
let smtp: TestMailServer;

async function api(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  const res = await fetch(server.url + path, {
    method: init.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: init.token } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function expectStatus(promise: Promise<unknown>, status: number): Promise<void> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ClientResponseError);
  expect((err as ClientResponseError).status).toBe(status);
}

beforeAll(async () => {
  smtp = await startMailServer();
  server = await startTestServer({ fixture: true });
  const patched = await api('/api/settings', {
    method: 'PATCH',
    token: superuserToken,
    body: {
      smtp: { enabled: true, host: '127.0.0.1', port: smtp.port, username: 'mailer', password: 'smtp-secret' },
      meta: { appName: 'Plinth Test', appURL: 'https://app.test', senderName: 'Plinth', senderAddress: 'no-reply@plinth.test' },
    },
  });
  expect(patched.status).toBe(200);
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

describe('settings', () => {
  it('never echoes the SMTP password back', async () => {
    const got = await api('/api/settings', { method: 'GET', token: superuserToken });
    expect(got.status).toBe(200);
    expect(got.text).not.toContain('smtp-secret');
    expect((got.json?.smtp as Record<string, unknown>).host).toBe('127.0.0.1');
    expect((await api('/api/settings', { method: 'GET', token: userToken })).status).toBe(403);
    expect((await api('/api/settings', { method: 'GET' })).status).toBe(401);
  });
});

describe('verification', () => {
  it('mails a link whose token verifies the account, with the template placeholders resolved', async () => {
    const pb = new PocketBase(server.url);
    expect(await pb.collection('users').requestVerification('test@example.com')).toBe(true);
    const mail = await smtp.waitFor((m) => m.to.includes('test@example.com') && m.subject.includes('Verify'));
    expect(mail.from).toBe('no-reply@plinth.test');
    expect(mail.subject).toBe('Verify your Plinth Test email');
    expect(mail.body).toContain('https://app.test/_/#/auth/confirm-verification/');
    const token = tokenInMail(mail);

    expect(await pb.collection('users').confirmVerification(token)).toBe(true);
    const user = await new PocketBase(server.url).collection('users').getOne('4q1xlclmfloku33', { headers: { Authorization: superuserToken } });
    expect(user.verified).toBe(true);
  });

  it('answers 204 for unknown and already verified accounts without sending anything', async () => {
    const before = smtp.mails.length;
    expect((await api('/api/collections/users/request-verification', { body: { email: 'nobody@example.com' } })).status).toBe(204);
    expect((await api('/api/collections/users/request-verification', { body: { email: 'test2@example.com' } })).status).toBe(204);
    await server.app.auth.background.idle();
    expect(smtp.mails.length).toBe(before);
  });
});

describe('password reset', () => {
  it('resets the password and revokes every token issued before', async () => {
    const pb = new PocketBase(server.url);
    // the fixture's long-lived token works before the reset
    expect((await api('/api/collections/users/auth-refresh', { token: userToken })).status).toBe(200);

    await pb.collection('users').requestPasswordReset('test@example.com');
    const mail = await smtp.waitFor((m) => m.to.includes('test@example.com') && m.subject.includes('Reset'));
    expect(mail.body).toContain('https://app.test/_/#/auth/confirm-password-reset/');
    const token = tokenInMail(mail);

    await pb.collection('users').confirmPasswordReset(token, 'new-password-1', 'new-password-1');
    // old auth token and the used reset token are both dead now
    expect((await api('/api/collections/users/auth-refresh', { token: userToken })).status).toBe(401);
    await expectStatus(pb.collection('users').confirmPasswordReset(token, 'other-pass-22', 'other-pass-22'), 400);
    // the new password is the one that works (users has MFA on: a correct password asks for the second factor)
    await expectStatus(pb.collection('users').authWithPassword('test@example.com', '1234567890'), 400);
    await expectStatus(pb.collection('users').authWithPassword('test@example.com', 'new-password-1'), 401);
  });

  it('answers the same for unknown accounts, and sends nothing', async () => {
    const before = smtp.mails.length;
    const unknown = await api('/api/collections/users/request-password-reset', { body: { email: 'ghost@example.com' } });
    expect(unknown.status).toBe(204);
    expect(unknown.text).toBe('');
    await server.app.auth.background.idle();
    expect(smtp.mails.length).toBe(before);
  });
});

describe('new-location alert', () => {
  it('records the origin and mails an alert for a sign-in from a new location, once', async () => {
    const signIn = () => fetch(`${server.url}/api/collections/_superusers/auth-with-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'alert-test-agent/1.0' },
      body: JSON.stringify({ identity: 'test@example.com', password: '1234567890' }),
    });
    expect((await signIn()).status).toBe(200);
    const mail = await smtp.waitFor((m) => m.subject === 'Login from a new location' && m.body.includes('alert-test-agent/1.0'));
    expect(mail.to).toEqual(['test@example.com']);
    const count = () => smtp.mails.filter((m) => m.body.includes('alert-test-agent/1.0')).length;
    expect((await signIn()).status).toBe(200);
    await server.app.auth.background.idle();
    expect(count()).toBe(1);
  });
});

describe('email change', () => {
  it('mails the new address and switches after confirmation with the password', async () => {
    const pb = new PocketBase(server.url);
    const signIn = await api('/api/collections/clients/auth-with-password', { body: { identity: 'test@example.com', password: '1234567890' } });
    expect(signIn.status).toBe(200);
    const token = String(signIn.json?.token);
    pb.authStore.save(token, null);
    await pb.collection('clients').requestEmailChange('renamed@example.com');

    const mail = await smtp.waitFor((m) => m.to.includes('renamed@example.com'));
    expect(mail.subject).toBe('Confirm your Plinth Test new email address');
    const changeToken = tokenInMail(mail);
    await expectStatus(pb.collection('clients').confirmEmailChange(changeToken, 'wrong-password'), 400);
    await pb.collection('clients').confirmEmailChange(changeToken, '1234567890');

    // the email change rotated the token key: the session token is revoked, the new email signs in
    expect((await api('/api/collections/clients/auth-refresh', { token })).status).toBe(401);
    const again = await api('/api/collections/clients/auth-with-password', { body: { identity: 'renamed@example.com', password: '1234567890' } });
    expect(again.status).toBe(200);
    expect((again.json?.record as Record<string, unknown>).verified).toBe(true);
  });
});
