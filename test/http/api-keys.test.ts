/**
 * API keys (a Plinth extension): created by superusers and shown once, stored hashed, scoped to
 * collections and operations, seen by rules as `_apiKeys` callers, revocable and expirable.
 */
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

let server: TestServer;

async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function createKey(body: Record<string, unknown>) {
  const res = await call('POST', '/api/plinth/api-keys', superuserToken, body);
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; key: string };
}

beforeAll(async () => {
  server = await startTestServer({ fixture: true });
  const created = await call('POST', '/api/collections', superuserToken, {
    name: 'server_notes', type: 'base',
    listRule: "@request.auth.collectionName = '_apiKeys'", viewRule: "@request.auth.collectionName = '_apiKeys'",
    createRule: "@request.auth.collectionName = '_apiKeys'",
    fields: [{ type: 'text', name: 'title' }],
  });
  expect(created.status, created.text).toBe(200);
});

afterAll(async () => {
  await server?.close();
});

describe('API keys', () => {
  it('are created by superusers only and shown once', async () => {
    expect((await call('POST', '/api/plinth/api-keys', undefined, { name: 'x', scopes: [] })).status).toBe(401);
    expect((await call('POST', '/api/plinth/api-keys', userToken, { name: 'x', scopes: [] })).status).toBe(403);
    const invalid = await call('POST', '/api/plinth/api-keys', superuserToken, { name: 'x', scopes: [{ collection: 'demo2', actions: ['fly'] }] });
    expect(invalid.status).toBe(400);

    const key = await createKey({ name: 'reporting', scopes: [{ collection: 'demo2', actions: ['list', 'view'] }] });
    expect(key.key).toMatch(/^plk_[a-z0-9]{15}_[A-Za-z0-9_-]{43}$/);
    const list = await call('GET', '/api/plinth/api-keys', superuserToken);
    expect(list.text).toContain('reporting');
    expect(list.text).not.toContain(key.key.slice(20));
    expect(list.text).not.toContain('keyHash');
    // the records API never shows the hash either
    const raw = await call('GET', '/api/collections/_apiKeys/records', superuserToken);
    expect(raw.text).not.toContain('keyHash');
  });

  it('reach only the collections and operations of their scopes, through the SDK', async () => {
    const { key } = await createKey({ name: 'reader', scopes: [{ collection: 'demo2', actions: ['list', 'view'] }] });
    const pb = new PocketBase(server.url);
    pb.authStore.save(key, null);
    const page = await pb.collection('demo2').getList(1, 5);
    expect(page.items.length).toBeGreaterThan(0);
    expect((await call('POST', '/api/collections/demo2/records', key, { title: 'nope' })).status).toBe(403);
    expect((await call('GET', '/api/collections/demo4/records', key)).status).toBe(403);
    expect((await call('GET', '/api/collections', key)).status).toBe(403);
  });

  it('are a distinct kind of caller for rules, and stop working once revoked', async () => {
    const { id, key } = await createKey({ name: 'writer', scopes: [{ collection: 'server_notes', actions: ['list', 'create'] }] });
    expect((await call('POST', '/api/collections/server_notes/records', key, { title: 'from a server' })).status).toBe(200);
    expect((await call('POST', '/api/collections/server_notes/records', userToken, { title: 'from a user' })).status).toBe(400);
    const seen = await call('GET', '/api/collections/server_notes/records', key);
    expect(seen.json?.totalItems).toBe(1);
    expect((await call('GET', '/api/collections/server_notes/records', userToken)).json?.totalItems).toBe(0);

    expect((await call('DELETE', `/api/plinth/api-keys/${id}`, superuserToken)).status).toBe(204);
    expect((await call('GET', '/api/collections/server_notes/records', key)).json?.totalItems).toBe(0);
  });

  it('treat tampered and expired keys as guests', async () => {
    const { key } = await createKey({ name: 'tampered', scopes: [{ collection: 'server_notes', actions: ['list'] }] });
    const tampered = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    expect((await call('GET', '/api/collections/server_notes/records', tampered)).json?.totalItems).toBe(0);

    const expired = await createKey({ name: 'old', expires: '2020-01-01 00:00:00.000Z', scopes: [{ collection: 'server_notes', actions: ['list'] }] });
    expect((await call('GET', '/api/collections/server_notes/records', expired.key)).json?.totalItems).toBe(0);
  });
});
