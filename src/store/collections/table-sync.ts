import { fieldColumn } from '../../core/fields/field-registry.js';
import type { CollectionModel, FieldModel } from '../../core/collections/collection-model.js';
import { isValidIndex, parseIndex } from '../../core/collections/index-parser.js';
import type { ErrorData } from '../../core/errors/plinth-error.js';
import type { Db } from '../db.js';

/** An error of one index statement, carried up so the service can answer with `indexes.<i>`. */
export class IndexSyncError extends Error {
  constructor(readonly indexErrors: ErrorData) {
    super('Failed to create index');
  }
}

function columnDef(db: Db, field: FieldModel): string {
  return `${db.dialect.quote(field.name)} ${db.dialect.columnDefinition(fieldColumn(field))}`;
}

/** Drops a table's secondary indexes, and their hidden helper columns (MySQL's partial indexes). */
async function dropIndexes(db: Db, table: string): Promise<void> {
  const rows = await db.all<{ name: string }>(db.dialect.listIndexesSql(), [table]);
  for (const row of rows) await db.exec(db.dialect.dropIndexSql(row.name, table));
  const helperPrefix = db.dialect.indexHelperPrefix;
  if (helperPrefix === null) return;
  const columns = await db.all<{ name: string }>(db.dialect.tableColumnsSql(table));
  for (const { name } of columns) {
    if (name.startsWith(helperPrefix)) await db.exec(`ALTER TABLE ${db.dialect.quote(table)} DROP COLUMN ${db.dialect.quote(name)}`);
  }
}

async function createIndexes(db: Db, c: CollectionModel): Promise<void> {
  for (const i of c.indexes.keys()) await createIndexAt(db, c, i);
}

/**
 * Creates the collection's index number `i` in the dialect; an index the database refuses throws
 * IndexSyncError (`indexes.<i>`). Invalid definitions are skipped (the validator reports them).
 */
export async function createIndexAt(db: Db, c: CollectionModel, i: number): Promise<void> {
  const columns = new Map(c.fields.map((f) => [f.name, fieldColumn(f).kind] as const));
  const raw = c.indexes[i];
  const parsed = parseIndex(raw ?? '');
  if (!isValidIndex(parsed)) return;
  try {
    const statements = db.dialect.createIndexSql({ index: { ...parsed, schemaName: '', tableName: c.name }, columns });
    // `run` prepares exactly one statement: nothing else can ride along in the text.
    for (const sql of statements) await db.run(sql);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new IndexSyncError({
      [i]: { code: 'validation_invalid_index_expression', message: `Failed to create index ${parsed.indexName} - ${message}.` },
    });
  }
}

/**
 * Brings a collection's table in line with its fields, inside the caller's transaction: creates
 * it, or renames it and adds/renames/drops columns (fields are matched by `id`, so a renamed field
 * keeps its data). Indexes are dropped and recreated from the collection's definitions.
 */
export async function syncRecordTable(db: Db, c: CollectionModel, previous: CollectionModel | null): Promise<void> {
  const q = (name: string) => db.dialect.quote(name);
  if (!previous) {
    const columns = c.fields.map((f) => columnDef(db, f));
    await db.exec(`CREATE TABLE ${q(c.name)} (${columns.join(', ')})`);
    await createIndexes(db, c);
    return;
  }
  await dropIndexes(db, previous.name);
  if (previous.name !== c.name) {
    // a case-only rename needs a detour through a temporary name
    if (previous.name.toLowerCase() === c.name.toLowerCase()) {
      const temp = `_tmp_${c.id}`;
      await db.exec(`ALTER TABLE ${q(previous.name)} RENAME TO ${q(temp)}`);
      await db.exec(`ALTER TABLE ${q(temp)} RENAME TO ${q(c.name)}`);
    } else {
      await db.exec(`ALTER TABLE ${q(previous.name)} RENAME TO ${q(c.name)}`);
    }
  }
  const existing = new Set((await db.all<{ name: string }>(db.dialect.tableColumnsSql(c.name))).map((r) => r.name));
  // drop the removed fields first so that a new field may reuse a removed name
  for (const old of previous.fields) {
    if (c.fields.some((f) => f.id === old.id)) continue;
    if (existing.has(old.name)) {
      await db.exec(`ALTER TABLE ${q(c.name)} DROP COLUMN ${q(old.name)}`);
      existing.delete(old.name);
    }
  }
  // renames go through temporary names so that swapped names don't collide
  const renames: Array<{ from: string; to: string; temp: string }> = [];
  for (const f of c.fields) {
    const old = previous.fields.find((o) => o.id === f.id);
    if (old && old.name !== f.name && existing.has(old.name)) renames.push({ from: old.name, to: f.name, temp: `_tmp_${f.id}_${f.name}` });
  }
  for (const r of renames) await db.exec(`ALTER TABLE ${q(c.name)} RENAME COLUMN ${q(r.from)} TO ${q(r.temp)}`);
  for (const r of renames) {
    await db.exec(`ALTER TABLE ${q(c.name)} RENAME COLUMN ${q(r.temp)} TO ${q(r.to)}`);
    existing.delete(r.from);
    existing.add(r.to);
  }
  for (const f of c.fields) {
    if (existing.has(f.name)) continue;
    const old = previous.fields.find((o) => o.id === f.id);
    if (old && old.name === f.name) continue;
    await db.exec(`ALTER TABLE ${q(c.name)} ADD COLUMN ${columnDef(db, f)}`);
    existing.add(f.name);
  }
  await createIndexes(db, c);
}
