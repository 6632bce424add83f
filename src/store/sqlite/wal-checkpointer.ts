import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { startSqliteWorker } from './sqlite-worker.js';

export interface WalCheckpointerOptions {
  /** How long after a write the checkpoint runs: the writes in between share it. Default 100 ms. */
  delayMs?: number;
  /** A worker with nothing to do for this long is stopped (an idle server keeps no thread). Default 30 s. */
  idleStopMs?: number;
  /**
   * A checkpoint waits until this many commits, or a WAL file of `minWalBytes`: a quiet server's
   * few writes (start-up, an admin's edits) start no thread, as SQLite's own checkpoint would
   * wait for 1,000 pages. Defaults 100 and 4 MiB.
   */
  minCommits?: number;
  minWalBytes?: number;
  /**
   * Runs `fn` while no write can start: the store's write lock. A checkpoint that races the
   * writer never copies the last frames, so the WAL would never start over and grow for ever.
   */
  exclusive?: (fn: () => Promise<void>) => Promise<void>;
}

/**
 * The worker: a connection of its own that copies the WAL back whenever it is asked to, and
 * answers when done. A checkpoint that fails (a busy file, say) is not an error of the worker:
 * the next write asks again.
 */
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 10000');
parentPort.on('message', (m) => {
  if (m === 'close') { db.close(); parentPort.close(); return; }
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  parentPort.postMessage('done');
});
`;

/**
 * Checkpoints an SQLite WAL from a worker thread. SQLite's automatic checkpoint runs inside the
 * commit that crosses 1,000 WAL pages, on the event loop, and ends with an `fsync` of the
 * database file during which no request is served (~22 µs per create, amortised, in the
 * benchmark). The store turns the automatic checkpoint off and calls {@link wrote} after each
 * commit; `delayMs` later the worker checkpoints twice: once beside the writes (the bulk of the
 * copy), then once more under the store's write lock, which copies the few frames left so that
 * the next write starts the WAL over. Only writes wait for that second pass; reads and
 * everything else on the event loop go on.
 *
 * When the worker cannot start or dies, `onFailure` is called once: the store turns SQLite's own
 * automatic checkpoint back on, so the WAL can never grow without bound.
 */
export class WalCheckpointer {
  readonly #file: string;
  readonly #onFailure: (err: Error) => void;
  readonly #delayMs: number;
  readonly #idleStopMs: number;
  readonly #exclusive: (fn: () => Promise<void>) => Promise<void>;
  readonly #minCommits: number;
  readonly #minWalBytes: number;
  /** Commits since the last checkpoint started. */
  #commits = 0;
  #worker: Worker | null = null;
  #reply: { resolve: () => void; reject: (err: Error) => void } | null = null;
  #timer: NodeJS.Timeout | null = null;
  #idleTimer: NodeJS.Timeout | null = null;
  /** The checkpoint being run (waiting for the write lock or in the worker). */
  #round: Promise<void> | null = null;
  #failed = false;
  #closed = false;
  /** `flush` callers waiting for the next checkpoint. */
  #next: Array<() => void> = [];

  constructor(file: string, onFailure: (err: Error) => void, options: WalCheckpointerOptions = {}) {
    this.#file = file;
    this.#onFailure = onFailure;
    this.#delayMs = options.delayMs ?? 100;
    this.#idleStopMs = options.idleStopMs ?? 30_000;
    this.#exclusive = options.exclusive ?? ((fn) => fn());
    this.#minCommits = options.minCommits ?? 100;
    this.#minWalBytes = options.minWalBytes ?? 4 << 20;
  }

  /** Whether the worker thread is running (tests, diagnostics). */
  get running(): boolean {
    return this.#worker !== null;
  }

  /** After a committed write: schedules a checkpoint. Cheap enough for every commit. */
  wrote(): void {
    this.#commits++;
    this.#schedule();
  }

  /** Arms the timer for the next checkpoint, unless one is armed or running. */
  #schedule(): void {
    if (this.#timer || this.#round || this.#failed || this.#closed) return;
    if (this.#idleTimer) {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = null;
    }
    this.#timer = setTimeout(() => this.#run(), this.#delayMs);
    this.#timer.unref();
  }

  /** Checkpoints now; resolves when a checkpoint that started after this call is done. */
  flush(): Promise<void> {
    if (this.#failed || this.#closed) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.#next.push(resolve));
    if (!this.#round) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#run(true);
    }
    return done;
  }

  /** Waits for a checkpoint in flight, then stops the worker. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#timer = this.#idleTimer = null;
    await this.#round;
    for (const resolve of this.#next.splice(0)) resolve();
    await this.#stop();
  }

  /** Runs a checkpoint; unless `force`d, only when there is enough to copy. */
  #run(force = false): void {
    this.#timer = null;
    if (this.#failed || (!force && this.#commits === 0)) return this.#settle();
    // too little to copy yet: the next write looks again
    if (!force && this.#commits < this.#minCommits && this.#walBytes() < this.#minWalBytes) return;
    const waiters = this.#next;
    this.#next = [];
    // the bulk of the copy runs beside the writes; the rest under the lock is short
    this.#round = this.#checkpoint()
      .then(() => this.#exclusive(() => {
        // no write can commit until this checkpoint is done
        this.#commits = 0;
        return this.#checkpoint();
      }))
      .catch((err: unknown) => this.#fail(err))
      .finally(() => {
        this.#round = null;
        for (const resolve of waiters) resolve();
        if (this.#closed) return;
        // a flush that came during this round wants a round that started after it
        if (this.#next.length > 0) this.#run(true);
        else if (this.#commits > 0) this.#schedule();
        else this.#settle();
      });
  }

  #walBytes(): number {
    try {
      return statSync(`${this.#file}-wal`).size;
    } catch {
      return 0;
    }
  }

  /** One checkpoint in the worker (started on first use). Its own errors are not failures. */
  #checkpoint(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#worker ??= this.#start();
      this.#reply = { resolve, reject };
      this.#worker.postMessage('checkpoint');
    });
  }

  #start(): Worker {
    const worker = startSqliteWorker(WORKER_SOURCE, { file: this.#file });
    worker.unref();
    const answer = (err?: Error) => {
      const reply = this.#reply;
      this.#reply = null;
      if (err) reply?.reject(err);
      else reply?.resolve();
    };
    worker.on('message', () => answer());
    worker.on('error', (err) => answer(err));
    worker.on('exit', () => {
      if (this.#worker === worker) this.#worker = null;
      answer(new Error('the WAL checkpoint worker exited'));
    });
    return worker;
  }

  /** Nothing left to do: wakes the callers still waiting, and stops the worker after a while. */
  #settle(): void {
    for (const resolve of this.#next.splice(0)) resolve();
    if (this.#closed || this.#idleTimer || !this.#worker) return;
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (!this.#round && !this.#timer) void this.#stop();
    }, this.#idleStopMs);
    this.#idleTimer.unref();
  }

  async #stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }

  #fail(err: unknown): void {
    if (!this.#failed) {
      this.#failed = true;
      this.#onFailure(err instanceof Error ? err : new Error(String(err)));
    }
    const worker = this.#worker;
    this.#worker = null;
    void worker?.terminate();
  }
}
