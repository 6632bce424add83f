/**
 * The webhooks API's access and input checks (scenario tables: every bad input is a 400 with field
 * errors in PocketBase's envelope), and the SSRF guard with the default settings: no allow-list, so
 * loopback, private, link-local and metadata addresses are refused before any connection is made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';
import { startReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

let server: TestServer;
let receiver: WebhookReceiver;
let hookId: string;

async function call(method: string, path: string, body?: unknown, token: string | undefined = superuserToken, raw?: string) {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await res.text();
  return { status: res.status, text, json: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

beforeAll(async () => {
  server = await startTestServer({
    fixture: true,
    webhooks: { pollIntervalMs: 50, refreshMs: 200, retry: { maxAttempts: 1, baseDelayMs: 50, maxDelayMs: 50 } },
  });
  receiver = await startReceiver();
  const created = await call('POST', '/api/webhooks', { url: 'https://hooks.example.com/in', collection: 'demo2', events: ['create'] });
  expect(created.status, created.text).toBe(200);
  hookId = created.json.id as string;
});

afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

const VALID = { url: 'https://hooks.example.com/x', collection: 'demo2', events: ['create'] };

describe('webhooks API: access', () => {
  it.each([
    ['GET', '/api/webhooks'],
    ['POST', '/api/webhooks'],
    ['GET', '/api/webhooks/HOOK'],
    ['PATCH', '/api/webhooks/HOOK'],
    ['DELETE', '/api/webhooks/HOOK'],
    ['POST', '/api/webhooks/HOOK/rotate-secret'],
    ['GET', '/api/webhooks/HOOK/deliveries'],
    ['POST', '/api/webhooks/deliveries/msg_x/replay'],
  ])('%s %s is for superusers only (401 guest, 403 user)', async (method, path) => {
    const url = path.replace('HOOK', hookId);
    const body = method === 'GET' || method === 'DELETE' ? undefined : VALID;
    const guest = await call(method, url, body, '');
    expect(guest.status).toBe(401);
    expect(guest.json).toMatchObject({ status: 401, data: {} });
    const user = await call(method, url, body, userToken);
    expect(user.status).toBe(403);
    expect(user.json).toMatchObject({ status: 403 });
  });

  it('lists and shows webhooks without their secrets', async () => {
    const list = await call('GET', '/api/webhooks');
    expect(list.status).toBe(200);
    expect((list.json.items as Array<{ id: string }>).find((h) => h.id === hookId)).toMatchObject({ collectionName: 'demo2', events: ['create'], enabled: true });
    expect(list.text).not.toContain('whsec_');
    expect((await call('GET', `/api/webhooks/${hookId}`)).text).not.toContain('whsec_');
  });
});

describe('webhooks API: bad input is a 400 with field errors', () => {
  const cases: Array<[string, string, string, unknown, string, string]> = [
    ['create without url', 'POST', '/api/webhooks', { ...VALID, url: undefined }, 'url', 'validation_required'],
    ['create with an ftp url', 'POST', '/api/webhooks', { ...VALID, url: 'ftp://example.com/' }, 'url', 'validation_is_url'],
    ['create with a non-url', 'POST', '/api/webhooks', { ...VALID, url: 'not a url' }, 'url', 'validation_is_url'],
    ['create with a numeric url', 'POST', '/api/webhooks', { ...VALID, url: 42 }, 'url', 'validation_is_url'],
    ['create with credentials in the url', 'POST', '/api/webhooks', { ...VALID, url: 'https://u:p@example.com/' }, 'url', 'validation_is_url'],
    ['create without collection', 'POST', '/api/webhooks', { ...VALID, collection: '' }, 'collection', 'validation_required'],
    ['create for a missing collection', 'POST', '/api/webhooks', { ...VALID, collection: 'nope' }, 'collection', 'validation_missing_collection'],
    ['create for a view collection', 'POST', '/api/webhooks', { ...VALID, collection: 'view1' }, 'collection', 'validation_view_collection'],
    ['create with no events', 'POST', '/api/webhooks', { ...VALID, events: [] }, 'events', 'validation_required'],
    ['create with an unknown event', 'POST', '/api/webhooks', { ...VALID, events: ['create', 'explode'] }, 'events', 'validation_invalid_event'],
    ['create with events as text', 'POST', '/api/webhooks', { ...VALID, events: 'create' }, 'events', 'validation_invalid_event'],
    ['create with enabled as text', 'POST', '/api/webhooks', { ...VALID, enabled: 'yes' }, 'enabled', 'validation_invalid_bool'],
    ['create with a bad secret', 'POST', '/api/webhooks', { ...VALID, secret: 'hunter2' }, 'secret', 'validation_invalid_secret'],
    ['create with a short secret', 'POST', '/api/webhooks', { ...VALID, secret: `whsec_${Buffer.alloc(8).toString('base64')}` }, 'secret', 'validation_invalid_secret'],
    ['create with a long name', 'POST', '/api/webhooks', { ...VALID, name: 'x'.repeat(256) }, 'name', 'validation_length_out_of_range'],
    ['update with a bad url', 'PATCH', '/api/webhooks/HOOK', { url: 'javascript:alert(1)' }, 'url', 'validation_is_url'],
    ['update with a secret', 'PATCH', '/api/webhooks/HOOK', { secret: `whsec_${Buffer.alloc(32).toString('base64')}` }, 'secret', 'validation_secret_rotation'],
    ['rotate with a negative grace', 'POST', '/api/webhooks/HOOK/rotate-secret', { graceSeconds: -1 }, 'graceSeconds', 'validation_invalid_grace'],
    ['rotate with a text grace', 'POST', '/api/webhooks/HOOK/rotate-secret', { graceSeconds: '10' }, 'graceSeconds', 'validation_invalid_grace'],
    ['rotate to a bad secret', 'POST', '/api/webhooks/HOOK/rotate-secret', { secret: 'whsec_!!' }, 'secret', 'validation_invalid_secret'],
    ['deliveries page 0', 'GET', '/api/webhooks/HOOK/deliveries?page=0', undefined, 'page', 'validation_min_greater_equal_than_required'],
    ['deliveries perPage abc', 'GET', '/api/webhooks/HOOK/deliveries?perPage=abc', undefined, 'perPage', 'validation_min_greater_equal_than_required'],
    ['deliveries of a bad status', 'GET', '/api/webhooks/HOOK/deliveries?status=lost', undefined, 'status', 'validation_in_invalid'],
  ];
  it.each(cases)('%s', async (_name, method, path, body, field, code) => {
    const res = await call(method, path.replace('HOOK', hookId), body);
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({ status: 400, data: { [field]: { code } } });
    expect(typeof res.json.message).toBe('string');
  });

  it('a malformed JSON body is a 400', async () => {
    const res = await call('POST', '/api/webhooks', undefined, superuserToken, '{"url":');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: 400 });
  });

  it('a bad allow-list in the settings is a 400', async () => {
    const res = await call('PATCH', '/api/settings', { webhooks: { allowedHosts: ['127.0.0.1', 'not a host!', '10.0.0.0/99'] } });
    expect(res.status, res.text).toBe(400);
    expect((res.json.data as { webhooks: { allowedHosts: unknown } }).webhooks.allowedHosts).toMatchObject({ 1: { code: 'validation_invalid_host' }, 2: { code: 'validation_invalid_host' } });
  });

  it.each([
    ['GET', '/api/webhooks/nope'],
    ['PATCH', '/api/webhooks/nope'],
    ['DELETE', '/api/webhooks/nope'],
    ['GET', '/api/webhooks/nope/deliveries'],
    ['GET', '/api/webhooks/deliveries/msg_nope'],
    ['POST', '/api/webhooks/deliveries/msg_nope/replay'],
  ])('%s %s of an unknown id is a 404', async (method, path) => {
    const res = await call(method, path, method === 'PATCH' ? { name: 'x' } : undefined);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ status: 404 });
  });

  it('updates and deletes a webhook', async () => {
    const created = await call('POST', '/api/webhooks', { ...VALID, name: 'temp' });
    const id = created.json.id as string;
    const updated = await call('PATCH', `/api/webhooks/${id}`, { name: 'renamed', events: ['delete', 'create'], enabled: false });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toMatchObject({ name: 'renamed', events: ['create', 'delete'], enabled: false, url: VALID.url });
    expect((await call('DELETE', `/api/webhooks/${id}`)).status).toBe(204);
    expect((await call('GET', `/api/webhooks/${id}`)).status).toBe(404);
  });
});

describe('webhooks: the SSRF guard with the default settings', () => {
  it.each([
    ['loopback', (port: number) => `http://127.0.0.1:${port}/x`, /127\.0\.0\.1 \(loopback\)/],
    ['localhost by name', (port: number) => `http://localhost:${port}/x`, /localhost resolves to .*loopback/],
    ['IPv4-mapped IPv6 loopback', (port: number) => `http://[::ffff:127.0.0.1]:${port}/x`, /127\.0\.0\.1 \(loopback\)/],
    ['IPv6 loopback', (port: number) => `http://[::1]:${port}/x`, /loopback/],
    ['the unspecified address', (port: number) => `http://0.0.0.0:${port}/x`, /unspecified/],
    ['a private address', () => 'http://10.1.2.3/x', /10\.1\.2\.3 \(private\)/],
    ['a 192.168 address', () => 'http://192.168.1.1/x', /private/],
    ['a unique-local IPv6 address', () => 'http://[fd00::1]/x', /uniqueLocal/],
    ['the cloud metadata address', () => 'http://169.254.169.254/latest/meta-data', /linkLocal/],
    ['a link-local IPv6 address', () => 'http://[fe80::1]/x', /linkLocal/],
  ])('refuses %s', async (_name, url, message) => {
    const path = `/ssrf-${Math.random().toString(36).slice(2)}`;
    const created = await call('POST', '/api/webhooks', { url: url(receiver.port) + path, collection: 'demo2', events: ['update'] });
    expect(created.status, created.text).toBe(200);
    const id = created.json.id as string;
    try {
      const rec = await call('POST', '/api/collections/demo2/records', { title: `ssrf ${path}` });
      expect(rec.status, rec.text).toBe(200);
      expect((await call('PATCH', `/api/collections/demo2/records/${rec.json.id}`, { title: `ssrf! ${path}` })).status).toBe(200);
      const deadline = Date.now() + 5000;
      let delivery: Record<string, unknown> | undefined;
      while (Date.now() < deadline) {
        delivery = ((await call('GET', `/api/webhooks/${id}/deliveries`)).json.items as Array<Record<string, unknown>>)[0];
        if (delivery?.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      expect(delivery).toMatchObject({ status: 'failed', lastStatus: 0 });
      expect(String(delivery!.lastError)).toMatch(message);
      expect(receiver.received.filter((r) => r.path === path)).toHaveLength(0);
    } finally {
      await call('DELETE', `/api/webhooks/${id}`);
    }
  });
});
