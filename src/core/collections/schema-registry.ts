import type { CollectionModel } from './collection-model.js';

/**
 * The in-memory view of every collection, so that the hot path never reads `_collections`.
 * `version` grows on every change; caches of compiled rules and statements key on it.
 */
export class SchemaRegistry {
  #byId = new Map<string, CollectionModel>();
  #byName = new Map<string, CollectionModel>();
  #version = 0;
  #listeners: Array<() => void> = [];

  /** Calls `listener` after every change (the cluster sync tells the other nodes). */
  onChange(listener: () => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  get version(): number {
    return this.#version;
  }

  /** Replaces the whole set (after loading from the store, or after a change from another node). */
  replaceAll(collections: readonly CollectionModel[]): void {
    this.#byId = new Map(collections.map((c) => [c.id, c]));
    this.#byName = new Map(collections.map((c) => [c.name.toLowerCase(), c]));
    this.#changed();
  }

  upsert(collection: CollectionModel): void {
    const previous = this.#byId.get(collection.id);
    if (previous) this.#byName.delete(previous.name.toLowerCase());
    this.#byId.set(collection.id, collection);
    this.#byName.set(collection.name.toLowerCase(), collection);
    this.#changed();
  }

  remove(id: string): void {
    const previous = this.#byId.get(id);
    if (!previous) return;
    this.#byId.delete(id);
    this.#byName.delete(previous.name.toLowerCase());
    this.#changed();
  }

  /** Finds a collection by id, or by name case-insensitively, as PocketBase does. */
  find(idOrName: string): CollectionModel | undefined {
    return this.#byId.get(idOrName) ?? this.#byName.get(idOrName.toLowerCase());
  }

  /** Marks a change of the data behind the collections that no record event reports (truncate). */
  touch(): void {
    this.#changed();
  }

  #changed(): void {
    this.#version++;
    for (const listener of this.#listeners) listener();
  }

  all(): CollectionModel[] {
    return [...this.#byId.values()];
  }
}
