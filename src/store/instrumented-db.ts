import type { Db, RunResult, SqlValue } from './db.js';
import type { Dialect } from './dialect.js';

/** Receives the duration of every database call. */
export type QueryObserver = (op: string, seconds: number, failed: boolean) => void;

/**
 * A Db that reports the duration of each `all/get/run/exec/transaction` call (metrics) and
 * otherwise forwards to the wrapped one. Plain methods on a class: no Proxy and no async frame per
 * call (the Proxy it replaces built a new async function on every property read, i.e. on every
 * query). Calls made inside a transaction run on the driver's own `tx` handle, so they count as
 * part of `transaction`.
 */
export class InstrumentedDb implements Db {
  readonly dialect: Dialect;
  readonly #db: Db;
  readonly #observe: QueryObserver;

  constructor(db: Db, observe: QueryObserver) {
    this.#db = db;
    this.#observe = observe;
    this.dialect = db.dialect;
  }

  /** The wrapped Db. */
  get inner(): Db {
    return this.#db;
  }

  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.#timed('all', performance.now(), this.#db.all<T>(sql, params));
  }

  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.#timed('get', performance.now(), this.#db.get<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return this.#timed('run', performance.now(), this.#db.run(sql, params));
  }

  /**
   * `pending`, its duration since `start` reported when it settles. One `.then` instead of an
   * async function with `try/finally`: reads are the hot path, and this costs a promise and a
   * resumption less. (The drivers' methods are async: they reject, they do not throw.)
   */
  #timed<T>(op: string, start: number, pending: Promise<T>): Promise<T> {
    return pending.then(
      (value) => {
        this.#observe(op, (performance.now() - start) / 1000, false);
        return value;
      },
      (err: unknown) => {
        this.#observe(op, (performance.now() - start) / 1000, true);
        throw err;
      },
    );
  }

  exec(sql: string): Promise<void> {
    return this.#timed('exec', performance.now(), this.#db.exec(sql));
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.#timed('transaction', performance.now(), this.#db.transaction(fn));
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

/** `db` reporting the duration of every call to `observe` (see {@link InstrumentedDb}). */
export function instrumentDb(db: Db, observe: QueryObserver): Db {
  return new InstrumentedDb(db, observe);
}
