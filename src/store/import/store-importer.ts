import { fieldColumn } from '../../core/fields/field-registry.js';
import type { CollectionModel } from '../../core/collections/collection-model.js';
import { nowDateTime } from '../../core/collections/collection-ids.js';
import type { ColumnKind } from '../../core/fields/field-type.js';
import { COLLECTION_COLUMNS, creationOrder, rowToCollection, type CollectionRow } from '../collections/collection-rows.js';
import { createIndexAt, syncRecordTable } from '../collections/table-sync.js';
import type { Db, SqlValue } from '../db.js';
import { createCoreTables, hasStore } from '../schema/bootstrap.js';

/** The `_params` row that marks an import in progress (removed when it completes). */
export const IMPORT_MARKER = 'plinth_import';

/** Progress of one collection's rows. */
export interface ImportProgress {
  collection: string;
  copied: number;
  total: number;
}

export interface ImportOptions {
  /** Import into a target that already holds collections: its Plinth tables are dropped first. */
  force?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Parameters per INSERT (rows × columns), default 2000. */
  maxParams?: number;
}

export interface ImportReport {
  collections: number;
  records: number;
  /** Views that could not be created in the target dialect, indexes the target refused. */
  warnings: string[];
  /** True when an interrupted import was continued. */
  resumed: boolean;
}

/** The target database holds another store: refused unless `force`. */
export class ImportRefusedError extends Error {
  override name = 'ImportRefusedError';
}

const q = (db: Db, name: string) => db.dialect.quote(name);

function isJsonText(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A source value as the target column of `kind` accepts it (SQLite's loose typing made strict). */
export function convertValue(value: unknown, kind: ColumnKind, notNull: boolean): SqlValue {
  if (value === null || value === undefined) {
    if (!notNull) return null;
    return kind === 'number' ? 0 : kind === 'bool' ? false : kind === 'json' ? 'null' : '';
  }
  switch (kind) {
    case 'bool':
      return value === true || value === 1 || value === '1' || value === 'true' || value === 't';
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : 0;
    }
    case 'json': {
      // PocketBase writes some JSON (e.g. `_params.value`) as a BLOB
      const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
      if (typeof text === 'string') return isJsonText(text) ? text : JSON.stringify(text);
      return JSON.stringify(text);
    }
    default:
      if (typeof value === 'string') return value;
      if (Buffer.isBuffer(value)) return value.toString('utf8');
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

async function loadCollections(source: Db): Promise<Array<{ row: CollectionRow; model: CollectionModel }>> {
  const table = q(source, '_collections');
  const rows = await source.all<CollectionRow>(`SELECT * FROM ${table} ORDER BY ${creationOrder(source.dialect, table)}`);
  return rows.map((row) => ({ row, model: rowToCollection(row) }));
}

async function readMarker(target: Db): Promise<boolean> {
  const row = await target.get(`SELECT id FROM ${q(target, '_params')} WHERE id = ?`, [IMPORT_MARKER]);
  return row !== undefined;
}

/** Drops the target's Plinth tables and views (for `force`). */
async function clearTarget(target: Db): Promise<void> {
  const existing = await loadCollections(target);
  const tables = new Set((await target.all<{ name: string }>(target.dialect.listTablesSql())).map((r) => r.name));
  for (const { model } of [...existing].reverse()) {
    if (model.type === 'view' && tables.has(model.name)) await target.exec(`DROP VIEW IF EXISTS ${q(target, model.name)}`);
  }
  for (const { model } of existing) {
    if (model.type !== 'view' && tables.has(model.name)) await target.exec(`DROP TABLE IF EXISTS ${q(target, model.name)}`);
  }
  for (const table of ['_collections', '_params', '_migrations']) await target.exec(`DROP TABLE IF EXISTS ${q(target, table)}`);
}

/** Copies every row of `_params` and `_migrations` (settings, applied migrations). */
async function copyPlainTable(source: Db, target: Db, table: string, key: string): Promise<void> {
  const sourceTables = new Set((await source.all<{ name: string }>(source.dialect.listTablesSql())).map((r) => r.name));
  if (!sourceTables.has(table)) return;
  const rows = await source.all<Record<string, unknown>>(`SELECT * FROM ${q(source, table)} WHERE ${q(source, key)} <> ?`, [IMPORT_MARKER]);
  for (const row of rows) {
    const columns = Object.keys(row);
    const values = columns.map((c) => (c === 'value' ? convertValue(row[c], 'json', false) : convertValue(row[c], c === 'applied' ? 'number' : 'text', false)));
    await target.run(target.dialect.insertIgnoreSql(table, columns, 1), values);
  }
}

/** Copies a collection's rows in keyset-paginated batches; existing ids are skipped (resume). */
async function copyRows(source: Db, target: Db, c: CollectionModel, options: ImportOptions): Promise<number> {
  const specs = c.fields.map((f) => ({ name: f.name, spec: fieldColumn(f) }));
  const columns = specs.map((s) => s.name);
  const countRow = await source.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(source, c.name)}`);
  const total = Number(countRow?.n ?? 0);
  const perBatch = Math.max(1, Math.min(500, Math.floor((options.maxParams ?? 2000) / Math.max(1, columns.length))));
  const select = `SELECT ${columns.map((n) => q(source, n)).join(', ')} FROM ${q(source, c.name)}`;
  let copied = 0;
  let after: string | null = null;
  options.onProgress?.({ collection: c.name, copied, total });
  for (;;) {
    const rows: Array<Record<string, unknown>> = after === null
      ? await source.all(`${select} ORDER BY ${q(source, 'id')} ${source.dialect.limitOffset(perBatch, 0)}`)
      : await source.all(`${select} WHERE ${q(source, 'id')} > ? ORDER BY ${q(source, 'id')} ${source.dialect.limitOffset(perBatch, 0)}`, [after]);
    if (rows.length === 0) break;
    const values: SqlValue[] = [];
    for (const row of rows) for (const { name, spec } of specs) values.push(convertValue(row[name], spec.kind, spec.notNull || spec.primaryKey));
    await target.run(target.dialect.insertIgnoreSql(c.name, columns, rows.length), values);
    copied += rows.length;
    after = String(rows[rows.length - 1]?.id ?? '');
    options.onProgress?.({ collection: c.name, copied, total });
    if (rows.length < perBatch) break;
  }
  return copied;
}

async function importInto(source: Db, target: Db, options: ImportOptions, report: ImportReport): Promise<void> {
  if (!(await hasStore(target))) await createCoreTables(target);
  await target.run(target.dialect.upsertSql('_params', ['id', 'value', 'created', 'updated'], 'id'), [
    IMPORT_MARKER, JSON.stringify({ status: 'running' }), nowDateTime(), nowDateTime(),
  ]);
  const targetTables = new Set((await target.all<{ name: string }>(target.dialect.listTablesSql())).map((r) => r.name));
  const collections = await loadCollections(source);
  const insertCollection = (row: CollectionRow) =>
    target.run(target.dialect.insertIgnoreSql('_collections', COLLECTION_COLUMNS, 1), COLLECTION_COLUMNS.map((col) => {
      const value = row[col];
      if (col === 'system') return convertValue(value, 'bool', true);
      if (col === 'fields' || col === 'indexes' || col === 'options') return convertValue(value, 'json', true);
      return convertValue(value, 'text', !col.endsWith('Rule'));
    }));

  for (const { row, model } of collections) {
    if (model.type === 'view') continue;
    await insertCollection(row);
    if (!targetTables.has(model.name)) {
      await syncRecordTable(target, { ...model, indexes: [] }, null);
      for (const i of model.indexes.keys()) {
        try {
          await target.transaction((sp) => createIndexAt(sp, model, i));
        } catch (err) {
          report.warnings.push(`${model.name}: index ${i} not created: ${(err as { indexErrors?: Record<string, { message?: string }> }).indexErrors?.[i]?.message ?? (err as Error).message}`);
        }
      }
    }
    report.records += await copyRows(source, target, model, options);
    report.collections++;
  }
  await copyPlainTable(source, target, '_params', 'id');
  await copyPlainTable(source, target, '_migrations', 'file');
  for (const { row, model } of collections) {
    if (model.type !== 'view') continue;
    await insertCollection(row);
    report.collections++;
    const query = String(model.options.viewQuery ?? '').trim().replace(/;+\s*$/, '');
    try {
      await target.transaction(async (sp) => {
        await sp.exec(`DROP VIEW IF EXISTS ${q(sp, model.name)}`);
        await sp.run(`CREATE VIEW ${q(sp, model.name)} AS SELECT * FROM (${query}) _pb_view`);
      });
    } catch (err) {
      report.warnings.push(`view ${model.name}: its query does not run on ${target.dialect.name}, rewrite it there (${(err as Error).message.split('\n')[0]})`);
    }
  }
  await target.run(`DELETE FROM ${q(target, '_params')} WHERE id = ?`, [IMPORT_MARKER]);
}

/**
 * Copies a PocketBase (v0.23+) or Plinth store into another database: `_collections` rows as
 * they are (ids, rules, options with the token secrets), one table per collection created for
 * the target dialect with its indexes, every record with its id, password hash and tokenKey (so
 * existing tokens stay valid), `_params` (settings) and `_migrations`. Views are recreated from
 * their `viewQuery`; one that does not run in the target's SQL is reported, not fatal.
 *
 * On SQLite and PostgreSQL the whole import is one transaction. MySQL commits DDL implicitly, so
 * there the import marks itself in `_params` and a re-run after an interruption resumes it (rows
 * already copied are skipped by id). A target that already holds a store is refused unless
 * `force` (which drops its Plinth tables first).
 */
export async function importStore(source: Db, target: Db, options: ImportOptions = {}): Promise<ImportReport> {
  if (!(await hasStore(source))) throw new Error('the source has no _collections table: not a PocketBase (v0.23+) or Plinth data directory');
  const report: ImportReport = { collections: 0, records: 0, warnings: [], resumed: false };
  if (await hasStore(target)) {
    const resumable = await readMarker(target);
    if (resumable && !options.force) {
      report.resumed = true;
    } else {
      const count = await target.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${q(target, '_collections')}`);
      if (Number(count?.n ?? 0) > 0 && !options.force) {
        throw new ImportRefusedError(`the target database already holds ${Number(count?.n)} collections; use --force to replace them`);
      }
      await clearTarget(target);
    }
  }
  if (!target.dialect.transactionalDdl) await importInto(source, target, options, report);
  else await target.transaction((tx) => importInto(source, tx, options, report));
  return report;
}
