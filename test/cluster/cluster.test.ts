/**
 * Several nodes on one PostgreSQL database and one Redis, as `plinth serve --db --redis` runs
 * them: realtime crosses nodes with per-subscriber checks, collection and settings changes reach
 * every node within 1 s, rate limits are counted together, a cron tick runs on one node, and a
 * Redis outage degrades (CRUD goes on) and recovers. Each suite has a redis-server of its own, so
 * the outage harms no other suite.
 */
import { EventSource } from 'eventsource';
import type { RecordSubscription } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/cli/start-server.js';
import { SuperuserAccounts } from '../../src/core/auth/superuser-accounts.js';
import { makeTempDir, removeDir } from '../helpers/fixture-copy.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { startBalancer } from '../helpers/round-robin-balancer.js';
import { requireService } from '../helpers/requirements.js';
import { sdkClient, waitFor } from '../helpers/sdk-clients.js';
import { closeTestDatabaseAdmins, createTestDatabase, type TestDatabase } from '../helpers/test-databases.js';

(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

const pg = await requireService('postgres', 'cluster');
const hasRedis = (await requireService('redis', 'cluster (redis-server on PATH)')) !== null;

const NODES = 3;
const ADMIN = { email: 'admin@example.com', password: 'cluster-password-1' };

describe.skipIf(!pg || !hasRedis)('a cluster of 3 nodes on PostgreSQL + Redis', () => {
  let redis: PrivateRedis;
  let database: TestDatabase;
  const nodes: RunningServer[] = [];
  const dirs: string[] = [];
  let token = '';
  const node = (i: number) => nodes[i] as RunningServer;
  const admin = (i: number) => sdkClient(node(i).url, token);

  beforeAll(async () => {
    redis = await startPrivateRedis();
    database = await createTestDatabase('postgres');
    const prefix = `t${Date.now()}:`;
    for (let i = 0; i < NODES; i++) {
      const dir = makeTempDir();
      dirs.push(dir);
      // one at a time: the first one bootstraps the schema
      nodes.push(await startServer({ dataDir: dir, db: database.url, redis: { url: redis.url, prefix }, http: '127.0.0.1:0' }));
    }
    await new SuperuserAccounts(node(0).app.schema, node(0).app.records).create(ADMIN.email, ADMIN.password);
    token = (await sdkClient(node(1).url).collection('_superusers').authWithPassword(ADMIN.email, ADMIN.password)).token;
    await admin(0).collections.create({
      name: 'cl_posts', type: 'base', listRule: 'public = true', viewRule: 'public = true', createRule: '',
      fields: [{ name: 'title', type: 'text' }, { name: 'public', type: 'bool' }],
    });
    await waitFor(() => nodes.every((n) => n.app.schema.find('cl_posts')), 'cl_posts on every node', 1000);
  });

  afterAll(async () => {
    for (const n of nodes) await n.close();
    await database?.drop();
    await redis?.stop();
    for (const dir of dirs) removeDir(dir);
    await closeTestDatabaseAdmins();
  });

  it('reports the node and Redis in /api/health for superusers', async () => {
    const health = await (await fetch(`${node(2).url}/api/health`, { headers: { authorization: token } })).json() as { data: { cluster: { node: string; redis: string } } };
    expect(health.data.cluster).toEqual({ node: node(2).app.cluster?.nodeId, redis: 'up' });
    const guest = await (await fetch(`${node(2).url}/api/health`)).json();
    expect(guest).toEqual({ code: 200, message: 'API is healthy.', data: {} });
  });

  it('delivers a write on one node to subscribers on the others, checked per subscriber', async () => {
    const guest = sdkClient(node(0).url);
    const superuser = admin(1);
    const seenByGuest: string[] = [];
    const seenByAdmin: string[] = [];
    await guest.collection('cl_posts').subscribe('*', (e: RecordSubscription) => void seenByGuest.push(String(e.record['title'])));
    await superuser.collection('cl_posts').subscribe('*', (e: RecordSubscription) => void seenByAdmin.push(String(e.record['title'])));
    const started = Date.now();
    await admin(2).collection('cl_posts').create({ title: 'private', public: false });
    await admin(2).collection('cl_posts').create({ title: 'public', public: true });
    await waitFor(() => seenByAdmin.length === 2 && seenByGuest.length === 1, 'events on nodes 0 and 1', 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(seenByGuest).toEqual(['public']);
    expect(seenByAdmin).toEqual(['private', 'public']);
    await guest.realtime.unsubscribe();
    await superuser.realtime.unsubscribe();
  });

  it('needs no sticky sessions: the SDK subscribes through a round-robin balancer', async () => {
    const { freePort } = await import('../helpers/free-port.js');
    const balancer = await startBalancer(() => nodes.map((n) => n.url), await freePort());
    try {
      const seen: string[] = [];
      const client = sdkClient(balancer.url);
      // the stream lands on one node, the subscription POST on the next one
      await client.collection('cl_posts').subscribe('*', (e: RecordSubscription) => void seen.push(String(e.record['title'])));
      await admin(1).collection('cl_posts').create({ title: 'through the balancer', public: true });
      await waitFor(() => seen.includes('through the balancer'), 'the event through the balancer', 2000);
      await client.realtime.unsubscribe();
      const unknown = await fetch(`${balancer.url}/api/realtime`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"clientId":"nobody","subscriptions":["cl_posts"]}' });
      expect(unknown.status).toBe(404);
    } finally {
      await balancer.close();
    }
  });

  it('applies a rule change made on one node on every node within 1 s', async () => {
    const list = (i: number) => fetch(`${node(i).url}/api/collections/cl_posts/records`).then((r) => r.status);
    expect(await list(1)).toBe(200);
    await admin(0).collections.update('cl_posts', { listRule: null });
    const started = Date.now();
    await waitFor(() => nodes.every((n) => n.app.schema.find('cl_posts')?.listRule === null), 'the locked rule everywhere', 1000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await list(1)).toBe(403);
    expect(await list(2)).toBe(403);
    await admin(2).collections.update('cl_posts', { listRule: 'public = true' });
    await waitFor(() => nodes.every((n) => n.app.schema.find('cl_posts')?.listRule === 'public = true'), 'the rule back everywhere', 1000);
  });

  it('applies settings saved on one node on every node within 1 s', async () => {
    await admin(1).settings.update({ meta: { appName: 'Clustered' } });
    await waitFor(() => nodes.every((n) => (n.app.settings.get()['meta'] as { appName: string }).appName === 'Clustered'), 'settings everywhere', 1000);
  });

  it('counts rate limits across nodes', async () => {
    await admin(0).settings.update({ rateLimits: { enabled: true, rules: [{ label: '*:authWithPassword', duration: 60, maxRequests: 2 }] } });
    await waitFor(() => nodes.every((n) => (n.app.settings.get()['rateLimits'] as { enabled: boolean }).enabled), 'limits everywhere', 1000);
    try {
      const attempt = (i: number) => fetch(`${node(i).url}/api/collections/_superusers/auth-with-password`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identity: ADMIN.email, password: 'wrong' }),
      }).then((r) => r.status);
      expect([await attempt(0), await attempt(1), await attempt(2), await attempt(0)]).toEqual([400, 400, 429, 429]);
    } finally {
      await admin(1).settings.update({ rateLimits: { enabled: false } });
    }
  });

  it('runs each cron tick on one node only', async () => {
    const runs: Array<{ node: number; at: number }> = [];
    nodes.forEach((n, i) => n.app.ops.crons.add('cl_every_second', '* * * * * *', () => void runs.push({ node: i, at: Math.round(Date.now() / 1000) })));
    await new Promise((r) => setTimeout(r, 3200));
    nodes.forEach((n) => n.app.ops.crons.remove('cl_every_second'));
    const ticks = runs.map((r) => r.at);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ticks).size).toBe(ticks.length); // never two nodes on one tick
  });

  it('never serves a stale cached read on one node after a write answered on another', async () => {
    await admin(0).settings.update({ cache: { enabled: true } });
    await waitFor(() => nodes.every((n) => n.app.records.cache?.enabled === true), 'the cache on everywhere', 1000);
    const ids = await Promise.all([0, 1, 2].map((i) => admin(0).collection('cl_posts').create({ title: `t${i}-0`, public: true }).then((r) => r.id)));
    const stale: string[] = [];
    await Promise.all(ids.map(async (id, w) => {
      for (let n = 1; n <= 20; n++) {
        await admin(w % NODES).collection('cl_posts').update(id, { title: `t${w}-${n}` });
        for (let r = 0; r < NODES; r++) {
          const seen = String((await sdkClient(node(r).url).collection('cl_posts').getOne(id))['title']);
          if (Number(seen.split('-')[1]) < n) stale.push(`node${r} read ${seen} after t${w}-${n}`);
        }
      }
    }));
    expect(stale).toEqual([]);
    const hits = nodes.reduce((sum, n) => sum + (n.app.records.cache?.stats.hits ?? 0), 0);
    expect(hits).toBe(0); // every read followed a write: all misses, as it must be
    // and repeated reads do hit
    for (const n of nodes) await sdkClient(n.url).collection('cl_posts').getOne(ids[0] as string);
    for (const n of nodes) await sdkClient(n.url).collection('cl_posts').getOne(ids[0] as string);
    expect(nodes.reduce((sum, n) => sum + (n.app.records.cache?.stats.hits ?? 0), 0)).toBeGreaterThanOrEqual(NODES);
  });

  it('keeps serving CRUD while Redis is down, and shares again once it is back', async () => {
    await redis.stop();
    await waitFor(() => nodes.every((n) => n.app.cluster?.redis() === 'down'), 'Redis seen down', 5000);
    const created = await admin(0).collection('cl_posts').create({ title: 'during the outage', public: true });
    expect((await sdkClient(node(1).url).collection('cl_posts').getOne(created.id))['title']).toBe('during the outage');
    // missed while Redis was down: node 2 learns of it when Redis is back
    await admin(0).collections.update('cl_posts', { viewRule: '' });
    await redis.start();
    await waitFor(() => nodes.every((n) => n.app.cluster?.redis() === 'up'), 'Redis seen up', 10_000);
    await waitFor(() => nodes.every((n) => n.app.schema.find('cl_posts')?.viewRule === ''), 'the missed change after the outage', 5000);
    const seen: string[] = [];
    const guest = sdkClient(node(2).url);
    await guest.collection('cl_posts').subscribe('*', (e: RecordSubscription) => void seen.push(String(e.record['title'])));
    await admin(0).collection('cl_posts').create({ title: 'after the outage', public: true });
    await waitFor(() => seen.includes('after the outage'), 'cross-node realtime again', 2000);
    await guest.realtime.unsubscribe();
  });
});
