import type { CollectionModel } from '../../core/collections/collection-model.js';
import type { SchemaRegistry } from '../../core/collections/schema-registry.js';
import { errors, PlinthError, type ErrorData } from '../../core/errors/plinth-error.js';
import type { FilterExpr } from '../../core/filter/index.js';
import type { RawRow, RecordQuery, RecordRepository } from '../../core/records/record-repository.js';
import type { RequestInfo } from '../../core/request-info.js';
import type { RuleTrace } from '../../core/rules/rule-trace.js';
import { traceFilter } from '../filter/filter-explainer.js';
import type { Db, SqlValue } from '../db.js';
import { valuesRows, type Dialect } from '../dialect.js';
import { RuleSqlCache } from './rule-sql-cache.js';
import { isUniqueViolation, uniqueViolationColumns } from './unique-violation.js';

const ALIAS = '__pb_main';
const QUOTED = new WeakMap<object, Map<string, string>>();
/** Per collection version (models are replaced on every schema change): see `#byIdSql`. */
const BY_ID_SQL = new WeakMap<CollectionModel, { dialect: Dialect; sql: string }>();

function readError(err: unknown): never {
  if (err instanceof PlinthError) throw err;
  throw errors.badRequest("Something went wrong while processing your request.", {}, err);
}

function toSqlValue(value: unknown): SqlValue {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}

/** Maps a unique-constraint failure to PocketBase's `validation_not_unique` field errors. */
export function normalizeUniqueError(err: unknown, collection: CollectionModel): PlinthError | null {
  const message = err instanceof Error ? err.message : '';
  if (!isUniqueViolation(err)) return null;
  const data: ErrorData = {};
  const columns = uniqueViolationColumns(err, collection);
  for (const field of collection.fields) {
    if (columns.includes(field.name) || (columns.length === 0 && message.includes(field.name))) {
      data[field.name] = { code: 'validation_not_unique', message: 'Value must be unique.' };
    }
  }
  return errors.validation(data);
}

/**
 * The records store over any `Db`: one table per collection, filters and sorts compiled by the
 * filter compiler (rule SQL cached per collection and schema version), writes with plain
 * prepared statements. Implements the core's RecordRepository port.
 */
export class SqlRecordRepository implements RecordRepository {
  readonly #cache: RuleSqlCache;
  /** The dialect, read once (every query quotes and builds clauses through it). */
  readonly #dialect: Dialect;

  constructor(
    private readonly db: Db,
    private readonly schema: SchemaRegistry,
    cache?: RuleSqlCache,
  ) {
    this.#cache = cache ?? new RuleSqlCache(schema);
    this.#dialect = db.dialect;
  }

  /**
   * The connection this repository runs on: inside `transaction`, the transaction's handle, so that
   * store code can write rows of its own beside the records in the same transaction (the outbox).
   */
  get connection(): Db {
    return this.db;
  }

  /** `dialect.quote(name)`, memoised per dialect (identifiers repeat on every request). */
  #q(name: string): string {
    const dialect = this.#dialect;
    let memo = QUOTED.get(dialect);
    if (!memo) {
      memo = new Map();
      QUOTED.set(dialect, memo);
    }
    let quoted = memo.get(name);
    if (quoted === undefined) {
      quoted = dialect.quote(name);
      if (memo.size < 10_000) memo.set(name, quoted);
    }
    return quoted;
  }

  /** The WHERE predicate; its params are appended to `params`. */
  #where(query: RecordQuery, params: SqlValue[]): string {
    let sql = '';
    if (query.match) {
      const { field, values, multiple } = query.match;
      if (values.length === 0) return '1=0';
      const placeholders = values.length === 1 ? '?' : values.map(() => '?').join(', ');
      if (field === 'id' || !multiple) {
        sql = `${ALIAS}.${this.#q(field)} IN (${placeholders})`;
      } else {
        sql = `EXISTS (SELECT 1 FROM ${this.#dialect.jsonItems(`${ALIAS}.${this.#q(field)}`, '__je')} WHERE __je.value IN (${placeholders}))`;
      }
      for (const value of values) params.push(value);
    }
    const add = (compiled: { sql: string; params: readonly SqlValue[] }) => {
      sql = sql === '' ? `(${compiled.sql})` : `${sql} AND (${compiled.sql})`;
      for (const param of compiled.params) params.push(param);
    };
    for (const text of query.filters ?? []) {
      if (text.trim() === '') continue;
      add(this.#cache.filter(this.#dialect, query.collection, text, query.request, true, ALIAS));
    }
    if (query.userFilter && query.userFilter.trim() !== '') {
      add(this.#cache.filter(this.#dialect, query.collection, query.userFilter, query.request, query.allowHiddenFields, ALIAS));
    }
    return sql === '' ? '1=1' : sql;
  }

  find(query: RecordQuery): Promise<RawRow[]> {
    // not `async`: one promise less per read; a failure to build the query still rejects
    try {
      const { sql, params } = this.#select(query);
      return this.#read(() => this.db.all<RawRow>(sql, params));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  findOne(query: RecordQuery): Promise<RawRow | undefined> {
    try {
      const { sql, params } = this.#select(query, 1);
      return this.#read(() => this.db.get<RawRow>(sql, params));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The SELECT of `query` (`limit` overrides the query's). */
  #select(query: RecordQuery, limit = query.limit): { sql: string; params: SqlValue[] } {
    const byId = this.#byIdSql(query, limit);
    if (byId !== null) return { sql: byId, params: [query.match?.values[0] ?? ''] };
    const params: SqlValue[] = [];
    let sql = `SELECT ${ALIAS}.* FROM ${this.#q(query.collection.name)} ${ALIAS} WHERE ${this.#where(query, params)}`;
    if (query.sort && query.sort.trim() !== '') {
      const sort = this.#cache.sort(this.#dialect, query.collection, query.sort, query.request, query.allowHiddenFields, ALIAS);
      if (sort.sql !== '') {
        sql += ` ORDER BY ${sort.sql}`;
        for (const param of sort.params) params.push(param);
      }
    }
    if (limit !== undefined) sql += ` ${this.#dialect.limitOffset(limit, query.offset ?? 0)}`;
    return { sql, params };
  }

  /**
   * The text of the commonest read, one record by id with no rule or filter (a view or a write
   * behind an empty rule), made once per collection version: the statement cache then finds it
   * by a string whose hash is already computed, and nothing is concatenated per request.
   */
  #byIdSql(query: RecordQuery, limit: number | undefined): string | null {
    const { match, collection } = query;
    if (match?.field !== 'id' || match.values.length !== 1 || limit !== 1 || query.offset) return null;
    if (query.userFilter || query.sort || query.filters?.some((f) => f.trim() !== '')) return null;
    let memo = BY_ID_SQL.get(collection);
    if (memo?.dialect !== this.#dialect) {
      const sql = `SELECT ${ALIAS}.* FROM ${this.#q(collection.name)} ${ALIAS} WHERE ${ALIAS}.${this.#q('id')} IN (?) ${this.#dialect.limitOffset(1, 0)}`;
      memo = { dialect: this.#dialect, sql };
      BY_ID_SQL.set(collection, memo);
    }
    return memo.sql;
  }

  async count(query: RecordQuery): Promise<number> {
    const params: SqlValue[] = [];
    const where = this.#where(query, params);
    const table = this.#q(query.collection.name);
    const row = await this.#read(() => this.db.get<{ total: number | bigint }>(`SELECT COUNT(*) AS total FROM ${table} ${ALIAS} WHERE ${where}`, params));
    return Number(row?.total ?? 0);
  }

  existingIds(collection: CollectionModel, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return Promise.resolve([]);
    const id = this.#q('id');
    const sql = `SELECT ${id} FROM ${this.#q(collection.name)} WHERE ${id} IN (${ids.length === 1 ? '?' : ids.map(() => '?').join(', ')})`;
    return this.#read(() => this.db.all<{ id: unknown }>(sql, ids)).then((rows) => rows.map((row) => String(row.id)));
  }

  /** Maps read failures to PocketBase's 400 (one `.catch`, no extra async frame on the hot path). */
  #read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return fn().catch(readError);
    } catch (err) {
      return Promise.reject(readError(err));
    }
  }

  async insert(collection: CollectionModel, row: RawRow): Promise<void> {
    const columns = Object.keys(row);
    const sql = `INSERT INTO ${this.#q(collection.name)} (${columns.map((c) => this.#q(c)).join(', ')}) VALUES ${valuesRows(columns.length, 1)}`;
    await this.#write(collection, () => this.db.run(sql, columns.map((c) => toSqlValue(row[c]))));
  }

  async update(collection: CollectionModel, id: string, row: RawRow): Promise<void> {
    const columns = Object.keys(row).filter((c) => c !== 'id');
    if (columns.length === 0) return;
    const sql = `UPDATE ${this.#q(collection.name)} SET ${columns.map((c) => `${this.#q(c)} = ?`).join(', ')} WHERE ${this.#q('id')} = ?`;
    await this.#write(collection, () => this.db.run(sql, [...columns.map((c) => toSqlValue(row[c])), id]));
  }

  async delete(collection: CollectionModel, id: string): Promise<void> {
    await this.db.run(`DELETE FROM ${this.#q(collection.name)} WHERE ${this.#q('id')} = ?`, [id]);
  }

  async findByField(collection: CollectionModel, field: string, value: string, options: { caseInsensitive?: boolean; limit?: number } = {}): Promise<RawRow[]> {
    if (!collection.fields.some((f) => f.name === field) && field !== 'id') return [];
    const column = `${ALIAS}.${this.#q(field)}`;
    const cond = options.caseInsensitive ? `LOWER(${column}) = LOWER(?)` : `${column} = ?`;
    const limit = options.limit ? ` ${this.#dialect.limitOffset(options.limit, 0)}` : '';
    return this.db.all<RawRow>(`SELECT ${ALIAS}.* FROM ${this.#q(collection.name)} ${ALIAS} WHERE ${cond}${limit}`, [value]);
  }

  async lockForUpdate(collection: CollectionModel, id: string): Promise<RawRow | undefined> {
    return this.db.get<RawRow>(`SELECT * FROM ${this.#q(collection.name)} WHERE ${this.#q('id')} = ?${this.#dialect.forUpdate()}`, [id]);
  }

  traceRule(collection: CollectionModel, id: string, rule: FilterExpr, request: RequestInfo): Promise<RuleTrace | null> {
    const ctx = {
      dialect: this.#dialect, collection, findCollection: (ref: string) => this.schema.find(ref),
      tableAlias: ALIAS, request, allowHiddenFields: true,
    };
    return this.#read(() => traceFilter(this.db, ctx, rule, id));
  }

  transaction<T>(fn: (repository: RecordRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new SqlRecordRepository(tx, this.schema, this.#cache)));
  }

  async #write(collection: CollectionModel, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      throw normalizeUniqueError(err, collection) ?? err;
    }
  }
}
