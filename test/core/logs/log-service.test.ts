import { describe, expect, it } from 'vitest';
import { LogService, type LogEntry, type LogStore } from '../../../src/core/logs/log-service.js';
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
});
