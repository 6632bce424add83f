import { describe, expect, it, vi } from 'vitest';
import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import { RecordEvents, type RecordEvent } from '../../../src/core/events/record-events.js';

const posts = { id: 'c1', name: 'posts' } as CollectionModel;

describe('RecordEvents (the core record-event hub)', () => {
  it('is inactive without listeners and delivers to each handler until it unsubscribes', () => {
    const hub = new RecordEvents();
    expect(hub.active).toBe(false);
    const seen: string[] = [];
    const off = hub.on((e) => {
      seen.push(`${e.action}:${e.record.id}`);
    });
    const offDeletes = hub.onAction('delete', (e) => {
      seen.push(`only-delete:${e.record.id}`);
    });
    expect(hub.active).toBe(true);
    hub.emit([{ action: 'create', collection: posts, record: { id: 'a' } }, { action: 'delete', collection: posts, record: { id: 'b' } }]);
    off();
    offDeletes();
    hub.emit([{ action: 'update', collection: posts, record: { id: 'c' } }]);
    expect(seen).toEqual(['create:a', 'delete:b', 'only-delete:b']);
    expect(hub.active).toBe(false);
  });

  it('never lets a failing listener fail the write or starve the others', async () => {
    const log = vi.fn();
    const hub = new RecordEvents(log);
    const seen: string[] = [];
    hub.on(() => {
      throw new Error('sync boom');
    });
    hub.on(async () => {
      throw new Error('async boom');
    });
    hub.on((e) => {
      seen.push(e.record.id);
    });
    expect(() => hub.emit([{ action: 'create', collection: posts, record: { id: 'a' } }])).not.toThrow();
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['a']);
    expect(log).toHaveBeenCalledTimes(2);
  });

  it('runs delete preparers before the commit and their callbacks after it; a dropped batch runs none', async () => {
    const hub = new RecordEvents();
    const order: string[] = [];
    hub.onPrepareDelete((e: RecordEvent) => {
      order.push(`prepare:${e.record.id}`);
      return () => order.push(`after:${e.record.id}`);
    });
    hub.on((e) => {
      order.push(`event:${e.action}:${e.record.id}`);
    });
    const batch = hub.batch();
    await batch.deleting(posts, { id: 'x' });
    batch.add({ action: 'update', collection: posts, record: { id: 'y' } });
    order.push('commit');
    batch.commit();
    const dropped = hub.batch();
    await dropped.deleting(posts, { id: 'z' });
    expect(order).toEqual(['prepare:x', 'commit', 'after:x', 'event:delete:x', 'event:update:y', 'prepare:z']);
  });
});
