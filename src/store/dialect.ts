/**
 * The per-dialect part of the SQL contract: everything that differs between SQLite, PostgreSQL
 * and MySQL. Query builders and the filter compiler call these instead of writing dialect SQL.
 */
export type DialectName = 'sqlite' | 'postgres' | 'mysql';

import type { ColumnKind } from '../core/fields/field-type.js';

export type { ColumnKind };

export interface Dialect {
  readonly name: DialectName;
  /** Quotes an identifier that has already been checked against the schema. */
  quote(identifier: string): string;
  /** Column type for a kind, e.g. `TEXT`, `REAL`, `BOOLEAN`, `JSON`/`JSONB`. */
  columnType(kind: ColumnKind): string;
  /** Case-insensitive LIKE with `\` as the escape character. */
  like(left: string, right: string, negate: boolean): string;
  /** SQL expression: the JSON array length of `expr` (which holds JSON text or a JSON value). */
  jsonArrayLength(expr: string): string;
  /** SQL fragment usable as a FROM source of the elements of a JSON array: columns `value`. */
  jsonEach(expr: string, alias: string): string;
  /** SQL expression extracting `path` (like `$.a.b`) from a JSON column. */
  jsonExtract(expr: string, path: string): string;
  /** SQL expression for a random order. */
  random(): string;
  /** The `LIMIT ? OFFSET ?` clause. */
  limitOffset(limit: number, offset: number): string;
}
