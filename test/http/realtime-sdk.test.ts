/**
 * Realtime through the official `pocketbase` SDK (SSE, with the `eventsource` package as the
 * browser's EventSource): subscribe/unsubscribe, rule-filtered events for guests and users,
 * per-subscription options, deletes and cascades, reconnect and resubscribe.
 */
import { EventSource } from 'eventsource';
import PocketBase, { type RecordModel, type RecordSubscription } from 'pocketbase';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, user2Token, userToken } from '../helpers/tokens.js';

(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

const USER = '4q1xlclmfloku33';
const USER2 = 'oap640cot4yru2s';

let server: TestServer;
let admin: PocketBase;
const clients: PocketBase[] = [];

function sdk(token?: string): PocketBase {
  const pb = new PocketBase(server.url);
  pb.autoCancellation(false);
  if (token) pb.authStore.save(token, null);
  clients.push(pb);
  return pb;
}

type Event = RecordSubscription<RecordModel>;

/** Collects the events of one subscription. */
function collector(): { events: Event[]; push: (e: Event) => void; summary: () => string[] } {
  const events: Event[] = [];
  return { events, push: (e) => events.push(e), summary: () => events.map((e) => `${e.action}:${String(e.record['title'] ?? e.record.id)}`) };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets in-flight events arrive (for asserting that something did NOT arrive). */
async function quiet(): Promise<void> {
  await server.app.realtime.idle();
  await new Promise((r) => setTimeout(r, 100));
}

async function post(data: Record<string, unknown>): Promise<RecordModel> {
  return admin.collection('rt_posts').create(data);
}

beforeAll(async () => {
  server = await startTestServer({ fixture: true });
  admin = new PocketBase(server.url);
  admin.autoCancellation(false);
  admin.authStore.save(superuserToken, null);
  const rule = 'public = true || owner = @request.auth.id';
  const posts = await admin.collections.create({
    name: 'rt_posts', type: 'base', listRule: rule, viewRule: rule,
    fields: [
      { name: 'title', type: 'text' },
      { name: 'public', type: 'bool' },
      { name: 'secret', type: 'text', hidden: true },
      { name: 'owner', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
    ],
  });
  await admin.collections.create({
    name: 'rt_comments', type: 'base', listRule: '', viewRule: '',
    fields: [
      { name: 'body', type: 'text' },
      { name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1, cascadeDelete: true },
    ],
  });
});

afterEach(async () => {
  for (const pb of clients.splice(0)) await pb.realtime.unsubscribe().catch(() => undefined);
});

afterAll(async () => {
  await server?.close();
});

describe('realtime through the pocketbase SDK', () => {
  it('delivers rule-filtered events: guests see public records, users also their own, hidden fields redacted', async () => {
    const guest = collector();
    const user = collector();
    const superuser = collector();
    await sdk().collection('rt_posts').subscribe('*', guest.push);
    await sdk(userToken).collection('rt_posts').subscribe('*', user.push);
    await sdk(superuserToken).collection('rt_posts').subscribe('*', superuser.push);
    await post({ title: 'public', public: true, secret: 's1' });
    await post({ title: 'mine', owner: USER, secret: 's2' });
    await post({ title: 'theirs', owner: USER2, secret: 's3' });
    await waitFor(() => superuser.events.length === 3 && user.events.length === 2 && guest.events.length === 1, 'events');
    await quiet();
    expect(guest.summary()).toEqual(['create:public']);
    expect(user.summary()).toEqual(['create:public', 'create:mine']);
    expect(superuser.summary()).toEqual(['create:public', 'create:mine', 'create:theirs']);
    expect(user.events.every((e) => !('secret' in e.record))).toBe(true);
    expect(Object.keys(user.events[0]?.record ?? {}).slice(0, 3)).toEqual(['collectionId', 'collectionName', 'id']);
  });

  it('regression: API keys received events of collections outside their scopes', async () => {
    const key = async (collection: string): Promise<string> => {
      const res = await fetch(`${server.url}/api/plinth/api-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: superuserToken },
        body: JSON.stringify({ name: `rt ${collection}`, scopes: [{ collection, actions: ['list'] }] }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { key: string }).key;
    };
    const inScope = collector();
    const outOfScope = collector();
    await sdk(await key('rt_posts')).collection('rt_posts').subscribe('*', inScope.push);
    await sdk(await key('rt_comments')).collection('rt_posts').subscribe('*', outOfScope.push);
    await post({ title: 'keyed', public: true });
    await waitFor(() => inScope.events.length === 1, 'in-scope event');
    await quiet();
    expect(inScope.summary()).toEqual(['create:keyed']);
    expect(outOfScope.summary()).toEqual([]);
  });

  it('stops delivering after unsubscribe', async () => {
    const pb = sdk();
    const got = collector();
    const unsubscribe = await pb.collection('rt_posts').subscribe('*', got.push);
    await post({ title: 'before', public: true });
    await waitFor(() => got.events.length === 1, 'first event');
    await unsubscribe();
    await post({ title: 'after', public: true });
    await quiet();
    expect(got.summary()).toEqual(['create:before']);
    expect(pb.realtime.isConnected).toBe(false); // the SDK disconnects without subscriptions
  });

  it('applies per-subscription filter, fields and expand, and the view rule on record topics', async () => {
    const pb = sdk(userToken);
    const filtered = collector();
    const picked = collector();
    const single = collector();
    await pb.collection('rt_posts').subscribe('*', filtered.push, { filter: 'title ~ "match"' });
    await pb.collection('rt_posts').subscribe('*', picked.push, { fields: 'id,title,expand.owner.id', expand: 'owner' });
    const target = await post({ title: 'single', owner: USER });
    await pb.collection('rt_posts').subscribe(target.id, single.push);
    await post({ title: 'a match', public: true });
    await post({ title: 'no', public: true });
    await admin.collection('rt_posts').update(target.id, { title: 'single match' });
    await waitFor(() => filtered.events.length === 2 && single.events.length === 1 && picked.events.length === 4, 'events');
    await quiet();
    expect(filtered.summary()).toEqual(['create:a match', 'update:single match']);
    expect(single.summary()).toEqual(['update:single match']);
    expect(picked.events[3]?.record).toEqual({ id: target.id, title: 'single match', expand: { owner: { id: USER } } });
  });

  it('sends deletes (cascades included) to those who could see the record before it was deleted', async () => {
    const mine = await post({ title: 'private', owner: USER });
    const comment = await admin.collection('rt_comments').create({ body: 'c', post: mine.id });
    const user = collector();
    const other = collector();
    const comments = collector();
    await sdk(userToken).collection('rt_posts').subscribe('*', user.push);
    await sdk(user2Token).collection('rt_posts').subscribe('*', other.push);
    await sdk().collection('rt_comments').subscribe('*', comments.push);
    await admin.collection('rt_posts').delete(mine.id);
    await waitFor(() => user.events.length === 1 && comments.events.length === 1, 'delete events');
    await quiet();
    expect(user.summary()).toEqual(['delete:private']);
    expect(user.events[0]?.record.id).toBe(mine.id);
    expect(other.events).toEqual([]);
    expect(comments.events.map((e) => [e.action, e.record.id])).toEqual([['delete', comment.id]]);
  });

  it('stops sending a record to a user once an update hides it', async () => {
    const rec = await post({ title: 'shared', public: true });
    const guest = collector();
    await sdk().collection('rt_posts').subscribe(rec.id, guest.push);
    await admin.collection('rt_posts').update(rec.id, { title: 'still public' });
    await admin.collection('rt_posts').update(rec.id, { title: 'now hidden', public: false, owner: USER2 });
    await quiet();
    expect(guest.summary()).toEqual(['update:still public']);
  });

  it('reconnects and resubscribes after the server ends the stream', async () => {
    const pb = sdk(userToken);
    const got = collector();
    let disconnects = 0;
    pb.realtime.onDisconnect = () => {
      disconnects++;
    };
    await pb.collection('rt_posts').subscribe('*', got.push);
    const firstId = pb.realtime.clientId;
    server.app.realtime.disconnect(firstId, 'idle'); // as the idle timeout would
    await waitFor(() => pb.realtime.isConnected && pb.realtime.clientId !== firstId, 'reconnect');
    await waitFor(() => server.app.realtime.hasSubscription(pb.realtime.clientId, 'rt_posts/*'), 'resubscribe');
    await post({ title: 'after reconnect', public: true });
    await waitFor(() => got.events.length === 1, 'event after reconnect');
    expect(got.summary()).toEqual(['create:after reconnect']);
    expect(disconnects).toBeGreaterThanOrEqual(1);
  });

  it('sends @oauth2-style direct messages to a subscribed client', async () => {
    const pb = sdk();
    const received: unknown[] = [];
    await pb.realtime.subscribe('@oauth2', (data) => received.push(data));
    expect(await server.app.realtime.sendToClient(pb.realtime.clientId, '@oauth2', { state: pb.realtime.clientId, code: 'abc' })).toBe(true);
    await waitFor(() => received.length === 1, 'direct message');
    expect(received[0]).toEqual({ state: pb.realtime.clientId, code: 'abc' });
  });
});
