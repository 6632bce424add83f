import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

let server: TestServer;

// one dialect per vitest project (see test/helpers/dialect-projects.ts)
const DIALECTS = [projectDialect()];
afterAll(() => closeTestDatabaseAdmins());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.text() };
}

describe.each(DIALECTS)('password sign-in through the pocketbase SDK (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('signs in a client by email and refreshes the token', async () => {
    const pb = new PocketBase(server.url);
    const result = await pb.collection('clients').authWithPassword('test@example.com', '1234567890');
    expect(result.record.id).toBe('gk390qegs4y47wn');
    expect(result.record.email).toBe('test@example.com');
    expect(result.record).not.toHaveProperty('password');
    expect(result.record).not.toHaveProperty('tokenKey');
    expect(pb.authStore.isValid).toBe(true);
    expect(pb.authStore.record?.collectionName).toBe('clients');

    const first = pb.authStore.token;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a new exp second gives a new token
    const refreshed = await pb.collection('clients').authRefresh();
    expect(refreshed.record.id).toBe('gk390qegs4y47wn');
    expect(refreshed.token).not.toBe(first);
    expect(pb.authStore.token).toBe(refreshed.token);
  });

  it('signs in by username', async () => {
    const pb = new PocketBase(server.url);
    const result = await pb.collection('clients').authWithPassword('clients57772', '1234567890');
    expect(result.record.username).toBe('clients57772');
  });

  it('signs in a superuser', async () => {
    const pb = new PocketBase(server.url);
    await pb.collection('_superusers').authWithPassword('test@example.com', '1234567890');
    expect(pb.authStore.isSuperuser).toBe(true);
    const health = await pb.health.check();
    expect(health.data).toHaveProperty('canBackup', true);
  });

  it('asks for a second factor when MFA is enabled (users)', async () => {
    const pb = new PocketBase(server.url);
    const error = await pb.collection('users').authWithPassword('test@example.com', '1234567890').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientResponseError);
    expect((error as ClientResponseError).status).toBe(401);
    const mfaId = (error as ClientResponseError).response.mfaId as string;
    expect(mfaId).toMatch(/^[a-z0-9]{15}$/);
    // the same method again as second factor is refused
    const again = await pb.collection('users').authWithPassword('test@example.com', '1234567890', { mfaId }).catch((e: unknown) => e);
    expect((again as ClientResponseError).status).toBe(400);
    expect((again as ClientResponseError).message).toBe('A different authentication method is required.');
  });

  it('lists auth methods', async () => {
    const pb = new PocketBase(server.url);
    const methods = await pb.collection('users').listAuthMethods();
    expect(methods.password).toEqual({ identityFields: ['email', 'username'], enabled: true });
    expect(methods.mfa).toEqual({ enabled: true, duration: 1800 });
    const names = methods.oauth2.providers.map((p) => p.name).sort();
    expect(names).toEqual(['gitlab', 'google']);
    for (const provider of methods.oauth2.providers) {
      expect(provider.codeChallengeMethod).toBe('S256');
      expect(provider.authURL).toMatch(/&redirect_uri=$/);
      expect(provider.authURL).toContain(`state=${provider.state}`);
    }
    const none = await pb.collection('nologin').listAuthMethods();
    expect(none.password.enabled).toBe(false);
    expect(none.oauth2.providers).toEqual([]);
  });

  it('answers unknown accounts and wrong passwords alike', async () => {
    const url = '/api/collections/clients/auth-with-password';
    const unknown = await post(url, { identity: 'nobody@example.com', password: '1234567890' });
    const wrong = await post(url, { identity: 'test@example.com', password: 'wrong-password' });
    expect(unknown.status).toBe(400);
    expect(wrong).toEqual(unknown);
    expect(JSON.parse(wrong.body)).toEqual({ status: 400, message: 'Failed to authenticate.', data: {} });
  });

  it('makes older tokens guests after a password change', async () => {
    const pb = new PocketBase(server.url);
    await pb.collection('clients').authWithPassword('test@example.com', '1234567890');
    const oldToken = pb.authStore.token;
    const clients = server.app.schema.find('clients');
    if (!clients) throw new Error('clients collection missing');
    await server.app.records.updateSystem(clients, 'gk390qegs4y47wn', { password: 'a-new-password', passwordConfirm: 'a-new-password' });
    const refresh = await post('/api/collections/clients/auth-refresh', {}, { authorization: oldToken });
    expect(refresh.status).toBe(401);
    const relogin = await pb.collection('clients').authWithPassword('test@example.com', 'a-new-password');
    expect(relogin.token).not.toBe(oldToken);
  });

  it('serves the OAuth2 provider presets to superusers only', async () => {
    const get = (auth?: string) => fetch(`${server.url}/api/collections/meta/oauth2-providers`, { headers: auth ? { authorization: auth } : {} });
    expect((await get()).status).toBe(401);
    expect((await get(userToken)).status).toBe(403);
    const res = await get(superuserToken);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('{"name":"oidc3","displayName":"OIDC","logo":"\\u003csvg');
    const list = JSON.parse(text) as Array<{ name: string; logo: string }>;
    expect(list.map((p) => p.name)).toEqual(expect.arrayContaining(['apple', 'discord', 'github', 'gitlab', 'google', 'microsoft', 'oidc']));
    expect(list.every((p) => p.logo.startsWith('<svg'))).toBe(true);
  });
});
