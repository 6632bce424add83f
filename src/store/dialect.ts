/**
 * The per-dialect part of the SQL contract: everything that differs between SQLite, PostgreSQL
 * and MySQL. Query builders and the filter compiler call these instead of writing dialect SQL.
 */
export type DialectName = 'sqlite' | 'postgres' | 'mysql';

import type { ParsedIndex } from '../core/collections/index-parser.js';
import type { ColumnKind, ColumnSpec } from '../core/fields/field-type.js';

export type { ColumnKind };

/** A collection index to create: the parsed PocketBase-style statement and the table's columns. */
export interface IndexSpec {
  /** Parsed `CREATE INDEX` with `tableName` set to the collection's table. */
  index: ParsedIndex;
  /** Column name → kind, for every column of the table (exact names). */
  columns: ReadonlyMap<string, ColumnKind>;
}

export interface Dialect {
  readonly name: DialectName;
  /** Quotes an identifier that has already been checked against the schema. */
  quote(identifier: string): string;
  /** Column type for a kind, e.g. `TEXT`, `REAL`, `BOOLEAN`, `JSON`/`JSONB`. */
  columnType(kind: ColumnKind): string;
  /** Case-insensitive LIKE with `\` as the escape character. */
  like(left: string, right: string, negate: boolean): string;
  /** SQL fragment usable as a FROM source of the elements of a JSON array: columns `value`. */
  jsonEach(expr: string, alias: string): string;
  /** SQL expression for a random order. */
  random(): string;
  /** The `LIMIT ? OFFSET ?` clause. */
  limitOffset(limit: number, offset: number): string;
  /**
   * The row-lock clause appended to a SELECT in a transaction (` FOR UPDATE`), or `''` where the
   * write transaction already serialises writers (SQLite's BEGIN IMMEDIATE).
   */
  forUpdate(): string;

  // --- filter compiler (src/store/filter) ---------------------------------------------------------
  /**
   * A FROM source (`<source> <alias>`) over the items of `expr`, which holds a JSON array text or a
   * plain scalar (treated as a one-item array); the items are in column `<alias>.value`.
   */
  jsonItems(expr: string, alias: string): string;
  /** An aggregate of `expr` over the rows of a query, as one JSON array text (the rule tester's values). */
  jsonArrayAgg(expr: string): string;
  /** Item count of `expr` (JSON array text or scalar); `''` and NULL count as 0. */
  jsonItemCount(expr: string): string;
  /**
   * The value at `path` (`''` for the whole value, `.a.b`, `[0]`, `.a[1]`; segments are `\w+`) of
   * `expr`, which holds JSON text or a plain scalar; NULL when missing.
   */
  jsonValueAt(expr: string, path: string): string;
  /** String concatenation of SQL expressions. */
  concat(...parts: string[]): string;
  /** Great-circle distance in km between two lon/lat points (SQL expressions), haversine formula. */
  geoDistance(lonA: string, latA: string, lonB: string, latB: string): string;
  /** SQLite-style `strftime(format, timeValue, modifiers…)` over SQL expressions. */
  strftime(args: readonly string[]): string;
  /** The implicit row id column of `alias` (for the `@rowid` sort), or null when there is none. */
  rowid(alias: string): string | null;
  /** The filter keywords `true`/`false` (SQLite `1`/`0`; `TRUE`/`FALSE` where booleans are typed). */
  booleanLiteral(value: boolean): string;
  /** Null-safe equality (`IS` / `IS NOT` in SQLite): NULL equals NULL, never unknown. */
  nullSafeEqual(left: string, right: string, negate: boolean): string;
  /**
   * `expr` as text for the NULL/`''` normalisation of `=`/`!=` (`expr = ''`, `COALESCE(expr, '')`),
   * so that a number or boolean column can meet `''`: unchanged where typing is loose (SQLite).
   */
  textValue(expr: string): string;
  /**
   * Makes `expr` comparable with a `jsonValueAt` result; `hint` is the JS type of a bound value, or
   * `sql` for any other expression. Unchanged where `jsonValueAt` yields plain SQL values (SQLite).
   */
  jsonComparable(expr: string, hint: 'string' | 'number' | 'boolean' | 'sql'): string;
  /** The text of a `jsonValueAt` result for LIKE (JSON strings without their quotes). */
  jsonText(expr: string): string;
  /** An ORDER BY direction with SQLite's NULL placement (NULLs first ascending, last descending). */
  orderDirection(desc: boolean): string;

  // --- DDL (src/store/collections, src/store/schema) ---------------------------------------------
  /** False where DDL commits the open transaction (MySQL): DDL then cannot be rolled back. */
  readonly transactionalDdl: boolean;
  /** The type, default and constraints of a column, e.g. `TEXT DEFAULT '' NOT NULL`. */
  columnDefinition(spec: ColumnSpec): string;
  /** Names of the tables and views of the current schema: a query returning one `name` column. */
  listTablesSql(): string;
  /** The column names of a table or view: a query returning one `name` column (no parameters). */
  tableColumnsSql(table: string): string;
  /** SQL expression for a column default: the current UTC time as `2006-01-02 15:04:05.000Z`. */
  nowDefault(): string;
  /**
   * The statements creating a collection index in this dialect (PocketBase stores them as SQLite
   * text). Identifiers in column expressions and `WHERE` are re-quoted; see each dialect for limits.
   */
  createIndexSql(spec: IndexSpec): string[];
  /** Names of the secondary (non primary key) indexes of a table: one `?` (table name), column `name`. */
  listIndexesSql(): string;
  /**
   * Prefix of hidden helper columns that `createIndexSql` adds to a table (MySQL's partial unique
   * indexes) and that go with its indexes, or null when it adds none.
   */
  readonly indexHelperPrefix: string | null;
  /** Drops an index of `table`. */
  dropIndexSql(name: string, table: string): string;
  /** The table of an index by name (case-insensitive): one `?` (index name), column `tbl_name`. */
  indexOwnerSql(): string;
  /** `INSERT` of `rowCount` rows of `columns` that skips rows whose primary/unique key exists. */
  insertIgnoreSql(table: string, columns: readonly string[], rowCount: number): string;
  /** `INSERT` of one row that overwrites the other columns when the row with `key` exists. */
  upsertSql(table: string, columns: readonly string[], key: string): string;
}

const valuesRowsCache = new Map<string, string>();

/** `(?, ?), (?, ?)`: the VALUES rows of a multi-row insert (memoised: every insert asks). */
export function valuesRows(columnCount: number, rowCount: number): string {
  const key = `${columnCount}x${rowCount}`;
  let text = valuesRowsCache.get(key);
  if (text === undefined) {
    const row = `(${new Array<string>(columnCount).fill('?').join(', ')})`;
    text = new Array<string>(rowCount).fill(row).join(', ');
    if (valuesRowsCache.size < 1000) valuesRowsCache.set(key, text);
  }
  return text;
}

/** `text` as a SQL string literal (`'it''s'`), the same in every dialect. */
export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A column default as SQL: `NULL`, `TRUE`/`FALSE`, a number, or `text(value)` for a string. */
export function defaultLiteral(value: ColumnSpec['defaultValue'], text: (value: string) => string = sqlString): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return typeof value === 'number' ? String(value) : text(value);
}
