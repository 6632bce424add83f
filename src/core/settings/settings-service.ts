import { deepMerge } from '../collections/auth-options.js';
import { defaultSettings, type Settings } from './settings-defaults.js';

export type { Settings };

/** Where the settings object lives (PocketBase: the `_params` row `settings`). */
export interface SettingsRepository {
  /** The stored settings JSON, or null when none was saved yet. */
  load(): Promise<Settings | null>;
  save(settings: Settings): Promise<void>;
}

/** Freezes `value` and everything reachable from it (plain objects and arrays). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * `derive` run once per settings snapshot (or frozen part of one): {@link SettingsService.get}
 * hands out the same frozen object until the next save or load, so that object is the cache key
 * and a saved change is seen at once.
 */
export function perSnapshot<K extends object, V>(derive: (snapshot: K) => V): (snapshot: K) => V {
  const cache = new WeakMap<K, V>();
  return (snapshot) => {
    if (cache.has(snapshot)) return cache.get(snapshot) as V;
    const value = derive(snapshot);
    cache.set(snapshot, value);
    return value;
  };
}

/**
 * The application settings: PocketBase's settings object, stored values merged over the defaults
 * and kept in memory. HTTP exposure (with secret redaction) belongs to the settings API.
 *
 * {@link get} hands out one deeply frozen snapshot, the same object until the next load or save
 * (it is read on hot paths: request log, rate limits, batch). Callers that want to change a copy
 * use {@link copy}.
 */
export class SettingsService {
  #current: Settings = deepFreeze(defaultSettings());
  #listeners: Array<() => void> = [];

  constructor(private readonly repository: SettingsRepository) {}

  /** Calls `listener` after every {@link save} (the cluster sync tells the other nodes). */
  onChange(listener: () => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Reads the stored settings (call once at start-up, and after a change from another node). */
  async load(): Promise<Settings> {
    const stored = await this.repository.load();
    this.#current = deepFreeze(stored ? deepMerge(defaultSettings(), stored) : defaultSettings());
    return this.#current;
  }

  /**
   * The current settings: a read-only (deeply frozen) snapshot, the same object until the next
   * {@link save} or {@link load}. Writing to it throws; use {@link copy} for a mutable one.
   */
  get(): Settings {
    return this.#current;
  }

  /** A mutable deep copy of the current settings. */
  copy(): Settings {
    return structuredClone(this.#current);
  }

  /**
   * Merges `patch` (nested objects key by key, arrays replaced) and persists the result; returns
   * the new snapshot (frozen, like {@link get}). `patch` itself is copied, never frozen.
   */
  async save(patch: Settings): Promise<Settings> {
    const next = deepMerge(this.#current, patch);
    await this.repository.save(next);
    this.#current = deepFreeze(next);
    for (const listener of this.#listeners) listener();
    return this.#current;
  }
}
