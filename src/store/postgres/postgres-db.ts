import pg from 'pg';
import { errors } from '../../core/errors/plinth-error.js';
import type { Db, RunResult, SqlValue } from '../db.js';
import { postgresDialect } from './postgres-dialect.js';
import { toPositional } from './postgres-placeholders.js';
import { postgresConnectError } from './postgres-errors.js';

/** OIDs of the types whose text form is parsed here rather than by pg's defaults. */
const OID = { bool: 16, int8: 20, json: 114, jsonb: 3802, numeric: 1700, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

const parseNumber = (text: string): number => Number(text);

/**
 * Rows come back like SQLite's: int8 (COUNT, SUM of integers) and NUMERIC as JS numbers (values
 * beyond 2^53 lose precision, as in SQLite's default mode), booleans as 1/0, and dates as the text
 * PostgreSQL prints (Plinth stores dates as text anyway), JSON as its text (as SQLite and mysql2's
 * `jsonStrings` give it). The parsers are per pool, not global.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    switch (oid) {
      case OID.bool:
        return (text: string) => (text === 't' ? 1 : 0);
      case OID.int8:
      case OID.numeric:
        return parseNumber;
      case OID.json:
      case OID.jsonb:
      case OID.date:
      case OID.timestamp:
      case OID.timestamptz:
        return (text: string) => text;
      default:
        return pg.types.getTypeParser(oid, format ?? 'text');
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Options of a PostgreSQL store. */
export interface PostgresDbOptions {
  /** `postgres://user:pass@host:port/db` (`?options=-c search_path=…` selects a schema). */
  connectionString: string;
  /** Pool size (default 10). */
  max?: number;
  /** Extra settings sent at connect time, e.g. `{ search_path: 'plinth' }`. */
  settings?: Record<string, string>;
}

/**
 * Prepared statements are named after their SQL text: `pg` prepares a named statement once per
 * connection and reuses it, the fastest path measured here (DESIGN §6). Names are never reused for
 * another text; after DDL (`exec`) a new generation of names starts, because a cached plan of a
 * `SELECT *` must not outlive a change of its tables.
 */
class StatementNames {
  readonly #names = new Map<string, string>();
  #counter = 0;
  #generation = 0;
  static readonly MAX = 2000;

  name(text: string): string {
    let name = this.#names.get(text);
    if (!name) {
      if (this.#names.size >= StatementNames.MAX) this.#names.clear();
      name = `plinth_${this.#generation}_${++this.#counter}`;
      this.#names.set(text, name);
    }
    return name;
  }

  reset(): void {
    this.#generation++;
    this.#names.clear();
  }
}

type Queryable = pg.Pool | pg.PoolClient;

function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((p) => (typeof p === 'bigint' ? p.toString() : p));
}

/** `pg`'s error for a prepared plan invalidated by DDL elsewhere (another node, another pool). */
const isStalePlan = (err: unknown): boolean =>
  (err as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String((err as Error).message));

/**
 * SQLSTATEs of a value PostgreSQL cannot hold (SQLite and MySQL can): a NUL character in text
 * (22021, "invalid byte sequence for encoding UTF8: 0x00") or in jsonb (22P05). They come from
 * what the client sent, so they answer 400 rather than 500.
 */
const UNSTORABLE_VALUE = new Set(['22021', '22P05']);

/** Runs statements on the pool or on one client; shared by PostgresDb and its transactions. */
class Executor {
  constructor(private readonly target: Queryable, private readonly names: StatementNames) {}

  async query(sql: string, params?: readonly SqlValue[]): Promise<pg.QueryResult> {
    const text = toPositional(sql);
    const values = bind(params);
    try {
      return await this.target.query({ name: this.names.name(text), text, values });
    } catch (err) {
      if (UNSTORABLE_VALUE.has((err as { code?: string }).code ?? '')) throw errors.badRequest(undefined, {}, err);
      if (!isStalePlan(err)) throw err;
      this.names.reset();
      return await this.target.query({ text, values });
    }
  }

  async exec(sql: string): Promise<void> {
    await this.target.query(sql);
    this.names.reset();
  }
}

/** A transaction handle on its own client; nested transactions become savepoints. */
class PostgresTx implements Db {
  readonly dialect = postgresDialect;
  readonly #exec: Executor;
  constructor(private readonly client: pg.PoolClient, private readonly names: StatementNames, private readonly depth: number) {
    this.#exec = new Executor(client, names);
  }

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return (await this.#exec.query(sql, params)).rows as T[];
  }
  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.#exec.query(sql, params)).rows[0] as T | undefined;
  }
  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return { changes: (await this.#exec.query(sql, params)).rowCount ?? 0 };
  }
  exec(sql: string): Promise<void> {
    return this.#exec.exec(sql);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `sp_${this.depth + 1}`;
    await this.client.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(new PostgresTx(this.client, this.names, this.depth + 1));
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      throw err;
    }
  }
  async close(): Promise<void> {
    throw new Error('close() is not available inside a transaction');
  }
}

/**
 * PostgreSQL through a `pg.Pool`. Plain calls take any pooled connection; `transaction` holds one
 * client for its whole callback.
 *
 * Isolation is READ COMMITTED (PostgreSQL's default): every statement sees the rows committed
 * before it started, writers block only writers of the same rows, and nothing needs a
 * serialization-failure retry loop. The store's read-modify-write spots use row-level statements
 * (`UPDATE … SET n = n + 1`, `SELECT … FOR UPDATE`) or unique constraints rather than relying on
 * snapshot isolation; callers that need a stricter level can issue `SET TRANSACTION` themselves
 * as the first statement.
 */
export class PostgresDb implements Db {
  readonly dialect = postgresDialect;
  readonly #pool: pg.Pool;
  readonly #names = new StatementNames();
  readonly #exec: Executor;
  readonly #target: string;

  constructor(options: PostgresDbOptions) {
    const settings = { TimeZone: 'UTC', ...options.settings };
    const pgOptions = Object.entries(settings).map(([k, v]) => `-c ${k}=${v.replaceAll(' ', '\\ ')}`).join(' ');
    const url = new URL(options.connectionString);
    const extra = url.searchParams.get('options');
    this.#target = `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      types: typeParsers,
      options: extra ? `${extra} ${pgOptions}` : pgOptions,
      connectionTimeoutMillis: 10_000,
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    this.#pool.on('error', () => undefined);
    this.#exec = new Executor(this.#pool, this.#names);
  }

  /** Opens a connection once so that a wrong URL fails now, with a clear message. */
  async ping(): Promise<void> {
    try {
      await this.#pool.query('SELECT 1');
    } catch (err) {
      throw postgresConnectError(err, this.#target);
    }
  }

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return (await this.#run(sql, params)).rows as T[];
  }

  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.#run(sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return { changes: (await this.#run(sql, params)).rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.#exec.exec(sql);
    } catch (err) {
      throw postgresConnectError(err, this.#target);
    }
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw postgresConnectError(err, this.#target);
    }
    let broken = false;
    // A checked-out client has no pool listener: a server that dies between two of the
    // transaction's queries would emit an unhandled 'error' and end the process. The failing
    // query reports it instead (regression: a PostgreSQL kill -9 crashed every node).
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      try {
        const result = await fn(new PostgresTx(client, this.#names, 0));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw postgresConnectError(err, this.#target);
      }
    } catch (err) {
      // BEGIN or COMMIT on a connection the server dropped
      throw postgresConnectError(err, this.#target);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }

  async #run(sql: string, params?: readonly SqlValue[]): Promise<pg.QueryResult> {
    try {
      return await this.#exec.query(sql, params);
    } catch (err) {
      throw postgresConnectError(err, this.#target);
    }
  }
}
