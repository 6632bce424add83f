import { RecordEventBatch, RecordEvents, type RecordEvent } from '../events/record-events.js';
import type { RecordRepository } from './record-repository.js';

/**
 * A record-event hub for writes nested in an outer transaction (the batch API): everything the
 * inner writes deliver (events and after-commit callbacks) is held until `flush()`, which the owner
 * calls once the outer transaction committed; a rollback just drops the hub. Delete preparers
 * and in-transaction hooks still run inside the transaction, as they must.
 */
export class DeferredRecordEvents extends RecordEvents {
  readonly #queue: Array<() => void | Promise<void>> = [];
  #flushing = false;

  constructor(private readonly target: RecordEvents) {
    super((error, event) => target.reportError(error, event));
  }

  override get active(): boolean {
    return this.target.active;
  }

  override batch(): RecordEventBatch {
    const queue = this.#queue;
    return new (class extends RecordEventBatch {
      override commit(): void {
        queue.push(() => super.commit());
      }
    })(this);
  }

  override emit(events: readonly RecordEvent[]): void | Promise<void> {
    if (this.#flushing) return this.target.emit(events);
    this.#queue.push(() => this.target.emit(events));
  }

  override get hasWriteHooks(): boolean {
    return this.target.hasWriteHooks;
  }

  override writing(events: readonly RecordEvent[], tx: RecordRepository): Promise<void> {
    return this.target.writing(events, tx);
  }

  override prepareDelete(event: RecordEvent): ReturnType<RecordEvents['prepareDelete']> {
    return this.target.prepareDelete(event);
  }

  /**
   * Delivers everything held, in order; call it after the outer transaction committed, and await
   * what it returns (the awaited handlers of every write, see RecordEvents.onCommitted).
   */
  flush(): void | Promise<void> {
    const waits: Promise<void>[] = [];
    this.#flushing = true;
    try {
      for (const run of this.#queue.splice(0)) {
        const wait = run();
        if (wait) waits.push(wait);
      }
    } finally {
      this.#flushing = false;
    }
    if (waits.length > 0) return Promise.all(waits).then(() => undefined);
  }
}
