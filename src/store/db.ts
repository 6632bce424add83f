import type { Dialect } from './dialect.js';

/** A value a driver accepts as a bound parameter. */
export type SqlValue = string | number | bigint | boolean | null | Buffer;

export interface RunResult {
  changes: number;
}

/**
 * The store's connection contract, the same for every dialect. SQL text uses `?` placeholders;
 * dialects that need `$1` rewrite them (see Dialect.placeholders). Every method is async so that
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
