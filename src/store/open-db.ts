import { DbUnavailableError, type Db } from './db.js';
import { SqliteDb } from './sqlite/sqlite-db.js';

export { DbUnavailableError };

/** Where the store lives: a database URL, or an SQLite file (`:memory:` for tests). */
export type DbTarget = string | { sqliteFile: string };

const SCHEMES: Record<string, 'postgres' | 'mysql' | 'sqlite'> = {
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
  'sqlite:': 'sqlite',
  'file:': 'sqlite',
};

/**
 * Opens the store for a target, choosing the driver by URL scheme: `postgres://`,
 * `postgresql://`, `mysql://`, `mariadb://`, or `{ sqliteFile }` (also `sqlite:path`/`file:path`).
 * Networked stores are pinged once, so a wrong host or password fails here with one clear
 * DbUnavailableError line rather than on the first request.
 */
export async function openDb(target: DbTarget): Promise<Db> {
  if (typeof target !== 'string') return new SqliteDb(target.sqliteFile);
  const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(target)?.[0].toLowerCase() ?? '';
  switch (SCHEMES[scheme]) {
    case 'postgres': {
      // The drivers are imported only for their URLs: an SQLite server never loads pg or mysql2.
      const { PostgresDb } = await import('./postgres/postgres-db.js');
      const db = new PostgresDb({ connectionString: target });
      await closeOnFailure(db, () => db.ping());
      return db;
    }
    case 'mysql': {
      const { MysqlDb } = await import('./mysql/mysql-db.js');
      const db = new MysqlDb({ url: target });
      await closeOnFailure(db, () => db.ping());
      return db;
    }
    case 'sqlite':
      return new SqliteDb(target.slice(scheme.length).replace(/^\/\//, '') || ':memory:');
    default:
      throw new Error(`Unsupported database URL "${redact(target)}": use postgres://, postgresql://, mysql://, mariadb:// or an SQLite file.`);
  }
}

/** Options of {@link openDbWithRetry}. */
export interface RetryOptions {
  /** How long to keep trying, in ms (default 30 s). */
  timeoutMs?: number;
  /** First delay in ms, doubled after each attempt up to 5 s (default 250). */
  initialDelayMs?: number;
  /** Called before each wait, e.g. to print one line. */
  onRetry?: (error: DbUnavailableError, delayMs: number) => void;
}

/**
 * {@link openDb} that keeps retrying, with exponential backoff, while the database is transiently
 * unavailable (refused, timed out, starting up): a server started together with its database
 * waits for it. Bad credentials or a missing database fail at once with their one-line message.
 */
export async function openDbWithRetry(target: DbTarget, options: RetryOptions = {}): Promise<Db> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let delay = options.initialDelayMs ?? 250;
  for (;;) {
    try {
      return await openDb(target);
    } catch (err) {
      if (!(err instanceof DbUnavailableError) || !err.transient || Date.now() + delay > deadline) throw err;
      options.onRetry?.(err, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return redact(url);
}

async function closeOnFailure(db: Db, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
