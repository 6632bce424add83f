import type { CollectionModel } from '../../core/collections/collection-model.js';
import type { SchemaRegistry } from '../../core/collections/schema-registry.js';
import { errors, PlinthError, type ErrorData } from '../../core/errors/plinth-error.js';
import type { RawRow, RecordQuery, RecordRepository } from '../../core/records/record-repository.js';
import type { Db, SqlValue } from '../db.js';
import { RuleSqlCache } from './rule-sql-cache.js';

const ALIAS = '__pb_main';

function toSqlValue(value: unknown): SqlValue {
  if (value === undefined) return null;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
}

/** Maps a unique-constraint failure to PocketBase's `validation_not_unique` field errors. */
export function normalizeUniqueError(err: unknown, collection: CollectionModel): PlinthError | null {
  const message = err instanceof Error ? err.message : '';
  const code = (err as { code?: unknown }).code;
  const isUnique = code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
    || code === 'ER_DUP_ENTRY' || /UNIQUE constraint failed/i.test(message);
  if (!isUnique) return null;
  const data: ErrorData = {};
  const match = /UNIQUE constraint failed: (.+)$/i.exec(message);
  const columns = match?.[1]?.split(',').map((c) => c.trim().split('.').pop() ?? '') ?? [];
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

  constructor(
    private readonly db: Db,
    private readonly schema: SchemaRegistry,
    cache?: RuleSqlCache,
  ) {
    this.#cache = cache ?? new RuleSqlCache(schema);
  }

  #where(query: RecordQuery): { sql: string; params: SqlValue[] } {
    const parts: string[] = [];
    const params: SqlValue[] = [];
    const add = (compiled: { sql: string; params: readonly SqlValue[] }) => {
      parts.push(`(${compiled.sql})`);
      params.push(...compiled.params);
    };
    const q = (id: string) => this.db.dialect.quote(id);
    if (query.match) {
      const { field, values, multiple } = query.match;
      if (values.length === 0) return { sql: '1=0', params: [] };
      const placeholders = values.map(() => '?').join(', ');
      if (field === 'id' || !multiple) {
        parts.push(`${ALIAS}.${q(field)} IN (${placeholders})`);
      } else {
        parts.push(`EXISTS (SELECT 1 FROM ${this.db.dialect.jsonItems(`${ALIAS}.${q(field)}`, '__je')} WHERE __je.value IN (${placeholders}))`);
      }
      params.push(...values);
    }
    for (const text of query.filters ?? []) {
      if (text.trim() === '') continue;
      add(this.#cache.filter(this.db.dialect, query.collection, text, query.request, true, ALIAS));
    }
    if (query.userFilter && query.userFilter.trim() !== '') {
      add(this.#cache.filter(this.db.dialect, query.collection, query.userFilter, query.request, query.allowHiddenFields, ALIAS));
    }
    return { sql: parts.length > 0 ? parts.join(' AND ') : '1=1', params };
  }

  async find(query: RecordQuery): Promise<RawRow[]> {
    const where = this.#where(query);
    const table = this.db.dialect.quote(query.collection.name);
    let sql = `SELECT ${ALIAS}.* FROM ${table} ${ALIAS} WHERE ${where.sql}`;
    const params = [...where.params];
    if (query.sort && query.sort.trim() !== '') {
      const sort = this.#cache.sort(this.db.dialect, query.collection, query.sort, query.request, query.allowHiddenFields, ALIAS);
      if (sort.sql !== '') {
        sql += ` ORDER BY ${sort.sql}`;
        params.push(...sort.params);
      }
    }
    if (query.limit !== undefined) sql += ` ${this.db.dialect.limitOffset(query.limit, query.offset ?? 0)}`;
    return this.#read(() => this.db.all<RawRow>(sql, params));
  }

  async count(query: RecordQuery): Promise<number> {
    const where = this.#where(query);
    const table = this.db.dialect.quote(query.collection.name);
    const row = await this.#read(() => this.db.get<{ total: number | bigint }>(`SELECT COUNT(*) AS total FROM ${table} ${ALIAS} WHERE ${where.sql}`, where.params));
    return Number(row?.total ?? 0);
  }

  async #read<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PlinthError) throw err;
      throw errors.badRequest("Something went wrong while processing your request.", {}, err);
    }
  }

  async insert(collection: CollectionModel, row: RawRow): Promise<void> {
    const columns = Object.keys(row);
    const q = (id: string) => this.db.dialect.quote(id);
    const sql = `INSERT INTO ${q(collection.name)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    await this.#write(collection, () => this.db.run(sql, columns.map((c) => toSqlValue(row[c]))));
  }

  async update(collection: CollectionModel, id: string, row: RawRow): Promise<void> {
    const columns = Object.keys(row).filter((c) => c !== 'id');
    if (columns.length === 0) return;
    const q = (name: string) => this.db.dialect.quote(name);
    const sql = `UPDATE ${q(collection.name)} SET ${columns.map((c) => `${q(c)} = ?`).join(', ')} WHERE ${q('id')} = ?`;
    await this.#write(collection, () => this.db.run(sql, [...columns.map((c) => toSqlValue(row[c])), id]));
  }

  async delete(collection: CollectionModel, id: string): Promise<void> {
    const q = (name: string) => this.db.dialect.quote(name);
    await this.db.run(`DELETE FROM ${q(collection.name)} WHERE ${q('id')} = ?`, [id]);
  }

  async findByField(collection: CollectionModel, field: string, value: string, options: { caseInsensitive?: boolean; limit?: number } = {}): Promise<RawRow[]> {
    if (!collection.fields.some((f) => f.name === field) && field !== 'id') return [];
    const q = (name: string) => this.db.dialect.quote(name);
    const column = `${ALIAS}.${q(field)}`;
    const cond = options.caseInsensitive ? `LOWER(${column}) = LOWER(?)` : `${column} = ?`;
    const limit = options.limit ? ` ${this.db.dialect.limitOffset(options.limit, 0)}` : '';
    return this.db.all<RawRow>(`SELECT ${ALIAS}.* FROM ${q(collection.name)} ${ALIAS} WHERE ${cond}${limit}`, [value]);
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
