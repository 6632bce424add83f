import type { CollectionModel } from '../collections/collection-model.js';
import type { RecordRepository } from '../records/record-repository.js';
import type { RecordData } from '../request-info.js';

export type RecordAction = 'create' | 'update' | 'delete';

/**
 * One committed write of one record. `record` holds every field (hidden ones included: listeners
 * are core code, and redaction happens where a record leaves the system); for a delete it is the
 * record as it was. `previous` is the stored record before an update, when the writer knew it.
 */
export interface RecordEvent {
  readonly action: RecordAction;
  readonly collection: CollectionModel;
  readonly record: RecordData;
  readonly previous?: RecordData;
}

/** Runs after the write committed. Errors are logged and never undo or fail the write. */
export type RecordEventHandler = (event: RecordEvent) => void | Promise<void>;

/**
 * Runs inside the delete's transaction, just before the row goes, while reads outside the
 * transaction still see the record (so rule checks still work); may return a callback that runs
 * once the delete committed (it is dropped when the transaction rolls back).
 */
export type RecordDeletePreparer = (event: RecordEvent) => void | AfterCommit | Promise<void | AfterCommit>;

export type AfterCommit = () => void;

/**
 * Runs inside the write's transaction, after its rows were written and before it commits, with
 * the repository of that transaction (the webhook outbox writes its rows there). A throw rolls
 * the whole write back; return nothing (no promise) when there is nothing to do.
 */
export type RecordWriteHook = (events: readonly RecordEvent[], tx: RecordRepository) => void | Promise<void>;

/** Cancels a registration. */
export type Unsubscribe = () => void;

/** Where unexpected listener errors go (defaults to console.error). */
export type ListenerErrorLog = (error: unknown, event: RecordEvent) => void;

/**
 * The core's record-event hub: the records service reports each committed write (cascades
 * included); realtime, file cleanup, webhooks and cache invalidation subscribe here, so the core
 * never calls them. Emitting costs one length check when nobody listens.
 */
export class RecordEvents {
  #handlers: RecordEventHandler[] = [];
  #preparers: RecordDeletePreparer[] = [];
  #writeHooks: RecordWriteHook[] = [];

  constructor(private readonly logError: ListenerErrorLog = (error) => console.error('record event listener failed:', error)) {}

  /** Subscribes to every committed create, update and delete. */
  on(handler: RecordEventHandler): Unsubscribe {
    this.#handlers = [...this.#handlers, handler];
    return () => {
      this.#handlers = this.#handlers.filter((h) => h !== handler);
    };
  }

  /** Subscribes to committed writes of one action. */
  onAction(action: RecordAction, handler: RecordEventHandler): Unsubscribe {
    return this.on((event) => (event.action === action ? handler(event) : undefined));
  }

  /** Subscribes to the delete-preparation step (see {@link RecordDeletePreparer}). */
  onPrepareDelete(preparer: RecordDeletePreparer): Unsubscribe {
    this.#preparers = [...this.#preparers, preparer];
    return () => {
      this.#preparers = this.#preparers.filter((p) => p !== preparer);
    };
  }

  /** Subscribes to the in-transaction step of every write (see {@link RecordWriteHook}). */
  onWriting(hook: RecordWriteHook): Unsubscribe {
    this.#writeHooks = [...this.#writeHooks, hook];
    return () => {
      this.#writeHooks = this.#writeHooks.filter((h) => h !== hook);
    };
  }

  /** Whether anyone listens at all (writers skip collecting events otherwise). */
  get active(): boolean {
    return this.#handlers.length > 0 || this.#preparers.length > 0 || this.#writeHooks.length > 0;
  }

  /** Whether any in-transaction hook is registered. */
  get hasWriteHooks(): boolean {
    return this.#writeHooks.length > 0;
  }

  /**
   * Runs the in-transaction hooks for the events of one write, inside its transaction `tx`;
   * unlike the after-commit handlers, a hook's error propagates (and rolls the write back).
   */
  async writing(events: readonly RecordEvent[], tx: RecordRepository): Promise<void> {
    if (events.length === 0) return;
    for (const hook of this.#writeHooks) await hook(events, tx);
  }

  /** Starts collecting the events of one write (one transaction); see {@link RecordEventBatch}. */
  batch(): RecordEventBatch {
    return new RecordEventBatch(this);
  }

  /** Delivers committed events to every handler; never throws. */
  emit(events: readonly RecordEvent[]): void {
    const handlers = this.#handlers;
    if (handlers.length === 0) return;
    for (const event of events) {
      for (const handler of handlers) {
        try {
          const result = handler(event);
          if (result instanceof Promise) result.catch((error: unknown) => this.logError(error, event));
        } catch (error) {
          this.logError(error, event);
        }
      }
    }
  }

  /** Runs the delete preparers for `event`; returns their after-commit callbacks. */
  async prepareDelete(event: RecordEvent): Promise<AfterCommit[]> {
    const out: AfterCommit[] = [];
    for (const preparer of this.#preparers) {
      try {
        const after = await preparer(event);
        if (typeof after === 'function') out.push(after);
      } catch (error) {
        this.logError(error, event);
      }
    }
    return out;
  }

  /** Reports the error of a listener (used by the batch for after-commit callbacks). */
  reportError(error: unknown, event: RecordEvent): void {
    this.logError(error, event);
  }
}

/**
 * The events of one write, collected while its transaction runs and delivered by `commit()` once
 * it committed; a rolled-back write simply drops its batch.
 */
export class RecordEventBatch {
  readonly #events: RecordEvent[] = [];
  readonly #afterCommit: Array<{ run: AfterCommit; event: RecordEvent }> = [];

  constructor(private readonly hub: RecordEvents) {}

  /** The events collected so far (for the in-transaction hooks). */
  get events(): readonly RecordEvent[] {
    return this.#events;
  }

  /** Records a create or update (or a delete that needs no preparation). */
  add(event: RecordEvent): void {
    this.#events.push(event);
  }

  /** Records a delete, running the preparers now (call it before the row is deleted). */
  async deleting(collection: CollectionModel, record: RecordData): Promise<void> {
    const event: RecordEvent = { action: 'delete', collection, record };
    for (const run of await this.hub.prepareDelete(event)) this.#afterCommit.push({ run, event });
    this.#events.push(event);
  }

  /** Delivers everything collected; call it after the transaction committed. */
  commit(): void {
    for (const { run, event } of this.#afterCommit) {
      try {
        run();
      } catch (error) {
        this.hub.reportError(error, event);
      }
    }
    this.hub.emit(this.#events);
  }
}
