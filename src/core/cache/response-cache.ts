import type { CacheVersions } from './cache-versions.js';
import { ALL, collectionKey } from './cache-versions.js';

interface Entry {
  keys: readonly string[];
  versions: readonly number[];
  value: unknown;
}

/** Hits, misses and size, for /api/metrics. */
export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
}

/**
 * The response cache of guest reads (record lists and views): answers in memory, least recently
 * used first out, each valid only while the version counters it was read under are unchanged
 * (see {@link CacheVersions}). `enabled()` is read on every call, so the setting applies at once.
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  readonly stats: CacheStats = { hits: 0, misses: 0, entries: 0 };
  #wasEnabled = false;

  constructor(
    private readonly versions: CacheVersions,
    private readonly options: { enabled: () => boolean; maxEntries: () => number },
  ) {}

  /** Whether reads are cached now; switching on starts from an empty cache. */
  get enabled(): boolean {
    const on = this.options.enabled();
    if (on && !this.#wasEnabled) this.clear();
    this.#wasEnabled = on;
    return on;
  }

  /** The cached answer of `key` under `keys`' current versions, or `compute()`'s, stored. */
  async getOrCompute<T>(key: string, keys: readonly string[], compute: () => Promise<T>): Promise<T> {
    let versions: readonly number[];
    try {
      versions = await this.versions.read(keys);
    } catch {
      return compute(); // counters unreachable (Redis down): nothing can be trusted, nothing cached
    }
    const entry = this.#entries.get(key);
    if (entry && sameVersions(entry.versions, versions)) {
      this.stats.hits++;
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      return entry.value as T;
    }
    this.stats.misses++;
    const value = await compute();
    this.#entries.set(key, { keys, versions, value });
    while (this.#entries.size > Math.max(1, this.options.maxEntries())) this.#entries.delete(this.#entries.keys().next().value as string);
    this.stats.entries = this.#entries.size;
    return value;
  }

  /** Moves the counters of writes to `collectionIds` (call after commit, before answering). */
  invalidate(collectionIds: readonly string[]): void | Promise<void> {
    return this.versions.bump([...new Set(collectionIds)].map(collectionKey).concat(ALL));
  }

  /** Forgets every answer (a collection changed, or the cache was switched off). */
  clear(): void {
    this.#entries.clear();
    this.stats.entries = 0;
  }
}

function sameVersions(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
