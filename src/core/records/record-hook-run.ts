import type { PlinthApp } from '../app.js';
import type { CollectionModel } from '../collections/collection-model.js';
import type { HookEvents, HookName, HookRegistry } from '../hooks/hook-registry.js';
import type { RecordData, RequestInfo } from '../request-info.js';


type Extra<K extends HookName> = Omit<HookEvents[K], 'app' | 'collection' | 'request' | 'afterCommit'>;

/**
 * The hooks of one API-level record call: the before step (whose handlers may change part of
 * the event and queue after-commit callbacks) and the after step (callbacks, then after hooks).
 */
export class RecordHookRun {
  readonly #afterCommit: Array<() => void | Promise<void>> = [];

  constructor(
    private readonly hooks: HookRegistry,
    private readonly collection: CollectionModel,
    private readonly request: RequestInfo,
  ) {}

  /** Runs the before hooks of `name`; returns the event's `field` as the handlers left it. */
  async before<K extends HookName, F extends keyof Extra<K> | null>(name: K, extra: Extra<K>, field: F): Promise<F extends keyof Extra<K> ? Extra<K>[F] : undefined> {
    const event = { ...this.#base(), ...extra, afterCommit: (fn: () => void | Promise<void>) => void this.#afterCommit.push(fn) } as unknown as HookEvents[K];
    await this.hooks.run(name, event, this.collection);
    return (field === null ? undefined : (event as unknown as Record<string, unknown>)[field as string]) as never;
  }

  /** After a committed write: the queued callbacks, then the after hooks with the stored record. */
  async after(name: 'recordAfterCreate' | 'recordAfterUpdate' | 'recordAfterDelete', record: RecordData): Promise<void> {
    for (const fn of this.#afterCommit.splice(0)) await this.hooks.runCallback(fn);
    await this.hooks.runAfter(name, { ...this.#base(), record }, this.collection);
  }

  /** After a read: the after hooks may change what is answered (`record` or `result`). */
  async afterView<T>(name: 'recordAfterView' | 'recordAfterList', field: 'record' | 'result', value: T): Promise<T> {
    if (!this.hooks.has(name)) return value;
    const event = { ...this.#base(), [field]: value } as unknown as HookEvents[typeof name];
    await this.hooks.run(name, event, this.collection);
    return (event as unknown as Record<string, T>)[field] as T;
  }

  #base(): { app: PlinthApp; collection: CollectionModel; request: RequestInfo } {
    return { app: this.hooks.app as PlinthApp, collection: this.collection, request: this.request };
  }
}
