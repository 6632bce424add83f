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

/**
 * Runs after the write committed and before the write is answered: the writer waits for it (the
 * response cache moves its versions there, so no read after the answer can be stale). Errors are
 * logged and never fail the write.
 */
export type RecordCommittedHandler = (events: readonly RecordEvent[]) => void | Promise<void>;

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
  #committed: RecordCommittedHandler[] = [];

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

  /** Subscribes to committed writes, awaited before the write is answered (see {@link RecordCommittedHandler}). */
  onCommitted(handler: RecordCommittedHandler): Unsubscribe {
    this.#committed = [...this.#committed, handler];
    return () => {
      this.#committed = this.#committed.filter((h) => h !== handler);
    };
  }

  /** Whether anyone listens at all (writers skip collecting events otherwise). */
  get active(): boolean {
    return this.#handlers.length > 0 || this.#preparers.length > 0 || this.#writeHooks.length > 0 || this.#committed.length > 0;
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

  /**
   * Delivers committed events to every handler; never throws. Returns a promise only when an
   * awaited handler ({@link onCommitted}) is registered: the writer awaits it before answering.
   */
  emit(events: readonly RecordEvent[]): void | Promise<void> {
    const handlers = this.#handlers;
    const committed = this.#committed.length > 0 && events.length > 0 ? this.#runCommitted(events) : undefined;
    if (handlers.length === 0) return committed;
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
    return committed;
  }

  /** Runs the awaited handlers; a promise only when one of them returned one. */
  #runCommitted(events: readonly RecordEvent[]): void | Promise<void> {
    const waits: Promise<void>[] = [];
    const report = (error: unknown) => this.logError(error, events[0] as RecordEvent);
    for (const handler of this.#committed) {
      try {
        const result = handler(events);
        if (result instanceof Promise) waits.push(result.catch(report));
      } catch (error) {
        report(error);
      }
    }
    if (waits.length > 0) return Promise.all(waits).then(() => undefined);
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

  /** Delivers everything collected; call it after the transaction committed (and await what it returns). */
  commit(): void | Promise<void> {
    for (const { run, event } of this.#afterCommit) {
      try {
        run();
      } catch (error) {
        this.hub.reportError(error, event);
      }
    }
    return this.hub.emit(this.#events);
  }
}
