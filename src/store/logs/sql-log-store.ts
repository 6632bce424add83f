import { errors } from '../../core/errors/plinth-error.js';
import type { LogEntry, LogListQuery, LogStat, LogStatsInterval, LogStore } from '../../core/logs/log-service.js';
import type { Db } from '../db.js';
import { valuesRows } from '../dialect.js';
import { compileFilter, compileSort, type FilterContext } from '../filter/index.js';
import { ensureLogsTable, LOGS_MODEL } from './logs-model.js';
import { WorkerLogWriter } from './worker-log-writer.js';

interface LogRow {
  id: string;
  level: number;
  message: string;
  data: unknown;
  created: string;
  updated: string;
}

const COLUMNS = ['id', 'level', 'message', 'data', 'created', 'updated'] as const;
/** Rows per INSERT statement (SQLite's default limit is 32 766 parameters). */
const INSERT_CHUNK = 100;
/**
 * Batches at least this large go to the worker thread (SQLite only). Smaller ones (an idle
 * server's trickle: health checks, an admin browsing) are written on the event loop in well under
 * a millisecond, so a quiet server never starts the worker and its ~10 MB of memory.
 */
export const WORKER_MIN_BATCH = 50;

function rowToEntry(row: LogRow): LogEntry {
  let data: unknown = row.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      data = {};
    }
  }
  return {
    id: row.id,
    created: row.created,
    updated: row.updated,
    level: Number(row.level),
    message: row.message,
    data: data && typeof data === 'object' ? (data as Record<string, unknown>) : {},
  };
}

/**
 * The log store over any Db: SQLite's `auxiliary.db` (PocketBase's layout, so an existing data
 * dir keeps its logs), or a `_logs` table of a PostgreSQL/MySQL database.
 */
export class SqlLogStore implements LogStore {
  readonly #db: Db;
  readonly #ownsDb: boolean;
  readonly #sqliteFile: string | undefined;
  #writer: WorkerLogWriter | null = null;

  private constructor(db: Db, ownsDb: boolean, sqliteFile: string | undefined) {
    this.#db = db;
    this.#ownsDb = ownsDb;
    this.#sqliteFile = sqliteFile;
  }

  /**
   * Opens the store on `db` (creating `_logs` when missing); `ownsDb` closes it with the store.
   * With `sqliteFile` (the file behind `db`), large batches are inserted by a worker thread of
   * their own, started on the first such batch (see {@link WORKER_MIN_BATCH}).
   */
  static async open(db: Db, ownsDb: boolean, sqliteFile?: string): Promise<SqlLogStore> {
    await ensureLogsTable(db);
    return new SqlLogStore(db, ownsDb, sqliteFile);
  }

  /** Whether the worker thread has been started (tests, diagnostics). */
  get workerStarted(): boolean {
    return this.#writer !== null;
  }

  #ctx(): FilterContext {
    return {
      dialect: this.#db.dialect,
      collection: LOGS_MODEL,
      findCollection: (n) => (n === '_logs' ? LOGS_MODEL : undefined),
      tableAlias: '_logs',
      request: null,
      allowHiddenFields: true,
    };
  }

  #compile(filter: string, sort = ''): { where: ReturnType<typeof compileFilter>; order: ReturnType<typeof compileSort> } {
    try {
      return { where: compileFilter(filter, this.#ctx()), order: compileSort(sort, this.#ctx()) };
    } catch (err) {
      throw errors.badRequest("Something went wrong while processing your request.", {}, err);
    }
  }

  async insert(entries: readonly LogEntry[]): Promise<void> {
    if (this.#sqliteFile && entries.length >= WORKER_MIN_BATCH) {
      this.#writer ??= new WorkerLogWriter(this.#sqliteFile);
      return this.#writer.insert(entries);
    }
    const d = this.#db.dialect;
    for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
      const chunk = entries.slice(i, i + INSERT_CHUNK);
      const sql = `INSERT INTO ${d.quote('_logs')} (${COLUMNS.map((c) => d.quote(c)).join(', ')}) VALUES ${valuesRows(COLUMNS.length, chunk.length)}`;
      await this.#db.run(sql, chunk.flatMap((e) => [e.id, e.level, e.message, JSON.stringify(e.data), e.created, e.updated]));
    }
  }

  async list(query: LogListQuery): Promise<{ items: LogEntry[]; totalItems: number }> {
    const { where, order } = this.#compile(query.filter, query.sort);
    const d = this.#db.dialect;
    const t = d.quote('_logs');
    const orderSql = order.sql || `${t}.${d.quote('created')} DESC, ${t}.${d.quote('id')} DESC`;
    const rows = await this.#db.all<LogRow>(
      `SELECT ${t}.* FROM ${t} ${t} WHERE ${where.sql} ORDER BY ${orderSql} ${d.limitOffset(query.perPage, (query.page - 1) * query.perPage)}`,
      [...where.params, ...order.params],
    );
    let totalItems = -1;
    if (!query.skipTotal) {
      const count = await this.#db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t} ${t} WHERE ${where.sql}`, where.params);
      totalItems = Number(count?.n ?? 0);
    }
    return { items: rows.map(rowToEntry), totalItems };
  }

  async find(id: string): Promise<LogEntry | null> {
    const d = this.#db.dialect;
    const row = await this.#db.get<LogRow>(`SELECT * FROM ${d.quote('_logs')} WHERE ${d.quote('id')} = ?`, [id]);
    return row ? rowToEntry(row) : null;
  }

  async stats(filter: string, interval: LogStatsInterval = 'hour'): Promise<LogStat[]> {
    const { where } = this.#compile(filter);
    const d = this.#db.dialect;
    const t = d.quote('_logs');
    // the hour format is the one `idx_logs_created_hour` indexes
    const format = interval === 'minute' ? `'%Y-%m-%d %H:%M:00'` : `'%Y-%m-%d %H:00:00'`;
    const bucket = d.strftime([format, `${t}.${d.quote('created')}`]);
    const rows = await this.#db.all<{ date: string; total: number }>(
      `SELECT ${bucket} AS ${d.quote('date')}, COUNT(*) AS ${d.quote('total')} FROM ${t} ${t} WHERE ${where.sql} GROUP BY ${bucket} ORDER BY ${bucket}`,
      where.params,
    );
    return rows.map((r) => ({ date: `${String(r.date)}.000Z`, total: Number(r.total) }));
  }

  async deleteBefore(date: string): Promise<number> {
    const d = this.#db.dialect;
    const result = await this.#db.run(`DELETE FROM ${d.quote('_logs')} WHERE ${d.quote('created')} < ?`, [date]);
    return result.changes;
  }

  async close(): Promise<void> {
    await this.#writer?.close();
    if (this.#ownsDb) await this.#db.close();
  }
}
