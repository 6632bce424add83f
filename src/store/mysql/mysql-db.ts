import mysql from 'mysql2/promise';
import type { Db, RunResult, SqlValue } from '../db.js';
import { mysqlDialect } from './mysql-dialect.js';
import { mysqlConnectError } from './mysql-errors.js';
import { splitStatements } from './mysql-statements.js';

/**
 * Session settings of every connection, so that the SQL the store writes means the same on any
 * server configuration:
 * - NO_BACKSLASH_ESCAPES: `'\'` is one backslash (the LIKE escape), as in SQLite and PostgreSQL;
 *   ANSI_QUOTES is left off and irrelevant, since identifiers are always quoted with backticks and
 *   strings with single quotes;
 * - utf8mb4 with the binary collation: case-sensitive `=` and byte-order sorting, like SQLite's
 *   BINARY collation (the default `*_ci` collations would make `title = "hello"` match "Hello");
 * - UTC, and READ COMMITTED (see MysqlDb).
 */
const SESSION_SQL = [
  "SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'",
  'SET NAMES utf8mb4 COLLATE utf8mb4_bin',
  "SET SESSION time_zone = '+00:00'",
  'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED',
];

/** Options of a MySQL/MariaDB store. */
export interface MysqlDbOptions {
  /** `mysql://user:pass@host:port/db` (also `mariadb://`). */
  url: string;
  /** Pool size (default 10). */
  connectionLimit?: number;
}

type Connection = mysql.Pool | mysql.PoolConnection;

function bind(params: readonly SqlValue[] | undefined): unknown[] {
  if (!params) return [];
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : typeof p === 'bigint' ? p.toString() : p));
}

function poolOptions(url: string, connectionLimit: number, multipleStatements: boolean): mysql.PoolOptions {
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || undefined,
    connectionLimit,
    multipleStatements,
    charset: 'UTF8MB4_BIN',
    // Rows like SQLite's: DECIMAL and BIGINT as JS numbers, dates and JSON as their text.
    decimalNumbers: true,
    supportBigNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    timezone: 'Z',
    connectTimeout: 10_000,
  };
}

function createPool(options: mysql.PoolOptions): mysql.Pool {
  const pool = mysql.createPool(options);
  // The core pool hands out callback-style connections: queries queue, so these run first.
  pool.pool.on('connection', (conn) => {
    for (const sql of SESSION_SQL) conn.query(sql);
  });
  return pool;
}

type ResultRows = mysql.RowDataPacket[] | mysql.ResultSetHeader;

/** Statements on the pool or on one connection (`execute` = server-side prepared, cached). */
async function execute(target: Connection, sql: string, params?: readonly SqlValue[]): Promise<ResultRows> {
  const [result] = await target.execute<ResultRows>(sql, bind(params) as never);
  return result;
}

const rowsOf = <T>(result: ResultRows): T[] => (Array.isArray(result) ? (result as T[]) : []);
const changesOf = (result: ResultRows): number => (Array.isArray(result) ? 0 : result.affectedRows);

/**
 * A transaction handle on its own connection; nested transactions become savepoints. `exec` splits
 * its script here (the connection has no `multipleStatements`). Note that MySQL commits implicitly
 * before most DDL, so DDL inside a transaction is not rolled back as it is on SQLite/PostgreSQL.
 */
class MysqlTx implements Db {
  readonly dialect = mysqlDialect;
  constructor(private readonly conn: mysql.PoolConnection, private readonly depth: number) {}

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return rowsOf<T>(await execute(this.conn, sql, params));
  }
  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return rowsOf<T>(await execute(this.conn, sql, params))[0];
  }
  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return { changes: changesOf(await execute(this.conn, sql, params)) };
  }
  async exec(sql: string): Promise<void> {
    for (const stmt of splitStatements(sql)) await this.conn.query(stmt);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `sp_${this.depth + 1}`;
    await this.conn.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(new MysqlTx(this.conn, this.depth + 1));
      await this.#savepoint(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await this.#savepoint(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  }
  /** DDL inside the savepoint committed implicitly and erased it: nothing is left to release. */
  async #savepoint(sql: string): Promise<void> {
    try {
      await this.conn.query(sql);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ER_SP_DOES_NOT_EXIST') throw err;
    }
  }
  async close(): Promise<void> {
    throw new Error('close() is not available inside a transaction');
  }
}

/**
 * MySQL 8 / MariaDB 10.6+ through a `mysql2/promise` pool. Statements run as server-side prepared
 * statements (`execute`, cached per connection by mysql2); `exec` uses a separate one-connection
 * pool with `multipleStatements`, the only place scripts are allowed.
 *
 * Isolation is READ COMMITTED, as on PostgreSQL, instead of InnoDB's REPEATABLE READ default: the
 * same visibility rules on both networked dialects, and no gap locks on range scans.
 * `changes` counts matched rows (mysql2 sets CLIENT_FOUND_ROWS), like SQLite.
 */
export class MysqlDb implements Db {
  readonly dialect = mysqlDialect;
  readonly #pool: mysql.Pool;
  readonly #options: mysql.PoolOptions;
  #scriptPool: mysql.Pool | undefined;
  readonly #target: string;

  constructor(options: MysqlDbOptions) {
    this.#options = poolOptions(options.url, options.connectionLimit ?? 10, false);
    this.#target = `${this.#options.host}:${this.#options.port}/${this.#options.database ?? ''}`;
    this.#pool = createPool(this.#options);
  }

  /** Opens a connection once so that a wrong URL fails now, with a clear message. */
  async ping(): Promise<void> {
    await this.#guard(() => this.#pool.query('SELECT 1'));
  }

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return rowsOf<T>(await this.#guard(() => execute(this.#pool, sql, params)));
  }

  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return { changes: changesOf(await this.#guard(() => execute(this.#pool, sql, params))) };
  }

  async exec(sql: string): Promise<void> {
    this.#scriptPool ??= createPool({ ...this.#options, connectionLimit: 1, multipleStatements: true });
    const pool = this.#scriptPool;
    await this.#guard(() => pool.query(sql));
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const conn = await this.#guard(() => this.#pool.getConnection());
    let broken = false;
    try {
      await conn.query('START TRANSACTION');
      try {
        const result = await fn(new MysqlTx(conn, 0));
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await conn.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw mysqlConnectError(err, this.#target);
      }
    } catch (err) {
      // START TRANSACTION or COMMIT on a connection the server dropped
      throw mysqlConnectError(err, this.#target);
    } finally {
      if (broken) conn.destroy();
      else conn.release();
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.end(), this.#scriptPool?.end()]);
  }

  async #guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw mysqlConnectError(err, this.#target);
    }
  }
}
