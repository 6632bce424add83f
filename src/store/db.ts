import type { Dialect } from './dialect.js';

/** A value a driver accepts as a bound parameter. */
export type SqlValue = string | number | bigint | boolean | null | Buffer;

export interface RunResult {
  changes: number;
}

/**
 * The store's connection contract, the same for every dialect. SQL text uses `?` placeholders;
 * PostgresDb rewrites them to `$1` (postgres-placeholders.ts). Every method is async so that
 * the callers are the same for the embedded SQLite driver and the networked ones.
 */
export interface Db {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** Runs one or more statements without parameters (DDL, pragmas). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction on a connection of its own; commits when it resolves, rolls back
   * when it throws. Nested calls on the `tx` handle use savepoints.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A networked store that cannot be used: unreachable host, refused connection, bad credentials,
 * missing database. One clear line (no stack trace worth reading); each driver maps its own
 * connection errors to it (postgres-errors.ts, mysql-errors.ts).
 */
export class DbUnavailableError extends Error {
  readonly code = 'db_unavailable';
  /** True when waiting may help (refused, timed out, server starting); false for bad credentials. */
  readonly transient: boolean;
  constructor(message: string, options?: { cause?: unknown; transient?: boolean }) {
    super(message, options);
    this.name = 'DbUnavailableError';
    this.transient = options?.transient ?? true;
  }
}

/** Node's socket error codes that mean the server cannot be reached, as a reason. */
export const NETWORK_ERROR_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EAI_AGAIN: 'host name lookup failed',
};

/**
 * A DbUnavailableError for `product` at `target`: transient unless `reason` is one that waiting
 * does not fix (credentials, missing database); `detail` is appended to the message only.
 */
export function dbUnavailable(product: string, target: string, reason: string, cause: unknown, detail = ''): DbUnavailableError {
  const transient = !/authentication|authorization|access denied|does not exist|denied/.test(reason);
  return new DbUnavailableError(`${product} at ${target} is not usable: ${reason}${detail}`, { cause, transient });
}
