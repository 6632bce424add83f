import Database from 'better-sqlite3';
import type { SqlColumn, SqlExecutor, SqlResult } from '../../core/sql-console/sql-console.js';
import { splitStatements } from './split-statements.js';

/** SQLite's generic messages for result codes, as PocketBase's driver prefixes them. */
const CODE_MESSAGES: Record<string, [string, number]> = {
  SQLITE_ERROR: ['SQL logic error', 1],
  SQLITE_CONSTRAINT: ['constraint failed', 19],
  SQLITE_BUSY: ['database is locked', 5],
  SQLITE_READONLY: ['attempt to write a readonly database', 8],
  SQLITE_MISMATCH: ['datatype mismatch', 20],
};

/** The console's string form of a value: PocketBase scans every column into a `*string`. */
export function consoleValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function describeError(err: unknown): Error {
  const e = err as { code?: string; message?: string };
  const base = e.code ? CODE_MESSAGES[e.code] ?? CODE_MESSAGES[e.code.replace(/_[A-Z]+$/, '')] : undefined;
  if (!base) return err instanceof Error ? err : new Error(String(err));
  return new Error(`${base[0]}: ${e.message ?? ''} (${base[1]})`);
}

/**
 * The SQL console on SQLite, on a connection of its own to `data.db` (so that the store's
 * statement caches and write lock are untouched; SQLite's busy timeout orders the writers).
 */
export class SqliteSqlExecutor implements SqlExecutor {
  #conn: Database.Database | null = null;

  constructor(private readonly file: string) {}

  #db(): Database.Database {
    if (!this.#conn) {
      this.#conn = new Database(this.file);
      this.#conn.pragma('busy_timeout = 10000');
      this.#conn.pragma('foreign_keys = ON');
    }
    return this.#conn;
  }

  async execute(query: string, write: boolean, maxRows: number): Promise<Omit<SqlResult, 'execTime'>> {
    const db = this.#db();
    try {
      if (write) {
        const total = db.prepare('SELECT total_changes()').pluck();
        const before = Number(total.get());
        db.transaction(() => db.exec(query))();
        return { affectedRows: Number(total.get()) - before, columns: [], rows: [] };
      }
      const statements = splitStatements(query);
      const last = statements.pop();
      if (last === undefined) throw new Error('empty query');
      for (const stmt of statements) db.exec(stmt);
      const stmt = db.prepare(last);
      if (!stmt.reader) {
        const info = stmt.run();
        return { affectedRows: info.changes, columns: [], rows: [] };
      }
      const columns: SqlColumn[] = stmt.columns().map((c) => ({ name: c.name, type: c.type ?? '', nullable: true }));
      const rows: Array<Array<string | null>> = [];
      for (const row of stmt.raw(true).iterate() as Iterable<unknown[]>) {
        if (rows.length >= maxRows) break;
        rows.push(row.map(consoleValue));
      }
      return { affectedRows: 0, columns, rows };
    } catch (err) {
      throw describeError(err);
    }
  }

  close(): void {
    this.#conn?.close();
    this.#conn = null;
  }
}
