/**
 * The webhook outbox store on every dialect: the outbox row commits and rolls back with the
 * transaction it is written in, a due row is claimed by one worker only when several race for it,
 * an expired lease hands the row on (and the old claim can no longer record an outcome).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaRegistry } from '../../../src/core/collections/schema-registry.js';
import type { NewDelivery, WebhookRow } from '../../../src/core/webhooks/webhook-model.js';
import { SqlRecordRepository } from '../../../src/store/records/sql-record-repository.js';
import { SqlWebhookStore } from '../../../src/store/webhooks/sql-webhook-store.js';
import { dialectTargets, type TestDb } from '../dialects/dialect-fixture.js';

const targets = await dialectTargets('webhook store dialect matrix');

const hook: WebhookRow = {
  id: 'hook00000000001', name: 'h', url: 'https://example.com/in', collectionId: 'c1', events: ['create'],
  enabled: true, secrets: [{ value: 'whsec_x', expires: 0 }], created: '2026-01-01 00:00:00.000Z', updated: '2026-01-01 00:00:00.000Z',
};
const delivery = (id: string): NewDelivery => ({
  id, webhookId: hook.id, event: 'create', collectionName: 'posts', recordId: 'r1', payload: '{"a":1}', nextAttempt: 0, created: '2026-01-01 00:00:00.000Z',
});
const outcome = { status: 'delivered' as const, nextAttempt: 0, lastStatus: 200, lastError: '', lastDurationMs: 5, deliveredAt: 'now', updated: 'now' };

for (const target of targets) {
  describe.skipIf(!target.open)(`webhook store on ${target.name}`, () => {
    let handle: TestDb;
    let store: SqlWebhookStore;
    let records: SqlRecordRepository;

    beforeAll(async () => {
      if (!target.open) return;
      handle = await target.open();
      store = new SqlWebhookStore(handle.db);
      records = new SqlRecordRepository(handle.db, new SchemaRegistry());
      expect(await store.listWebhooks()).toEqual([]);
      await store.insertWebhook(hook);
    });
    afterAll(async () => {
      await handle?.dispose();
    });

    it('keeps the outbox rows of a committed transaction and none of a rolled-back one', async () => {
      await records.transaction((tx) => store.enqueue(tx, [delivery('msg_commit1'), delivery('msg_commit2')]));
      await expect(records.transaction(async (tx) => {
        await store.enqueue(tx, [delivery('msg_rollback')]);
        throw new Error('the record write failed');
      })).rejects.toThrow('the record write failed');
      const { items, total } = await store.listDeliveries(hook.id, { limit: 10, offset: 0 });
      expect(total).toBe(2);
      expect(items.map((d) => d.id).sort()).toEqual(['msg_commit1', 'msg_commit2']);
      expect(items[0]).toMatchObject({ status: 'pending', attempts: 0, payload: '{"a":1}' });
      expect(await store.findWebhook(hook.id)).toEqual(hook);
    });

    it('gives each due row to one worker when two race for the same rows', async () => {
      const ids = Array.from({ length: 12 }, (_, i) => `msg_race${String(i).padStart(2, '0')}`);
      await records.transaction((tx) => store.enqueue(tx, ids.map(delivery)));
      const other = new SqlWebhookStore(handle.db);
      const now = Date.now();
      const due = await store.due(now, 100);
      expect(due).toEqual(expect.arrayContaining(ids));
      const results = await Promise.all(due.flatMap((id) => [
        store.claim(id, now, now + 60_000, `a-${id}`).then((row) => (row ? `a:${id}` : null)),
        other.claim(id, now, now + 60_000, `b-${id}`).then((row) => (row ? `b:${id}` : null)),
      ]));
      const winners = results.filter((r): r is string => r !== null);
      expect(winners).toHaveLength(due.length);
      expect(new Set(winners.map((w) => w.slice(2))).size).toBe(due.length);
      expect(await store.due(now, 100)).toEqual([]);
    });

    it('hands a row on when its lease expired, and ignores the outcome of the stale claim', async () => {
      await records.transaction((tx) => store.enqueue(tx, [delivery('msg_lease')]));
      const now = Date.now();
      const first = await store.claim('msg_lease', now, now + 10, 'old');
      expect(first).toMatchObject({ status: 'sending', attempts: 1, claimToken: 'old' });
      expect(await store.claim('msg_lease', now, now + 10, 'early')).toBeUndefined();
      const later = now + 1000;
      expect(await store.due(later, 100)).toContain('msg_lease');
      expect(await store.claim('msg_lease', later, later + 60_000, 'new')).toMatchObject({ attempts: 2, claimToken: 'new' });
      expect(await store.finish('msg_lease', 'old', outcome)).toBe(false);
      expect(await store.finish('msg_lease', 'new', outcome)).toBe(true);
      expect(await store.findDelivery('msg_lease')).toMatchObject({ status: 'delivered', lastStatus: 200, attempts: 2, claimToken: '' });
      expect(await store.replay('msg_lease', later, 'again')).toBe(true);
      expect(await store.findDelivery('msg_lease')).toMatchObject({ status: 'pending', attempts: 0 });
    });

    it('reads no due rows of a disabled webhook, and deletes the deliveries with the webhook', async () => {
      await store.updateWebhook({ ...hook, enabled: false });
      expect(await store.due(Date.now() + 10_000, 100)).toEqual([]);
      await store.deleteWebhook(hook.id);
      expect(await store.findWebhook(hook.id)).toBeUndefined();
      expect((await store.listDeliveries(hook.id, { limit: 10, offset: 0 })).total).toBe(0);
    });
  });
}
