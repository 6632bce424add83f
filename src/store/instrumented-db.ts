import type { Db, RunResult, SqlValue } from './db.js';
import type { Dialect } from './dialect.js';

/** Receives the duration of every database call. */
export type QueryObserver = (op: string, seconds: number, failed: boolean) => void;

/**
 * A Db that reports the duration of each `all/get/run/exec/transaction` call (metrics) and
 * otherwise forwards to the wrapped one. Plain methods on a class: no Proxy and no closure per
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

  async all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    const start = performance.now();
    let failed = true;
    try {
      const rows = await this.#db.all<T>(sql, params);
      failed = false;
      return rows;
    } finally {
      this.#observe('all', (performance.now() - start) / 1000, failed);
    }
  }

  async get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    const start = performance.now();
    let failed = true;
    try {
      const row = await this.#db.get<T>(sql, params);
      failed = false;
      return row;
    } finally {
      this.#observe('get', (performance.now() - start) / 1000, failed);
    }
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    const start = performance.now();
    let failed = true;
    try {
      const result = await this.#db.run(sql, params);
      failed = false;
      return result;
    } finally {
      this.#observe('run', (performance.now() - start) / 1000, failed);
    }
  }

  async exec(sql: string): Promise<void> {
    const start = performance.now();
    let failed = true;
    try {
      await this.#db.exec(sql);
      failed = false;
    } finally {
      this.#observe('exec', (performance.now() - start) / 1000, failed);
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const start = performance.now();
    let failed = true;
    try {
      const result = await this.#db.transaction(fn);
      failed = false;
      return result;
    } finally {
      this.#observe('transaction', (performance.now() - start) / 1000, failed);
    }
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

/** `db` reporting the duration of every call to `observe` (see {@link InstrumentedDb}). */
export function instrumentDb(db: Db, observe: QueryObserver): Db {
  return new InstrumentedDb(db, observe);
}
