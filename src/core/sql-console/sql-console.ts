import { errors } from '../errors/plinth-error.js';
import { ozzo } from '../fields/field-errors.js';

/** One result column of `POST /api/sql`. */
export interface SqlColumn {
  name: string;
  /** The declared type (`TEXT`, `INTEGER`…), empty for expressions. */
  type: string;
  nullable: boolean;
}

/** PocketBase's `POST /api/sql` answer: values are strings (or null), at most 1000 rows. */
export interface SqlResult {
  execTime: number;
  affectedRows: number;
  columns: SqlColumn[];
  rows: Array<Array<string | null>>;
}

/** Runs one console query (several `;`-separated statements allowed) on the main database. */
export interface SqlExecutor {
  /** `write` statements run in one transaction; read queries return the last statement's rows. */
  execute(query: string, write: boolean, maxRows: number): Promise<Omit<SqlResult, 'execTime'>>;
}

export const SQL_CONSOLE_MAX_ROWS = 1000;
export const SQL_CONSOLE_MAX_LENGTH = 5000;
/** PocketBase's loose check for queries to run as writes (in a transaction), plus ALTER and REPLACE. */
const WRITE_PREFIXES = ['INSERT', 'CREATE', 'UPDATE', 'DELETE', 'DROP', 'DETACH', 'ALTER', 'REPLACE'];

/**
 * The superusers' SQL console (PocketBase's `POST /api/sql`): validates the query, runs it as a
 * write (in a transaction) when it loosely looks like one, else as a read, and times it.
 */
export class SqlConsole {
  constructor(private readonly executor: SqlExecutor) {}

  async run(body: Record<string, unknown>): Promise<SqlResult> {
    const query = typeof body.query === 'string' ? body.query : '';
    const length = [...query].length;
    if (query === '') throw errors.badRequest('An error occurred while validating the submitted data.', { query: ozzo.required() });
    if (length > SQL_CONSOLE_MAX_LENGTH) {
      throw errors.badRequest('An error occurred while validating the submitted data.', { query: ozzo.lengthOutOfRange(0, SQL_CONSOLE_MAX_LENGTH) });
    }
    const trimmed = query.trim();
    const upper = trimmed.toUpperCase();
    // anything else runs as a read; a read-path statement that returns no rows is run and counted
    const write = WRITE_PREFIXES.some((p) => upper.startsWith(p));
    const started = performance.now();
    try {
      const result = await this.executor.execute(trimmed, write, SQL_CONSOLE_MAX_ROWS);
      return { execTime: Math.round(performance.now() - started), ...result };
    } catch (err) {
      throw errors.badRequest(`Failed to execute query. Raw error:\n${(err as Error).message}`, {}, err);
    }
  }
}
