import Database from 'better-sqlite3';
import { setBounded } from '../bounded-map.js';
import type { Db, RunResult, SqlValue } from '../db.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { RowStatement } from './sqlite-rows.js';
import { WalCheckpointer } from './wal-checkpointer.js';

type Connection = Database.Database;

const STATEMENT_CACHE_SIZE = 500;

/** Serialises async critical sections: one writer at a time on the write connection. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  #held = 0;

  /** Whether no critical section is running or waiting. */
  get idle(): boolean {
    return this.#held === 0;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.#held++;
    const release = () => {
      this.#held--;
    };
    const result = this.#tail.then(fn, fn);
    this.#tail = result.then(release, release);
    return result;
  }
}

/** A prepared statement, and its row-reading form once it has been read from. */
interface CachedStatement {
  stmt: Database.Statement;
  rows: RowStatement | null;
}

class StatementCache {
  readonly #map = new Map<string, CachedStatement>();
  constructor(private readonly conn: Connection) {}
  get(sql: string): CachedStatement {
    const cached = this.#map.get(sql);
    return cached ?? setBounded(this.#map, sql, { stmt: this.conn.prepare(sql), rows: null }, STATEMENT_CACHE_SIZE);
  }
  /** The statement for `all`/`get`; one that returns no data throws the driver's own error. */
  reader(sql: string): RowStatement {
    const cached = this.get(sql);
    if (cached.rows) return cached.rows;
    if (!cached.stmt.reader) cached.stmt.all(); // "This statement does not return data. Use run() instead"
    return (cached.rows = new RowStatement(cached.stmt));
  }
  clear(): void {
    this.#map.clear();
  }
}

function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

function openConnection(file: string, readonly: boolean): Connection {
  const conn = new Database(file, { readonly });
  conn.pragma('busy_timeout = 10000');
  if (!readonly) {
    conn.pragma('journal_mode = WAL');
    conn.pragma('foreign_keys = ON');
  }
  conn.pragma('synchronous = NORMAL');
  conn.pragma('cache_size = -32000');
  conn.pragma('temp_store = MEMORY');
  return conn;
}

/** Runs statements on one connection; `returnsRows` tells `all/get` from `run`. */
class ConnectionExecutor {
  readonly statements: StatementCache;
  /** Called after DDL so that every connection drops statements prepared for the old schema. */
  onSchemaChange: () => void = () => this.statements.clear();
  constructor(readonly conn: Connection) {
    this.statements = new StatementCache(conn);
  }
  all<T>(sql: string, params?: readonly SqlValue[]): T[] {
    return this.statements.reader(sql).all(bind(params)) as T[];
  }
  get<T>(sql: string, params?: readonly SqlValue[]): T | undefined {
    return this.statements.reader(sql).get(bind(params)) as T | undefined;
  }
  run(sql: string, params?: readonly SqlValue[]): RunResult {
    const info = this.statements.get(sql).stmt.run(...bind(params));
    return { changes: info.changes };
  }
  exec(sql: string): void {
    this.conn.exec(sql);
    this.onSchemaChange();
  }
}

/** A transaction handle bound to the write connection; nested transactions become savepoints. */
class SqliteTx implements Db {
  readonly dialect = sqliteDialect;
  #depth: number;
  constructor(private readonly writer: ConnectionExecutor, depth: number) {
    this.#depth = depth;
  }
  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.writer.all<T>(sql, params);
  }
  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.writer.get<T>(sql, params);
  }
  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return this.writer.run(sql, params);
  }
  async exec(sql: string): Promise<void> {
    this.writer.exec(sql);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `sp_${this.#depth + 1}`;
    this.writer.conn.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(new SqliteTx(this.writer, this.#depth + 1));
      this.writer.conn.exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      this.writer.conn.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw err;
    }
  }
  async close(): Promise<void> {
    throw new Error('close() is not available inside a transaction');
  }
}

/**
 * SQLite through better-sqlite3: one write connection whose transactions are serialised by a
 * mutex, and one read connection that, in WAL mode, only ever sees committed data. Reads use the
 * write connection while it is idle and the read connection while a write is in flight, so reads
 * never wait for writers, and a query of another request can never slip into an open transaction.
 * The WAL is copied back into the database file by a worker thread (wal-checkpointer.ts), not by
 * the commits on the event loop.
 */
export class SqliteDb implements Db {
  readonly dialect = sqliteDialect;
  readonly #writer: ConnectionExecutor;
  readonly #reader: ConnectionExecutor;
  readonly #writeLock = new Mutex();
  /** Prepared once: `exec` would compile these texts again for every write. */
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #checkpointer: WalCheckpointer | null = null;

  constructor(readonly file: string) {
    const writer = openConnection(file, false);
    this.#writer = new ConnectionExecutor(writer);
    this.#reader = file === ':memory:' ? this.#writer : new ConnectionExecutor(openConnection(file, true));
    this.#begin = writer.prepare('BEGIN IMMEDIATE');
    this.#commit = writer.prepare('COMMIT');
    if (file !== ':memory:') {
      writer.pragma('wal_autocheckpoint = 0');
      // without the worker, SQLite's own checkpoint (every 1,000 pages) takes over again
      this.#checkpointer = new WalCheckpointer(file, () => {
        if (writer.open) writer.pragma('wal_autocheckpoint = 1000');
      }, { exclusive: (fn) => this.#writeLock.run(fn) });
    }
    this.#writer.onSchemaChange = () => {
      this.#writer.statements.clear();
      this.#reader.statements.clear();
    };
  }

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.#readConnection().all<T>(sql, params);
  }

  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.#readConnection().get<T>(sql, params);
  }

  /**
   * Where a read outside a transaction runs: on the write connection while no write is running
   * or waiting, else on the read connection. SQLite empties a connection's page cache whenever
   * another connection has committed, so with every read on the read connection, each read that
   * followed a write started cold (an update's read of its record: 287 → 203 µs of CPU per
   * update once it moved, docs/performance.md). The read is synchronous: no transaction can open
   * on the write connection under it.
   */
  #readConnection(): ConnectionExecutor {
    return this.#writeLock.idle ? this.#writer : this.#reader;
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return this.#writeLock.run(async () => {
      const result = this.#writer.run(sql, params);
      this.#checkpointer?.wrote();
      return result;
    });
  }

  exec(sql: string): Promise<void> {
    return this.#writeLock.run(async () => {
      this.#writer.exec(sql);
      this.#checkpointer?.wrote();
    });
  }

  /** Whether the WAL checkpoint worker is running (tests, diagnostics). */
  get checkpointRunning(): boolean {
    return this.#checkpointer?.running ?? false;
  }

  /** Copies the WAL into the database file now; resolves when done (tests, diagnostics). */
  checkpoint(): Promise<void> {
    return this.#checkpointer?.flush() ?? Promise.resolve();
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return this.#writeLock.run(async () => {
      this.#begin.run();
      try {
        const result = await fn(new SqliteTx(this.#writer, 0));
        this.#commit.run();
        this.#checkpointer?.wrote();
        return result;
      } catch (err) {
        if (this.#writer.conn.inTransaction) this.#writer.conn.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    // the worker's connection closes first: the last one to close removes the WAL
    await this.#checkpointer?.close();
    await this.#writeLock.run(async () => {
      if (this.#reader !== this.#writer) this.#reader.conn.close();
      this.#writer.conn.close();
    });
  }
}
