import type { SqlExecutor, SqlResult } from '../../core/sql-console/sql-console.js';
import type { Db } from '../db.js';
import { splitStatements } from './split-statements.js';
import { consoleValue } from './sqlite-sql-executor.js';

/**
 * The SQL console over the Db contract (PostgreSQL, MySQL): column names come from the rows, so
 * a query without rows has no columns, and column types are not reported.
 */
export class DbSqlExecutor implements SqlExecutor {
  constructor(private readonly db: Db) {}

  async execute(query: string, write: boolean, maxRows: number): Promise<Omit<SqlResult, 'execTime'>> {
    const statements = splitStatements(query);
    if (write) {
      let affectedRows = 0;
      await this.db.transaction(async (tx) => {
        for (const stmt of statements) affectedRows = (await tx.run(stmt)).changes;
      });
      return { affectedRows, columns: [], rows: [] };
    }
    const last = statements.pop();
    if (last === undefined) throw new Error('empty query');
    for (const stmt of statements) await this.db.run(stmt);
    const rows = await this.db.all(last);
    const names = rows[0] ? Object.keys(rows[0]) : [];
    return {
      affectedRows: 0,
      columns: names.map((name) => ({ name, type: '', nullable: true })),
      rows: rows.slice(0, maxRows).map((r) => names.map((n) => consoleValue(r[n]))),
    };
  }
}
