/**
 * The SSE wire protocol over raw HTTP: PocketBase's framing and headers, the subscription request
 * scenarios of PocketBase's realtime_test.go against a live client, connection limits,
 * back-pressure and shutdown.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, user2Token, userToken } from '../helpers/tokens.js';

let server: TestServer;

/** One SSE event as parsed from the stream. */
interface SseEvent {
  id: string;
  event: string;
  data: string;
}

/** A raw SSE connection read with node:http (optionally from another local address). */
class SseStream {
  events: SseEvent[] = [];
  ended = false;
  headers: http.IncomingHttpHeaders = {};
  status = 0;
  res: http.IncomingMessage | null = null;
  #buffer = '';
  #req: http.ClientRequest;

  constructor(baseUrl: string, options: { localAddress?: string; paused?: boolean } = {}) {
    this.#req = http.get(`${baseUrl}/api/realtime`, { localAddress: options.localAddress, agent: false }, (res) => {
      this.res = res;
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.#push(chunk));
      res.on('end', () => {
        this.ended = true;
      });
      res.on('close', () => {
        this.ended = true;
      });
      if (options.paused) res.pause();
    });
    this.#req.on('error', () => {
      this.ended = true;
    });
  }

  #push(chunk: string): void {
    this.#buffer += chunk;
    let i: number;
    while ((i = this.#buffer.indexOf('\n\n')) !== -1) {
      const block = this.#buffer.slice(0, i);
      this.#buffer = this.#buffer.slice(i + 2);
      const event: SseEvent = { id: '', event: '', data: '' };
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const key = line.slice(0, colon) as keyof SseEvent;
        if (key in event) event[key] = line.slice(colon + 1);
      }
      this.events.push(event);
    }
  }

  async clientId(): Promise<string> {
    await waitFor(() => this.events.length > 0, 'PB_CONNECT');
    return (JSON.parse(this.events[0]?.data ?? '{}') as { clientId: string }).clientId;
  }

  close(): void {
    this.#req.destroy();
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function subscribe(body: unknown, token?: string, localAddress?: string): Promise<{ status: number; body: string }> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}/api/realtime`, {
      method: 'POST', localAddress, agent: false,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function create(collection: string, data: Record<string, unknown>): Promise<{ id: string }> {
  const res = await fetch(`${server.url}/api/collections/${collection}/records`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: superuserToken }, body: JSON.stringify(data),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string };
}

beforeAll(async () => {
  server = await startTestServer({ fixture: true });
});

afterAll(async () => {
  await server?.close();
});

describe('SSE protocol', () => {
  it('opens with PB_CONNECT; every event carries id:<clientId>; PocketBase headers', async () => {
    const stream = new SseStream(server.url);
    const clientId = await stream.clientId();
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    expect(stream.headers['cache-control']).toBe('no-store');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    expect(stream.headers['access-control-allow-origin']).toBe('*');
    expect(clientId).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(stream.events[0]).toEqual({ id: clientId, event: 'PB_CONNECT', data: `{"clientId":"${clientId}"}` });
    const topic = `demo2/*?options=${encodeURIComponent(JSON.stringify({ query: { fields: 'id,title' } }))}`;
    expect((await subscribe({ clientId, subscriptions: [topic] })).status).toBe(204);
    const rec = await create('demo2', { title: 'sse' });
    await waitFor(() => stream.events.length === 2, 'create event');
    expect(stream.events[1]).toEqual({ id: clientId, event: topic, data: JSON.stringify({ record: { id: rec.id, title: 'sse' }, action: 'create' }) });
    stream.close();
    await waitFor(() => server.app.realtime.client(clientId) === undefined, 'unregister on close');
  });

  describe('POST /api/realtime (PocketBase TestRealtimeSubscribe)', () => {
    const subs = (n: number) => Array.from({ length: n }, (_, i) => String(i));
    const scenarios: Array<{ name: string; body: (id: string) => unknown; token?: string; before?: string; status: number; expect?: string[]; notExpect?: string[]; after?: (id: string) => void }> = [
      { name: 'missing client', body: () => ({ clientId: 'missing', subscriptions: ['test1', 'test2'] }), status: 404, expect: ['"data":{}', 'Missing or invalid client id.'] },
      { name: 'empty data', body: () => ({}), status: 400, expect: ['"clientId":{"code":"validation_required'], notExpect: ['"subscriptions"'] },
      { name: 'invalid subscriptions limit', body: (id) => ({ clientId: id, subscriptions: subs(1001) }), status: 400, expect: ['"subscriptions":{"code":"validation_length_too_long"'] },
      { name: 'valid subscriptions limit', body: (id) => ({ clientId: id, subscriptions: subs(1000) }), status: 204, after: (id) => expect(server.app.realtime.client(id)?.subscriptions.size).toBe(1000) },
      { name: 'invalid topic length', body: (id) => ({ clientId: id, subscriptions: ['abc', 'a'.repeat(2501)] }), status: 400, expect: ['"subscriptions":{"1":{"code":"validation_length_too_long"'] },
      { name: 'valid topic length', body: (id) => ({ clientId: id, subscriptions: ['abc', 'a'.repeat(2500)] }), status: 204, after: (id) => expect(server.app.realtime.client(id)?.subscriptions.size).toBe(2) },
      { name: 'empty subscriptions', body: (id) => ({ clientId: id, subscriptions: [] }), status: 204, after: (id) => expect(server.app.realtime.client(id)?.subscriptions.size).toBe(0) },
      { name: '2 new subscriptions', body: (id) => ({ clientId: id, subscriptions: ['test1', 'test2'] }), status: 204, after: (id) => expect([...(server.app.realtime.client(id)?.subscriptions.keys() ?? [])]).toEqual(['test1', 'test2']) },
      { name: 'guest -> authorized superuser', body: (id) => ({ clientId: id, subscriptions: ['test1'] }), token: superuserToken, status: 204, after: (id) => expect(server.app.realtime.client(id)?.auth?.collection.name).toBe('_superusers') },
      { name: 'guest -> authorized regular auth record', body: (id) => ({ clientId: id, subscriptions: ['test1'] }), token: userToken, status: 204, after: (id) => expect(server.app.realtime.client(id)?.auth?.record.id).toBe('4q1xlclmfloku33') },
      { name: 'same auth', before: userToken, body: (id) => ({ clientId: id, subscriptions: ['test1', 'test2'] }), token: userToken, status: 204 },
      { name: 'mismatched auth', before: user2Token, body: (id) => ({ clientId: id, subscriptions: ['test1'] }), token: userToken, status: 403, expect: ['"data":{}'] },
      { name: 'unauthorized client', before: user2Token, body: (id) => ({ clientId: id, subscriptions: ['test1'] }), status: 403, expect: ['"data":{}'], after: (id) => expect(server.app.realtime.client(id)?.auth?.record.id).toBe('oap640cot4yru2s') },
    ];
    for (const s of scenarios) {
      it(s.name, async () => {
        const stream = new SseStream(server.url);
        const clientId = await stream.clientId();
        try {
          if (s.before) expect((await subscribe({ clientId, subscriptions: ['test0'] }, s.before)).status).toBe(204);
          const res = await subscribe(s.body(clientId), s.token);
          expect(res.status).toBe(s.status);
          if (s.status === 204) expect(res.body).toBe('');
          for (const text of s.expect ?? []) expect(res.body).toContain(text);
          for (const text of s.notExpect ?? []) expect(res.body).not.toContain(text);
          s.after?.(clientId);
        } finally {
          stream.close();
        }
      });
    }

    it('existing client with different IP → 400', async () => {
      const stream = new SseStream(server.url, { localAddress: '127.0.0.1' });
      const clientId = await stream.clientId();
      const res = await subscribe({ clientId, subscriptions: ['test'] }, undefined, '127.0.0.2');
      stream.close();
      expect(res.status).toBe(400);
      expect(res.body).toContain('"data":{}');
    });
  });

  it('ends idle connections (PocketBase: 5 minutes without a message)', async () => {
    const broker = server.app.realtime;
    const saved = broker.connectionLimits;
    broker.connectionLimits = { idleTimeoutMs: 60_000, maxLifetimeMs: 0 };
    const stream = new SseStream(server.url);
    try {
      const clientId = await stream.clientId();
      broker.sweep(Date.now() + 30_000);
      expect(stream.ended).toBe(false);
      broker.sweep(Date.now() + 61_000);
      await waitFor(() => stream.ended, 'stream end');
      expect(broker.client(clientId)).toBeUndefined();
    } finally {
      broker.connectionLimits = saved;
      stream.close();
    }
  });

  it('drops a consumer that stops reading instead of buffering without bound', async () => {
    const made = await fetch(`${server.url}/api/collections`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: superuserToken },
      body: JSON.stringify({ name: 'rt_big', type: 'base', listRule: '', viewRule: '', fields: [{ name: 'body', type: 'editor' }] }),
    });
    expect(made.status).toBe(200);
    const stream = new SseStream(server.url);
    const clientId = await stream.clientId();
    stream.res?.pause(); // stop reading: the socket buffers fill up
    // 40 subscriptions to one collection: each write sends the (large) record 40 times
    const topics = Array.from({ length: 40 }, (_, i) => `rt_big/*?options=${encodeURIComponent(JSON.stringify({ query: { n: String(i) } }))}`);
    expect((await subscribe({ clientId, subscriptions: topics })).status).toBe(204);
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 100 && server.app.realtime.client(clientId); i++) {
      await create('rt_big', { body: big });
      await server.app.realtime.idle();
    }
    expect(server.app.realtime.client(clientId)).toBeUndefined();
    stream.close();
  });

  it('closes the server promptly with open streams and silent sockets (regression: close hung)', async () => {
    const other = await startTestServer();
    const stream = new SseStream(other.url);
    await stream.clientId();
    const silent = net.connect(new URL(other.url).port ? Number(new URL(other.url).port) : 0, '127.0.0.1');
    await new Promise((r) => silent.once('connect', r));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    await waitFor(() => stream.ended, 'stream end');
    silent.destroy();
  });
});
