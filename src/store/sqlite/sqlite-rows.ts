import type Database from 'better-sqlite3';

/** One result row as an object keyed by column name, as better-sqlite3's default mode returns it. */
export type RowObject = Record<string, unknown>;
type RowBuilder = (values: readonly unknown[]) => RowObject;

/**
 * A prepared SELECT that reads rows as value arrays (better-sqlite3's raw mode) and turns each into
 * an object with a function compiled once for the statement's columns.
 *
 * In its default mode the driver builds every row key by key from C++, making each column name a
 * V8 string again (UTF-8 decode, string-table lookup) and walking the object through a chain of
 * hidden classes. Raw arrays plus one object literal per row give the same objects with one shape
 * from the start: 40 → 29.5 µs for the benchmark's 20-row list query, 5.7 → 5.0 µs for a read by
 * id (docs/performance.md, sixth round).
 */
export class RowStatement {
  readonly #stmt: Database.Statement<unknown[], unknown[]>;
  #width = -1;
  #build: RowBuilder = () => ({});

  constructor(stmt: Database.Statement) {
    this.#stmt = (stmt as Database.Statement<unknown[], unknown[]>).raw(true);
    this.#compile();
  }

  all(params: readonly unknown[]): RowObject[] {
    const rows = this.#stmt.all(...params) as unknown[];
    const first = rows[0] as unknown[] | undefined;
    if (first && first.length !== this.#width) this.#compile();
    // the arrays are replaced in place: no second array of rows
    for (let i = 0; i < rows.length; i++) rows[i] = this.#build(rows[i] as unknown[]);
    return rows as RowObject[];
  }

  get(params: readonly unknown[]): RowObject | undefined {
    const row = this.#stmt.get(...params) as unknown[] | undefined;
    if (row === undefined) return undefined;
    if (row.length !== this.#width) this.#compile();
    return this.#build(row);
  }

  /**
   * Compiles the row builder from the statement's columns. SQLite prepares a statement again by
   * itself when another connection changed the schema (a `SELECT *` may then have more or fewer
   * columns), so a row whose width differs from the builder's compiles it again.
   */
  #compile(): void {
    const names = this.#stmt.columns().map((c) => c.name);
    this.#width = names.length;
    this.#build = compileRowBuilder(names);
  }
}

/**
 * `(values) => ({ name0: values[0], … })`. Column names enter the source only as JSON string
 * literals; `__proto__` is written as a computed key, so that it is an own property and never
 * sets the prototype. A repeated name keeps its first position and its last value, as the
 * driver's own objects do.
 */
export function compileRowBuilder(names: readonly string[]): RowBuilder {
  const entries = names.map((name, i) => {
    const key = JSON.stringify(name);
    return `${name === '__proto__' ? `[${key}]` : key}: v[${i}]`;
  });
  return new Function(`return (v) => ({ ${entries.join(', ')} });`)() as RowBuilder;
}
