/**
 * The response cache of guest reads (`settings.cache`): hits are served from memory, and no read
 * made after a write was answered returns what was there before, including under concurrent
 * writes. The cluster case (two nodes, counters in Redis) is in test/cluster/cluster.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClient } from '../helpers/sdk-clients.js';
import { closeTestDatabaseAdmins, projectDialect } from '../helpers/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

let server: TestServer;
const admin = () => sdkClient(server.url, superuserToken);
const stats = () => server.app.records.cache?.stats ?? { hits: 0, misses: 0, entries: 0 };
const guestGet = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

afterAll(() => closeTestDatabaseAdmins());

describe.each([projectDialect()])('response cache (%s)', (dialect) => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, dialect });
    await admin().collections.create({
      name: 'rc_posts', type: 'base', listRule: 'public = true', viewRule: 'public = true', createRule: '', updateRule: '', deleteRule: '',
      fields: [{ name: 'title', type: 'text' }, { name: 'n', type: 'number' }, { name: 'public', type: 'bool' }],
    });
    await admin().collections.create({
      name: 'rc_dynamic', type: 'base', listRule: "@request.headers.x_team = 'a'", fields: [{ name: 'title', type: 'text' }],
    });
    await admin().settings.update({ cache: { enabled: true } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('serves a repeated guest read from memory, and a write is seen at once', async () => {
    const post = await admin().collection('rc_posts').create({ title: 'one', public: true });
    const before = { ...stats() };
    const first = await guestGet(`/api/collections/rc_posts/records/${post.id}`);
    const second = await guestGet(`/api/collections/rc_posts/records/${post.id}`);
    expect(second).toEqual(first);
    expect(stats().hits - before.hits).toBe(1);
    expect(stats().misses - before.misses).toBe(1);
    await sdkClient(server.url).collection('rc_posts').update(post.id, { title: 'two' });
    expect((await guestGet(`/api/collections/rc_posts/records/${post.id}`)).body['title']).toBe('two');
    const list = await guestGet('/api/collections/rc_posts/records?perPage=500');
    await sdkClient(server.url).collection('rc_posts').create({ title: 'three', public: true });
    const after = await guestGet('/api/collections/rc_posts/records?perPage=500');
    expect((after.body['totalItems'] as number) - (list.body['totalItems'] as number)).toBe(1);
    await admin().collection('rc_posts').delete(post.id);
    expect((await guestGet(`/api/collections/rc_posts/records/${post.id}`)).status).toBe(404);
  });

  it('caches nothing for signed-in callers or rules that read the request', async () => {
    const before = { ...stats() };
    await fetch(`${server.url}/api/collections/rc_posts/records`, { headers: { authorization: userToken } });
    await fetch(`${server.url}/api/collections/rc_posts/records`, { headers: { authorization: userToken } });
    await fetch(`${server.url}/api/collections/rc_dynamic/records`, { headers: { 'x-team': 'a' } });
    await fetch(`${server.url}/api/collections/rc_dynamic/records`, { headers: { 'x-team': 'a' } });
    expect(stats()).toEqual(before);
  });

  it('never serves a stale read after an acknowledged write, under concurrent writers', async () => {
    const ids = await Promise.all([0, 1, 2, 3].map((i) => admin().collection('rc_posts').create({ title: `c${i}`, n: 0, public: true }).then((r) => r.id)));
    const stale: string[] = [];
    const hitsBefore = stats().hits;
    const guest = sdkClient(server.url).collection('rc_posts');
    await Promise.all(ids.map(async (id) => {
      for (let n = 1; n <= 25; n++) {
        await guest.update(id, { n });
        // read it back twice (a miss, then a hit) and in a list: all must show n or later
        for (let k = 0; k < 2; k++) {
          const seen = (await guestGet(`/api/collections/rc_posts/records/${id}`)).body['n'] as number;
          if (seen < n) stale.push(`${id}: wrote ${n}, read ${seen}`);
        }
        const list = await guestGet(`/api/collections/rc_posts/records?filter=${encodeURIComponent(`id = "${id}"`)}`);
        const listed = ((list.body['items'] as Array<{ n: number }>)[0]?.n) ?? -1;
        if (listed < n) stale.push(`${id}: wrote ${n}, listed ${listed}`);
      }
    }));
    expect(stale).toEqual([]);
    // some second reads were hits (how many depends on how the writers interleave: a write to any
    // record of the collection moves its counter); the deterministic hit is the first test's
    expect(stats().hits).toBeGreaterThan(hitsBefore);
  });

  it('reports its figures in /api/metrics', async () => {
    const text = await (await fetch(`${server.url}/api/metrics`, { headers: { authorization: superuserToken } })).text();
    expect(text).toMatch(/plinth_cache_hits \d+/);
    expect(text).toMatch(/plinth_cache_entries \d+/);
    expect(text).toMatch(/plinth_cache_hit_ratio 0\.\d+/);
  });

  it('is off unless switched on, and validates its settings', async () => {
    await admin().settings.update({ cache: { enabled: false } });
    const before = { ...stats() };
    await guestGet('/api/collections/rc_posts/records');
    await guestGet('/api/collections/rc_posts/records');
    expect(stats()).toEqual(before);
    const bad = await fetch(`${server.url}/api/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: superuserToken }, body: '{"cache":{"maxEntries":0}}' });
    expect(bad.status).toBe(400);
    await admin().settings.update({ cache: { enabled: true } });
  });
});
