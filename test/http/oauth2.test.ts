/**
 * OAuth2 sign-in against a real (small) OAuth2 provider on a loopback port: the code exchange
 * with PKCE, sign-up with createData and mapped fields, account linking, the pre-hijack and
 * unverified-email protections, and the all-in-one redirect flow over realtime `@oauth2`.
 */
import PocketBase, { type ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuth2Provider, type TestOAuth2Provider } from '../helpers/oauth2-provider.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';

let server: TestServer;
let provider: TestOAuth2Provider;
const REDIRECT = 'https://app.test/callback';

async function api(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

function providerConfig(name: string) {
  return {
    name, clientId: provider.clientId, clientSecret: provider.clientSecret,
    authURL: `${provider.url}/authorize`, tokenURL: `${provider.url}/token`, userInfoURL: `${provider.url}/userinfo`,
  };
}

async function externalAuths(recordId: string) {
  const list = await api('GET', `/api/collections/_externalAuths/records?filter=${encodeURIComponent(`recordRef='${recordId}'`)}`, undefined, superuserToken);
  return (list.json?.items as Array<Record<string, unknown>>) ?? [];
}

beforeAll(async () => {
  provider = await startOAuth2Provider();
  server = await startTestServer({ fixture: true });
  const patched = await api('PATCH', '/api/collections/users', {
    mfa: { enabled: false },
    oauth2: {
      enabled: true,
      mappedFields: { name: 'name', username: 'username' },
      providers: [providerConfig('github'), providerConfig('google'), providerConfig('oidc')],
    },
  }, superuserToken);
  expect(patched.status, patched.text).toBe(200);
});

afterAll(async () => {
  await server?.close();
  await provider?.close();
});

describe('auth-methods', () => {
  it('lists the configured providers with state, PKCE values and the configured authorization URL', async () => {
    const methods = await new PocketBase(server.url).collection('users').listAuthMethods();
    const github = methods.oauth2.providers.find((p) => p.name === 'github');
    expect(github?.authURL.startsWith(`${provider.url}/authorize?`)).toBe(true);
    expect(github?.state).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(github?.codeVerifier).toHaveLength(43);
    expect(github?.codeChallengeMethod).toBe('S256');
  });
});

describe('auth-with-oauth2 (code exchange)', () => {
  it('signs up a new account with createData and mapped fields, links it, then signs it in again', async () => {
    const pb = new PocketBase(server.url);
    const user = { sub: 'oidc-user-1', name: 'Ada Lovelace', preferred_username: 'ada_l', email: 'ada@example.com', email_verified: true };
    const verifier = 'v'.repeat(43);
    const code = provider.issueCode(user, { codeVerifier: verifier });
    const result = await pb.collection('users').authWithOAuth2Code('oidc', code, verifier, REDIRECT, { emailVisibility: true });
    expect(result.meta?.isNew).toBe(true);
    expect(result.meta?.id).toBe('oidc-user-1');
    expect(result.meta?.accessToken).toMatch(/^[0-9a-f]{32}$/);
    expect(result.record.email).toBe('ada@example.com');
    expect(result.record.name).toBe('Ada Lovelace');
    expect(result.record.username).toBe('ada_l');
    expect(result.record.emailVisibility).toBe(true);
    expect(result.record.verified).toBe(true);
    const links = await externalAuths(result.record.id);
    expect(links.map((l) => [l.provider, l.providerId])).toEqual([['oidc', 'oidc-user-1']]);
    // the PKCE verifier reached the token endpoint
    expect(provider.tokenRequests.at(-1)?.get('code_verifier')).toBe(verifier);

    const again = await pb.collection('users').authWithOAuth2Code('oidc', provider.issueCode(user, { codeVerifier: verifier }), verifier, REDIRECT);
    expect(again.meta?.isNew).toBe(false);
    expect(again.record.id).toBe(result.record.id);
  });

  it('fails with 400 when the provider refuses the code (wrong PKCE verifier)', async () => {
    const code = provider.issueCode({ sub: 'x1', email: 'x1@example.com', email_verified: true }, { codeVerifier: 'a'.repeat(43) });
    const answer = await api('POST', '/api/collections/users/auth-with-oauth2', { provider: 'oidc', code, codeVerifier: 'b'.repeat(43), redirectURL: REDIRECT });
    expect(answer.status).toBe(400);
    expect(answer.json?.message).toBe('Failed to fetch OAuth2 token.');
  });

  it('links GitHub accounts through a verified address from the emails API only', async () => {
    const code = provider.issueCode(
      { id: 4242, login: 'octo', name: 'Octo Cat', email: 'public@example.com' },
      { emails: [{ email: 'unverified@example.com', verified: false, primary: true }, { email: 'octo@example.com', verified: true, primary: false }] },
    );
    const answer = await api('POST', '/api/collections/users/auth-with-oauth2', { provider: 'github', code, redirectURL: REDIRECT });
    expect(answer.status, answer.text).toBe(200);
    expect((answer.json?.record as Record<string, unknown>).email).toBe('octo@example.com');
    expect((answer.json?.meta as Record<string, unknown>).username).toBe('octo');
  });

  it('pre-hijack: an unverified account registered with the victim\'s address loses its planted password when the owner signs in', async () => {
    const pb = new PocketBase(server.url);
    // the attacker registers the victim's address first, with a password they know
    const planted = await pb.collection('users').create({ email: 'victim@example.com', password: 'attacker-pass', passwordConfirm: 'attacker-pass' });
    expect(planted.verified).toBe(false);
    const attacker = new PocketBase(server.url);
    await attacker.collection('users').authWithPassword('victim@example.com', 'attacker-pass');
    const attackerToken = attacker.authStore.token;

    // the owner signs in with a provider that verified the address
    const code = provider.issueCode({ sub: 'google-victim', email: 'victim@example.com', verified_email: true, name: 'Victim' });
    const owner = await new PocketBase(server.url).collection('users').authWithOAuth2Code('google', code, '', REDIRECT);
    expect(owner.record.id).toBe(planted.id);
    expect(owner.record.verified).toBe(true);
    // the planted password no longer works and the attacker's session is revoked
    const err = await attacker.collection('users').authWithPassword('victim@example.com', 'attacker-pass').catch((e: unknown) => e);
    expect((err as ClientResponseError).status).toBe(400);
    expect((await api('POST', '/api/collections/users/auth-refresh', undefined, attackerToken)).status).toBe(401);
  });

  it('never links an existing account through an email the provider did not verify (CVE-2024-38351 class)', async () => {
    // test2@example.com is a fixture account; the provider claims the address without verifying it
    const code = provider.issueCode({ sub: 'mallory', email: 'test2@example.com', email_verified: false, name: 'Mallory' });
    const answer = await api('POST', '/api/collections/users/auth-with-oauth2', { provider: 'oidc', code, redirectURL: REDIRECT });
    const record = answer.json?.record as Record<string, unknown> | undefined;
    expect(record?.id).not.toBe('oap640cot4yru2s');
    expect(await externalAuths('oap640cot4yru2s')).toEqual([]);
  });

  it('links a new provider to the signed-in account', async () => {
    const signedIn = await api('POST', '/api/collections/users/auth-with-password', { identity: 'test3@example.com', password: '1234567890' });
    expect(signedIn.status).toBe(200);
    const code = provider.issueCode({ sub: 'linked-3', email: 'someone-else@example.com', email_verified: true });
    const answer = await api('POST', '/api/collections/users/auth-with-oauth2', { provider: 'oidc', code, redirectURL: REDIRECT }, String(signedIn.json?.token));
    expect((answer.json?.record as Record<string, unknown>).id).toBe('bgs820n361vj1qd');
    expect((await externalAuths('bgs820n361vj1qd')).some((l) => l.providerId === 'linked-3')).toBe(true);
  });
});

describe('the all-in-one redirect flow over realtime @oauth2', () => {
  it('delivers the code to the subscribed realtime client, which then completes the sign-in', async () => {
    const controller = new AbortController();
    const sse = await fetch(`${server.url}/api/realtime`, { signal: controller.signal });
    const reader = sse.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextEvent = async (name: string): Promise<string> => {
      for (;;) {
        const match = new RegExp(`event:${name}\\ndata:(.*)\\n`).exec(buffer);
        if (match) {
          buffer = buffer.slice((match.index ?? 0) + match[0].length);
          return match[1] ?? '';
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true }).replace(/\r/g, '');
      }
    };
    try {
      const { clientId } = JSON.parse(await nextEvent('PB_CONNECT')) as { clientId: string };
      expect((await api('POST', '/api/realtime', { clientId, subscriptions: ['@oauth2'] })).status).toBe(204);

      // what the SDK does: auth-methods, then the browser follows authURL with state = clientId
      const methods = await new PocketBase(server.url).collection('users').listAuthMethods();
      const github = methods.oauth2.providers.find((p) => p.name === 'github')!;
      const redirectURL = `${server.url}/api/oauth2-redirect`;
      const authURL = new URL(github.authURL + encodeURIComponent(redirectURL));
      authURL.searchParams.set('state', clientId);
      provider.nextUser = { id: 777, login: 'redirected', name: 'Redirected User' };
      provider.nextEmails = [{ email: 'redirected@example.com', verified: true, primary: true }];
      const browser = await fetch(authURL, { redirect: 'follow' });
      expect(browser.status).toBe(200);
      expect(await browser.text()).toContain('Auth completed');

      const delivered = JSON.parse(await nextEvent('@oauth2')) as { state: string; code: string };
      expect(delivered.state).toBe(clientId);
      const result = await new PocketBase(server.url).collection('users')
        .authWithOAuth2Code('github', delivered.code, github.codeVerifier, redirectURL);
      expect(result.record.email).toBe('redirected@example.com');
    } finally {
      controller.abort();
    }
  });

  it('shows the failure page for a state no realtime client waits on', async () => {
    const res = await fetch(`${server.url}/api/oauth2-redirect?state=unknown&code=abc`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Failed to authenticate');
  });
});
