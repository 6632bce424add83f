/**
 * Outbound webhooks through a real server and a real receiver on 127.0.0.1 (allowed by the
 * settings' allow-list here; the default refusal is in webhooks-ssrf.test.ts). Signatures are
 * checked with the `standardwebhooks` package, as a receiver would.
 */
import { Webhook } from 'standardwebhooks';
import type { DeliveryJson } from '../../src/core/webhooks/webhook-model.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken } from '../helpers/tokens.js';
import { startReceiver, type ReceivedWebhook, type WebhookReceiver } from '../helpers/webhook-receiver.js';

let server: TestServer;
let receiver: WebhookReceiver;

async function call(method: string, path: string, body?: unknown, token: string | undefined = superuserToken) {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, json: (text ? JSON.parse(text) : null) as Record<string, unknown> };
}

async function createWebhook(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await call('POST', '/api/webhooks', body);
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; secret: string };
}

/** Polls the delivery log until `check` passes. */
async function deliveriesOf(webhookId: string, check: (items: DeliveryJson[]) => boolean, timeoutMs = 10_000): Promise<DeliveryJson[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `/api/webhooks/${webhookId}/deliveries?perPage=100`);
    expect(res.status, res.text).toBe(200);
    const items = res.json.items as DeliveryJson[];
    if (check(items)) return items;
    if (Date.now() > deadline) throw new Error(`delivery log never matched: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const forHook = (secretPath: string) => (r: ReceivedWebhook) => r.path === secretPath;
/** The body a receiver gets. */
interface Payload {
  type: string;
  timestamp: string;
  data: { action: string; collection: { id: string; name: string }; record: Record<string, unknown> };
}

const headersOf = (r: ReceivedWebhook) => ({
  'webhook-id': String(r.headers['webhook-id']),
  'webhook-timestamp': String(r.headers['webhook-timestamp']),
  'webhook-signature': String(r.headers['webhook-signature']),
});

beforeAll(async () => {
  server = await startTestServer({
    fixture: true,
    webhooks: { pollIntervalMs: 50, timeoutMs: 2000, leaseMs: 5000, refreshMs: 200, retry: { maxAttempts: 4, baseDelayMs: 60, maxDelayMs: 400 } },
  });
  receiver = await startReceiver();
  const settings = await call('PATCH', '/api/settings', { webhooks: { allowedHosts: ['127.0.0.1'] } });
  expect(settings.status, settings.text).toBe(200);
  const created = await call('POST', '/api/collections', {
    name: 'wh_posts', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
    fields: [{ type: 'text', name: 'title', required: true }, { type: 'text', name: 'note', hidden: true }],
  });
  expect(created.status, created.text).toBe(200);
});

afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

describe('webhooks: delivery', () => {
  it('delivers create, update and delete, signed per Standard Webhooks, without hidden fields', async () => {
    const hook = await createWebhook({ name: 'posts', url: `${receiver.url}/crud`, collection: 'wh_posts', events: ['create', 'update', 'delete'] });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const record = await call('POST', '/api/collections/wh_posts/records', { title: 'hello', note: 'for superusers only' });
    expect(record.status, record.text).toBe(200);
    const id = record.json.id as string;
    expect((await call('PATCH', `/api/collections/wh_posts/records/${id}`, { title: 'changed' })).status).toBe(200);
    expect((await call('DELETE', `/api/collections/wh_posts/records/${id}`)).status).toBe(204);

    const got = await receiver.waitFor(3, forHook('/crud'));
    const wh = new Webhook(hook.secret);
    const payloads = got.map((r) => wh.verify(r.body, headersOf(r)) as Payload);
    expect(payloads.map((p) => p.type).sort()).toEqual(['record.created', 'record.deleted', 'record.updated']);
    for (const p of payloads) {
      expect(p.data.collection.name).toBe('wh_posts');
      expect(p.data.record.id).toBe(id);
      expect(p.data.record).not.toHaveProperty('note');
      expect(Date.parse(p.timestamp)).toBeGreaterThan(0);
    }
    expect(payloads.find((p) => p.type === 'record.updated')?.data.record.title).toBe('changed');
    expect(got[0]?.headers['content-type']).toBe('application/json');

    // a receiver rejects a tampered body, signature or timestamp
    const first = got[0] as ReceivedWebhook;
    expect(() => wh.verify(first.body.replace('wh_posts', 'wh_postz'), headersOf(first))).toThrow();
    const sig = headersOf(first)['webhook-signature'];
    const flipped = sig.slice(0, 5) + (sig[5] === 'A' ? 'B' : 'A') + sig.slice(6);
    expect(() => wh.verify(first.body, { ...headersOf(first), 'webhook-signature': flipped })).toThrow();
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(first.body, headersOf(first))).toThrow();

    const log = await deliveriesOf(hook.id, (items) => items.length === 3 && items.every((d) => d.status === 'delivered'));
    for (const d of log) {
      expect(d.attempts).toBe(1);
      expect(d.lastStatus).toBe(204);
      expect(d.lastDurationMs).toBeGreaterThanOrEqual(0);
      expect(d.deliveredAt).not.toBe('');
    }
  });

  it('sends an auth record without password or tokenKey, with its email', async () => {
    const hook = await createWebhook({ url: `${receiver.url}/users`, collection: 'users', events: ['create'] });
    const res = await call('POST', '/api/collections/users/records', { email: 'hook@example.com', password: '1234567890', passwordConfirm: '1234567890' });
    expect(res.status, res.text).toBe(200);
    const [got] = await receiver.waitFor(1, forHook('/users'));
    const payload = new Webhook(hook.secret).verify(got!.body, headersOf(got!)) as Payload;
    expect(payload.data.record.email).toBe('hook@example.com');
    expect(got!.body).not.toContain('tokenKey');
    expect(got!.body).not.toContain('"password"');
    expect(got!.body).not.toContain('$2');
  });

  it('retries after 500s with growing gaps and the same webhook-id, then logs the success', async () => {
    let flakyCalls = 0;
    receiver.respond((r) => (r.path === '/flaky' && ++flakyCalls <= 2 ? { status: 500 } : { status: 204 }));
    const hook = await createWebhook({ url: `${receiver.url}/flaky`, collection: 'wh_posts', events: ['create'] });
    expect((await call('POST', '/api/collections/wh_posts/records', { title: 'flaky' })).status).toBe(200);
    const got = await receiver.waitFor(3, forHook('/flaky'));
    expect(new Set(got.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const gap1 = got[1]!.at - got[0]!.at;
    const gap2 = got[2]!.at - got[1]!.at;
    expect(gap1).toBeGreaterThanOrEqual(50);
    expect(gap2).toBeGreaterThanOrEqual(110);
    const [log] = await deliveriesOf(hook.id, (items) => items[0]?.status === 'delivered');
    expect(log).toMatchObject({ status: 'delivered', attempts: 3, lastStatus: 204, lastError: '' });
    expect(log!.id).toBe(got[0]!.headers['webhook-id']);
    receiver.respond(() => ({ status: 204 }));
  });

  it('loses nothing while the receiver is down, and delivers once it is back', async () => {
    const later = await startReceiver();
    const port = later.port;
    await later.close();
    const hook = await createWebhook({ url: `http://127.0.0.1:${port}/back`, collection: 'wh_posts', events: ['create'] });
    expect((await call('POST', '/api/collections/wh_posts/records', { title: 'while down' })).status).toBe(200);
    const [pending] = await deliveriesOf(hook.id, (items) => (items[0]?.attempts ?? 0) >= 1 && items[0]?.status === 'pending');
    expect(pending!.lastStatus).toBe(0);
    expect(pending!.lastError).toMatch(/ECONNREFUSED|connect/i);
    const up = await startReceiver(port);
    try {
      const [got] = await up.waitFor(1);
      expect(got!.headers['webhook-id']).toBe(pending!.id);
      await deliveriesOf(hook.id, (items) => items[0]?.status === 'delivered');
    } finally {
      await up.close();
    }
  });

  it('gives up after the retry limit, and a replay sends the same message again', async () => {
    let failing = true;
    receiver.respond((r) => (r.path === '/limit' && failing ? { status: 503 } : { status: 204 }));
    const hook = await createWebhook({ url: `${receiver.url}/limit`, collection: 'wh_posts', events: ['create'] });
    expect((await call('POST', '/api/collections/wh_posts/records', { title: 'doomed' })).status).toBe(200);
    const [failed] = await deliveriesOf(hook.id, (items) => items[0]?.status === 'failed');
    expect(failed).toMatchObject({ attempts: 4, lastStatus: 503 });
    expect(failed!.lastError).toContain('503');
    expect(receiver.received.filter(forHook('/limit'))).toHaveLength(4);

    failing = false;
    const replay = await call('POST', `/api/webhooks/deliveries/${failed!.id}/replay`);
    expect(replay.status, replay.text).toBe(200);
    const got = await receiver.waitFor(5, forHook('/limit'));
    expect(got[4]!.headers['webhook-id']).toBe(failed!.id);
    expect(got[4]!.body).toBe(got[0]!.body);
    const [done] = await deliveriesOf(hook.id, (items) => items[0]?.status === 'delivered');
    expect(done).toMatchObject({ attempts: 1, lastStatus: 204 });
    receiver.respond(() => ({ status: 204 }));
  });

  it('rotates the secret: both sign during the grace period, then only the new one', async () => {
    const hook = await createWebhook({ url: `${receiver.url}/rotate`, collection: 'wh_posts', events: ['create'] });
    const rotated = await call('POST', `/api/webhooks/${hook.id}/rotate-secret`, { graceSeconds: 3600 });
    expect(rotated.status, rotated.text).toBe(200);
    const fresh = rotated.json.secret as string;
    expect(fresh).not.toBe(hook.secret);
    expect(rotated.json.rotating).toBe(true);
    expect((await call('POST', '/api/collections/wh_posts/records', { title: 'rotating' })).status).toBe(200);
    const [during] = await receiver.waitFor(1, forHook('/rotate'));
    expect(String(during!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(() => new Webhook(hook.secret).verify(during!.body, headersOf(during!))).not.toThrow();
    expect(() => new Webhook(fresh).verify(during!.body, headersOf(during!))).not.toThrow();

    const again = await call('POST', `/api/webhooks/${hook.id}/rotate-secret`, { graceSeconds: 0 });
    // graceSeconds 0 drops `fresh` at once; the first secret keeps its hour from the first rotation
    expect(again.json.rotating).toBe(true);
    const newest = again.json.secret as string;
    expect((await call('POST', '/api/collections/wh_posts/records', { title: 'rotated' })).status).toBe(200);
    const [, after] = await receiver.waitFor(2, forHook('/rotate'));
    expect(() => new Webhook(newest).verify(after!.body, headersOf(after!))).not.toThrow();
    expect(() => new Webhook(fresh).verify(after!.body, headersOf(after!))).toThrow();
    expect(() => new Webhook(hook.secret).verify(after!.body, headersOf(after!))).not.toThrow();
  });

  it('writes the outbox row in the record write\'s transaction: a rolled-back batch leaves none', async () => {
    expect((await call('PATCH', '/api/settings', { batch: { enabled: true, maxRequests: 50, timeout: 3 } })).status).toBe(200);
    const hook = await createWebhook({ url: `${receiver.url}/tx`, collection: 'wh_posts', events: ['create'] });
    const batch = await call('POST', '/api/batch', {
      requests: [
        { method: 'POST', url: '/api/collections/wh_posts/records', body: { id: 'whtxrollback001', title: 'rolled back' } },
        { method: 'POST', url: '/api/collections/wh_posts/records', body: { title: '' } },
      ],
    });
    expect(batch.status, batch.text).toBe(400);
    const ok = await call('POST', '/api/batch', { requests: [{ method: 'POST', url: '/api/collections/wh_posts/records', body: { id: 'whtxcommitted01', title: 'kept' } }] });
    expect(ok.status, ok.text).toBe(200);
    const [got] = await receiver.waitFor(1, forHook('/tx'));
    expect(got!.body).toContain('whtxcommitted01');
    const db = await server.openDb();
    try {
      const q = (n: string) => db.dialect.quote(n);
      const rows = await db.all<{ recordId: string }>(`SELECT ${q('recordId')} AS ${q('recordId')} FROM ${q('_webhookDeliveries')} WHERE ${q('webhookId')} = ?`, [hook.id]);
      expect(rows.map((r) => r.recordId)).toEqual(['whtxcommitted01']);
    } finally {
      await db.close();
    }
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.received.filter(forHook('/tx'))).toHaveLength(1);
  });

  it('reports the records a cascade deletes, and nothing for a disabled webhook', async () => {
    const posts = await call('GET', '/api/collections/wh_posts');
    const comments = await call('POST', '/api/collections', {
      name: 'wh_comments', type: 'base',
      fields: [{ type: 'text', name: 'body' }, { type: 'relation', name: 'post', collectionId: posts.json.id, cascadeDelete: true, maxSelect: 1 }],
    });
    expect(comments.status, comments.text).toBe(200);
    const cascade = await createWebhook({ url: `${receiver.url}/cascade`, collection: 'wh_comments', events: ['delete'] });
    const off = await createWebhook({ url: `${receiver.url}/off`, collection: 'wh_posts', events: ['delete'], enabled: false });
    const post = await call('POST', '/api/collections/wh_posts/records', { title: 'with comments' });
    const comment = await call('POST', '/api/collections/wh_comments/records', { body: 'first', post: post.json.id });
    expect(comment.status, comment.text).toBe(200);
    expect((await call('DELETE', `/api/collections/wh_posts/records/${post.json.id}`)).status).toBe(204);
    const [got] = await receiver.waitFor(1, forHook('/cascade'));
    const payload = new Webhook(cascade.secret).verify(got!.body, headersOf(got!)) as Payload;
    expect(payload).toMatchObject({ type: 'record.deleted', data: { record: { id: comment.json.id, body: 'first' } } });
    expect((await call('GET', `/api/webhooks/${off.id}/deliveries`)).json.totalItems).toBe(0);
    expect(receiver.received.filter(forHook('/off'))).toHaveLength(0);
  });

  it('redirects are followed only to allowed addresses', async () => {
    const target = await startReceiver();
    try {
      receiver.respond((r) => (r.path === '/hop' ? { status: 307, headers: { location: `${target.url}/landed` } }
        : r.path === '/to-loopback' ? { status: 307, headers: { location: `http://127.0.0.2:${target.port}/nope` } } : { status: 204 }));
      const good = await createWebhook({ url: `${receiver.url}/hop`, collection: 'wh_posts', events: ['update'] });
      const bad = await createWebhook({ url: `${receiver.url}/to-loopback`, collection: 'wh_posts', events: ['update'] });
      const rec = await call('POST', '/api/collections/wh_posts/records', { title: 'redirects' });
      expect((await call('PATCH', `/api/collections/wh_posts/records/${rec.json.id}`, { title: 'moved' })).status).toBe(200);
      const [landed] = await target.waitFor(1);
      expect(landed!.path).toBe('/landed');
      await deliveriesOf(good.id, (items) => items[0]?.status === 'delivered');
      const [refused] = await deliveriesOf(bad.id, (items) => (items[0]?.attempts ?? 0) >= 1 && (items[0]?.lastError ?? '') !== '');
      expect(refused!.lastError).toMatch(/127\.0\.0\.2.*loopback/);
      expect(target.received.filter((r) => r.path === '/nope')).toHaveLength(0);
      await call('DELETE', `/api/webhooks/${bad.id}`);
    } finally {
      receiver.respond(() => ({ status: 204 }));
      await target.close();
    }
  });
});
