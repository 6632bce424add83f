import type { CollectionModel } from '../../core/collections/collection-model.js';
import { parseIndex } from '../../core/collections/index-parser.js';

/** Whether a driver error is a unique (or primary key) violation, on any dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
    || code === 'ER_DUP_ENTRY' || /UNIQUE constraint failed/i.test(err instanceof Error ? err.message : '');
}

function indexColumns(collection: CollectionModel, indexName: string): string[] {
  const name = indexName.replace(/^.*\./, '').toLowerCase();
  if (name === 'primary' || name === `${collection.name.toLowerCase()}_pkey`) return ['id'];
  for (const raw of collection.indexes) {
    const parsed = parseIndex(raw);
    if (parsed.indexName.toLowerCase() === name) return parsed.columns.map((c) => c.name.trim());
  }
  return [];
}

/**
 * The columns named by a unique violation: SQLite's `UNIQUE constraint failed: t.a, t.b`,
 * PostgreSQL's `Key (a, "b")=(…)` detail or constraint name, MySQL's `Duplicate entry … for key
 * 'name'` (the index name, looked up in the collection's indexes). Empty when unknown.
 */
export function uniqueViolationColumns(err: unknown, collection: CollectionModel): string[] {
  const e = err as { message?: string; detail?: string; constraint?: string };
  const message = e?.message ?? '';
  const sqlite = /UNIQUE constraint failed: (.+)$/i.exec(message);
  if (sqlite) return (sqlite[1] ?? '').split(',').map((c) => c.trim().split('.').pop() ?? '');
  const pgKey = /^Key \((.+?)\)=/.exec(e?.detail ?? '');
  if (pgKey) return (pgKey[1] ?? '').split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (e?.constraint) return indexColumns(collection, e.constraint);
  const mysql = /for key '([^']+)'/.exec(message);
  if (mysql) return indexColumns(collection, mysql[1] ?? '');
  return [];
}
