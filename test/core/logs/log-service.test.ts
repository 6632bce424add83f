import { describe, expect, it } from 'vitest';
import { LogService, newLogId, type LogEntry, type LogStore } from '../../../src/core/logs/log-service.js';
import type { Settings } from '../../../src/core/settings/settings-defaults.js';

/** A store whose writes finish only when the test says so. */
class SlowStore implements LogStore {
  written = 0;
  inFlight = 0;
  maxInFlight = 0;
  #release: Array<() => void> = [];
  async insert(entries: readonly LogEntry[]): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise<void>((resolve) => this.#release.push(resolve));
    this.inFlight--;
    this.written += entries.length;
  }
  releaseAll(): void {
    for (const release of this.#release.splice(0)) release();
  }
  list = async () => ({ items: [], totalItems: 0 });
  find = async () => null;
  stats = async () => [];
  deleteBefore = async () => 0;
  close = async () => undefined;
}

const settings = () => ({ logs: { maxDays: 5, minLevel: 0 } }) as unknown as Settings;

describe('LogService', () => {
  // Regression: every full batch chained another pending write, so a store slower than the
  // traffic let memory grow without bound (seen as 400-600 MB RSS under load in the benchmark).
  it('keeps one write in flight and a bounded queue while the store is slow', async () => {
    const store = new SlowStore();
    const logs = new LogService(store, settings, { batchSize: 10, maxPending: 100, flushIntervalMs: 5 });
    for (let i = 0; i < 50_000; i++) logs.add(0, 'GET /api/x', { i });
    expect(store.maxInFlight).toBe(1);
    expect(logs.dropped).toBe(50_000 - 10 - 100);

    const closing = logs.close();
    for (let i = 0; i < 5 && store.written + logs.dropped < 50_000; i++) {
      store.releaseAll();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await closing;
    expect(store.written + logs.dropped).toBe(50_000);
    expect(store.maxInFlight).toBe(1);
  });

  it('writes a partial batch after the flush interval', async () => {
    const store = new SlowStore();
    const logs = new LogService(store, settings, { batchSize: 100, flushIntervalMs: 5 });
    logs.add(0, 'one', {});
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.inFlight).toBe(1);
    store.releaseAll();
    await logs.close();
    expect(store.written).toBe(1);
  });

  it('gives log rows PocketBase-shaped ids that sort by time and do not repeat', () => {
    const t = Date.UTC(2026, 10, 21, 3, 0, 0);
    const ids = [newLogId(t), newLogId(t), newLogId(t + 1), newLogId(t + 1000), newLogId(t + 86_400_000)];
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{15}$/);
    expect(ids.slice(2)).toEqual([...ids.slice(2)].sort());
    expect(ids[1]! > ids[0]! || ids[1]!.slice(11) !== ids[0]!.slice(11)).toBe(true);
    // the counter alone keeps 1,296 ids of one millisecond apart
    const many = new Set(Array.from({ length: 1296 }, () => newLogId(t)));
    expect(many.size).toBe(1296);
  });

  it('stamps entries with the creation time in PocketBase\'s format', async () => {
    const store = new SlowStore();
    const seen: LogEntry[] = [];
    store.insert = async (entries) => {
      seen.push(...entries);
    };
    const logs = new LogService(store, settings, { batchSize: 1 });
    const before = new Date().toISOString().replace('T', ' ');
    logs.add(0, 'GET /api/x', {});
    await logs.close();
    const entry = seen[0]!;
    expect(entry.created).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(entry.created >= before).toBe(true);
    expect(entry.updated).toBe(entry.created);
  });
});
