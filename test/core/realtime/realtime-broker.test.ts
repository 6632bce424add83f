import { afterEach, describe, expect, it } from 'vitest';
import { MemoryPubSub } from '../../../src/adapters/pubsub/memory-pubsub.js';
import type { CollectionModel, RuleName } from '../../../src/core/collections/collection-model.js';
import { PlinthError } from '../../../src/core/errors/plinth-error.js';
import { RecordEvents } from '../../../src/core/events/record-events.js';
import { RealtimeBroker } from '../../../src/core/realtime/realtime-broker.js';
import type { RealtimeCloseReason, RealtimeSink } from '../../../src/core/realtime/realtime-client.js';
import type { RealtimeRecords } from '../../../src/core/realtime/realtime-fanout.js';
import type { AuthState, RecordData, RequestInfo } from '../../../src/core/request-info.js';

function collection(name: string, overrides: Partial<CollectionModel> = {}): CollectionModel {
  return {
    id: `id_${name}`, name, type: 'base', system: false, fields: [], indexes: [],
    listRule: '', viewRule: '', createRule: null, updateRule: null, deleteRule: null,
    options: {}, created: '', updated: '', ...overrides,
  };
}

const posts = collection('posts', { listRule: "@request.auth.id != ''", viewRule: '' });
const users = collection('users', { type: 'auth' });
const superusers = collection('_superusers', { type: 'auth' });

function auth(coll: CollectionModel, id: string, tokenKey = 'k1'): AuthState {
  return { collection: coll, record: { id, tokenKey } };
}

/**
 * A stand-in for the records service: rules are "" (public), null (superusers) or the one rule
 * used here, "@request.auth.id != ''"; a filter `id = "X"` matches record X. Counts calls.
 */
class FakeRecords implements RealtimeRecords {
  calls = { passesRule: 0, matchesFilter: 0, serialize: 0 };
  /** Records that "exist" in the database (a deleted one fails every DB check). */
  existing = new Set<string>();
  /** While set, rule checks wait for it (a slow database). */
  gate: Promise<void> | null = null;
  async passesRule(c: CollectionModel, record: RecordData, request: RequestInfo, ruleName: RuleName): Promise<boolean> {
    this.calls.passesRule++;
    await this.gate;
    const rule = c[ruleName];
    if (request.auth?.collection.name === '_superusers') return true;
    if (rule === null) return false;
    if (rule === '') return true;
    return this.existing.has(record.id) && request.auth !== null;
  }
  async matchesFilter(_c: CollectionModel, record: RecordData, _r: RequestInfo, filter: string): Promise<boolean> {
    this.calls.matchesFilter++;
    return this.existing.has(record.id) && filter === `id = "${record.id}"`;
  }
  async serialize(c: CollectionModel, record: RecordData, request: RequestInfo, params: { fields?: string } = {}): Promise<Record<string, unknown>> {
    this.calls.serialize++;
    const json: Record<string, unknown> = { collectionName: c.name, id: record.id, title: record['title'] };
    if (request.auth?.collection.name === '_superusers') json['secret'] = record['secret'];
    return params.fields === 'id' ? { id: record.id } : json;
  }
}

interface Received {
  name: string;
  data: unknown;
}

class FakeSink implements RealtimeSink {
  received: Received[] = [];
  closedWith: RealtimeCloseReason | null = null;
  send(name: string, data: string): void {
    this.received.push({ name, data: JSON.parse(data) });
  }
  close(reason: RealtimeCloseReason): void {
    this.closedWith = reason;
  }
  events(): Received[] {
    return this.received.filter((r) => r.name !== 'PB_CONNECT');
  }
}

const collections = new Map([posts, users, superusers].map((c) => [c.id, c]));
const brokers: RealtimeBroker[] = [];

async function setup(pubsub: MemoryPubSub | null = new MemoryPubSub()) {
  const records = new FakeRecords();
  const events = new RecordEvents();
  const broker = new RealtimeBroker({ records, events, pubsub: pubsub ?? undefined, findCollection: (id) => collections.get(id) });
  await broker.start();
  brokers.push(broker);
  const connect = (subs: string[] = [], who: AuthState | null = null, ip = '127.0.0.1') => {
    const sink = new FakeSink();
    const client = broker.connect(sink, { ip });
    broker.setSubscriptions({ clientId: client.id, subscriptions: subs }, who, ip);
    return { sink, client };
  };
  /** Commits a write as the records service does. */
  const write = async (action: 'create' | 'update' | 'delete', coll: CollectionModel, record: RecordData, previous?: RecordData) => {
    if (action === 'delete') {
      const batch = events.batch();
      await batch.deleting(coll, record);
      records.existing.delete(record.id);
      batch.commit();
    } else {
      records.existing.add(record.id);
      events.emit([{ action, collection: coll, record, previous }]);
    }
    await settle(broker);
  };
  return { broker, records, events, connect, write };
}

async function settle(...list: RealtimeBroker[]): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setImmediate(r));
    for (const b of list) await b.idle();
  }
}

function thrown(fn: () => void): PlinthError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PlinthError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

afterEach(async () => {
  for (const b of brokers.splice(0)) await b.close();
});

describe('RealtimeBroker', () => {
  it('greets a connection with PB_CONNECT and its 40-char client id', async () => {
    const { broker } = await setup();
    const sink = new FakeSink();
    const client = broker.connect(sink);
    expect(client.id).toMatch(/^[a-zA-Z0-9]{40}$/);
    expect(sink.received).toEqual([{ name: 'PB_CONNECT', data: { clientId: client.id } }]);
    broker.disconnect(client.id);
    expect(broker.clientCount).toBe(0);
  });

  it('routes events by topic with list/view rules, filters and fields; names are the raw strings', async () => {
    const { connect, write } = await setup();
    const filtered = `posts/*?options=${encodeURIComponent(JSON.stringify({ query: { filter: 'id = "p2"' } }))}`;
    const guest = connect(['posts/*', 'posts/p1', 'other/*']);
    const user = connect(['posts/*', filtered, 'id_posts/*?options=' + encodeURIComponent('{"query":{"fields":"id"}}')], auth(users, 'u1'));
    const admin = connect(['posts'], auth(superusers, 's1'));
    await write('create', posts, { id: 'p1', title: 'one', secret: 'x' });
    await write('create', posts, { id: 'p2', title: 'two', secret: 'y' });
    // guest: the list rule needs auth, the view rule is public → only posts/p1
    expect(guest.sink.events()).toEqual([
      { name: 'posts/p1', data: { record: { collectionName: 'posts', id: 'p1', title: 'one' }, action: 'create' } },
    ]);
    expect(user.sink.events().map((e) => [e.name, (e.data as { record: { id: string } }).record.id])).toEqual([
      ['posts/*', 'p1'], ['id_posts/*?options=%7B%22query%22%3A%7B%22fields%22%3A%22id%22%7D%7D', 'p1'],
      ['posts/*', 'p2'], [filtered, 'p2'], ['id_posts/*?options=%7B%22query%22%3A%7B%22fields%22%3A%22id%22%7D%7D', 'p2'],
    ]);
    expect(user.sink.events()[1]?.data).toEqual({ record: { id: 'p1' }, action: 'create' });
    // superusers see everything, hidden fields included (legacy bare collection topic)
    expect(admin.sink.events().map((e) => (e.data as { record: { secret: string } }).record.secret)).toEqual(['x', 'y']);
  });

  it('delivers events and direct messages on a single node without a PubSub', async () => {
    const { connect, write, broker } = await setup(null);
    const guest = connect(['posts/p1']);
    await write('create', posts, { id: 'p1', title: 'one' });
    expect(guest.sink.events().map((e) => e.name)).toEqual(['posts/p1']);
    expect(await broker.sendToClient(guest.client.id, 'posts/p1', { ok: true })).toBe(true);
    expect(await broker.sendToClient('not-here', 'posts/p1', { ok: true })).toBe(false);
  });

  it('checks and serializes once for subscribers that would see the same thing', async () => {
    const { connect, write, records } = await setup();
    for (let i = 0; i < 50; i++) connect(['posts/p1']);
    connect(['posts/p1'], auth(users, 'u1'));
    await write('create', posts, { id: 'p1', title: 'one' });
    expect(records.calls.passesRule).toBe(2);
    expect(records.calls.serialize).toBe(2);
  });

  it('replaces the subscription set; unsubscribe all with an empty list', async () => {
    const { broker, connect, write } = await setup();
    const { sink, client } = connect(['posts/p1']);
    broker.setSubscriptions({ clientId: client.id, subscriptions: ['posts/p2'] }, null, '127.0.0.1');
    await write('update', posts, { id: 'p1', title: 'a' });
    await write('update', posts, { id: 'p2', title: 'b' });
    broker.setSubscriptions({ clientId: client.id, subscriptions: [] }, null, '127.0.0.1');
    await write('update', posts, { id: 'p2', title: 'c' });
    expect(sink.events().map((e) => e.name)).toEqual(['posts/p2']);
    expect(broker.hasSubscription(client.id, 'posts/p2')).toBe(false);
  });

  describe('subscription requests (PocketBase realtime_test.go scenarios)', () => {
    it('missing client → 404', async () => {
      const { broker } = await setup();
      const err = thrown(() => broker.setSubscriptions({ clientId: 'missing', subscriptions: ['test1'] }, null, ''));
      expect([err.code, err.message]).toEqual(['not_found', 'Missing or invalid client id.']);
    });

    it('a different IP → 400', async () => {
      const { broker } = await setup();
      const client = broker.connect(new FakeSink(), { ip: '127.0.0.1' });
      const err = thrown(() => broker.setSubscriptions({ clientId: client.id, subscriptions: ['test'] }, null, '127.0.0.2'));
      expect([err.code, err.data]).toEqual(['bad_request', {}]);
    });

    it('guest → superuser and guest → user upgrades are allowed; same auth is allowed', async () => {
      const { broker } = await setup();
      const a = broker.connect(new FakeSink());
      broker.setSubscriptions({ clientId: a.id, subscriptions: ['test1'] }, auth(superusers, 's1'), '');
      expect(a.auth?.collection.name).toBe('_superusers');
      const b = broker.connect(new FakeSink());
      broker.setSubscriptions({ clientId: b.id, subscriptions: ['test1'] }, auth(users, 'u1'), '');
      broker.setSubscriptions({ clientId: b.id, subscriptions: ['test1', 'test2'] }, auth(users, 'u1'), '');
      expect(b.subscriptions.size).toBe(2);
    });

    it('mismatched auth and unauthorized request on an authenticated client → 403', async () => {
      const { broker } = await setup();
      const c = broker.connect(new FakeSink());
      broker.setSubscriptions({ clientId: c.id, subscriptions: [] }, auth(users, 'u2'), '');
      for (const other of [auth(users, 'u1'), null]) {
        const err = thrown(() => broker.setSubscriptions({ clientId: c.id, subscriptions: ['test1'] }, other, ''));
        expect([err.code, err.data]).toEqual(['forbidden', {}]);
      }
      expect(c.auth?.record.id).toBe('u2');
    });
  });

  describe('bound auth follows the auth record', () => {
    it('updates it, unsets it on a new tokenKey and on delete (TestRealtimeAuthRecord*Event)', async () => {
      const { connect, write } = await setup();
      const c1 = connect([], auth(users, 'u1'));
      const c2 = connect([], auth(users, 'u1'));
      const c3 = connect([], auth(users, 'u2'));
      await write('update', users, { id: 'u1', tokenKey: 'k1', name: 'new name' });
      expect(c1.client.auth?.record['name']).toBe('new name');
      await write('update', users, { id: 'u2', tokenKey: 'rotated' });
      expect(c3.client.auth).toBeNull();
      await write('delete', users, { id: 'u1', tokenKey: 'k1' });
      expect([c1.client.auth, c2.client.auth]).toEqual([null, null]);
    });
  });

  describe('deletes', () => {
    it('reach subscribers who could see the record before it was deleted, after commit', async () => {
      const { broker, events, records, connect } = await setup();
      records.existing.add('p1');
      const user = connect(['posts/*', `posts/*?options=${encodeURIComponent('{"query":{"filter":"id = \\"p1\\""}}')}`], auth(users, 'u1'));
      const guest = connect(['posts/*']);
      const batch = events.batch();
      await batch.deleting(posts, { id: 'p1', title: 'gone' });
      records.existing.delete('p1');
      await settle(broker);
      expect(user.sink.events()).toEqual([]); // nothing before the commit
      batch.commit();
      await settle(broker);
      expect(user.sink.events().map((e) => [e.name, (e.data as { action: string }).action])).toHaveLength(2);
      expect(guest.sink.events()).toEqual([]);
    });

    it('a rolled-back delete sends nothing', async () => {
      const { broker, events, records, connect } = await setup();
      records.existing.add('p1');
      const user = connect(['posts/*'], auth(users, 'u1'));
      await events.batch().deleting(posts, { id: 'p1' }); // never committed
      await settle(broker);
      expect(user.sink.events()).toEqual([]);
    });

    it('regression: a create followed at once by its delete still reaches the subscriber (the check ran after the delete, CI on PostgreSQL)', async () => {
      const { broker, events, records, connect } = await setup();
      const user = connect(['posts/*'], auth(users, 'u1'));
      let open = (): void => undefined;
      records.gate = new Promise((resolve) => (open = resolve));
      records.existing.add('p1');
      setTimeout(open, 20);
      await events.emit([{ action: 'create', collection: posts, record: { id: 'p1' } }]); // as the writer does before answering
      records.existing.delete('p1'); // the client's next request deletes it
      await settle(broker);
      expect(user.sink.events().map((e) => (e.data as { action: string }).action)).toEqual(['create']);
    });

    it('a write nobody is subscribed to is not held up', async () => {
      const { events, connect } = await setup();
      connect(['users/*']);
      expect(events.emit([{ action: 'create', collection: posts, record: { id: 'p1' } }])).toBeUndefined();
    });

    it('keeps the order of a create followed by a delete', async () => {
      const { connect, write } = await setup();
      const sub = connect(['posts/p9']);
      await write('create', posts, { id: 'p9' });
      await write('delete', posts, { id: 'p9' });
      expect(sub.sink.events().map((e) => (e.data as { action: string }).action)).toEqual(['create', 'delete']);
    });
  });

  describe('across nodes (two brokers on one pub/sub)', () => {
    it('delivers creates with full checks and deletes with rule-free checks only', async () => {
      const pubsub = new MemoryPubSub();
      const a = await setup(pubsub);
      const b = await setup(pubsub);
      const userOnB = b.connect(['posts/*', 'posts/p1'], auth(users, 'u1'));
      b.records.existing.add('p1');
      a.records.existing.add('p1');
      await a.write('create', posts, { id: 'p1', title: 't' });
      await settle(a.broker, b.broker);
      expect(userOnB.sink.events().map((e) => e.name)).toEqual(['posts/p1', 'posts/*']);
      b.records.existing.delete('p1');
      await a.write('delete', posts, { id: 'p1', title: 't' });
      await settle(a.broker, b.broker);
      // the list rule needs the (gone) record: only the public view-rule topic gets the delete
      expect(userOnB.sink.events().map((e) => `${e.name}:${(e.data as { action: string }).action}`))
        .toEqual(['posts/p1:create', 'posts/*:create', 'posts/p1:delete']);
    });

    it('regression: a delete from another node reached an API key outside its scopes', async () => {
      const pubsub = new MemoryPubSub();
      const a = await setup(pubsub);
      const b = await setup(pubsub);
      const apiKeys = collection('_apiKeys');
      const key = (actions: string[]): AuthState => ({ collection: apiKeys, record: { id: `k_${actions.join('')}`, scopes: [{ collection: 'posts', actions }] } });
      const listOnly = b.connect(['posts/p1'], key(['list']));
      const viewer = b.connect(['posts/p1'], key(['view']));
      await a.write('delete', posts, { id: 'p1', title: 't' });
      await settle(a.broker, b.broker);
      expect(listOnly.sink.events()).toEqual([]);
      expect(viewer.sink.events().map((e) => e.name)).toEqual(['posts/p1']);
    });

    it('sendToClient reaches a subscribed client on this node or another', async () => {
      const pubsub = new MemoryPubSub();
      const a = await setup(pubsub);
      const b = await setup(pubsub);
      const local = a.connect(['@oauth2']);
      const remote = b.connect(['@oauth2']);
      const unsubscribed = a.connect([]);
      expect(await a.broker.sendToClient(local.client.id, '@oauth2', { code: 'x' })).toBe(true);
      expect(await a.broker.sendToClient(unsubscribed.client.id, '@oauth2', { code: 'x' })).toBe(false);
      expect(await a.broker.sendToClient(remote.client.id, '@oauth2', { code: 'y' })).toBe(false);
      await settle(a.broker, b.broker);
      expect(local.sink.events()).toEqual([{ name: '@oauth2', data: { code: 'x' } }]);
      expect(remote.sink.events()).toEqual([{ name: '@oauth2', data: { code: 'y' } }]);
      expect(unsubscribed.sink.events()).toEqual([]);
    });
  });

  describe('connection limits', () => {
    it('closes idle connections and those past their maximum lifetime', async () => {
      const { broker } = await setup();
      const idle = new FakeSink();
      const busy = new FakeSink();
      const t0 = Date.now();
      const i = broker.connect(idle, { limits: { idleTimeoutMs: 1000, maxLifetimeMs: 10_000 } });
      const b = broker.connect(busy, { limits: { idleTimeoutMs: 1000, maxLifetimeMs: 10_000 } });
      b.lastSentAt = t0 + 900;
      broker.sweep(t0 + 1500);
      expect([idle.closedWith, busy.closedWith]).toEqual(['idle', null]);
      expect(broker.client(i.id)).toBeUndefined();
      broker.sweep(t0 + 20_000);
      expect(busy.closedWith).toBe('max_lifetime');
      expect(broker.clientCount).toBe(0);
    });

    it('closes every connection on shutdown', async () => {
      const { broker } = await setup();
      const sink = new FakeSink();
      broker.connect(sink);
      await broker.close();
      expect(sink.closedWith).toBe('shutdown');
      expect(() => broker.connect(new FakeSink())).toThrow(PlinthError);
    });
  });
});
