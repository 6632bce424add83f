/**
 * Version counters of what cached responses depend on: one per collection (`c:<id>`) and one for
 * everything (`*`). A write moves its collection's counter and `*` after it committed and before
 * it is answered; a read takes the counters before it queries. An entry is served only while its
 * counters are unchanged, so no read that starts after a write was answered can see what came
 * before it. Adapters: memory (one node), Redis (every node sees the same counters).
 */
export interface CacheVersions {
  read(keys: readonly string[]): number[] | Promise<number[]>;
  bump(keys: readonly string[]): void | Promise<void>;
}

/** The counters of one process: right for one node. */
export class MemoryCacheVersions implements CacheVersions {
  readonly #counters = new Map<string, number>();

  read(keys: readonly string[]): number[] {
    return keys.map((k) => this.#counters.get(k) ?? 0);
  }

  bump(keys: readonly string[]): void {
    for (const k of keys) this.#counters.set(k, (this.#counters.get(k) ?? 0) + 1);
  }
}

/** The key of everything: expands, relation paths in rules and filters, view collections. */
export const ALL = '*';
export const collectionKey = (id: string): string => `c:${id}`;
