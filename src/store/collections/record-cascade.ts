import { fieldTypeOf } from '../../core/fields/field-registry.js';
import type { CollectionModel } from '../../core/collections/collection-model.js';
import { findRelationReferences } from '../../core/collections/collection-model.js';
import type { Db, SqlValue } from '../db.js';

const AUTH_SIDE_TABLES = ['_externalAuths', '_mfas', '_otps', '_authOrigins'];
const CHUNK = 500;

function parseIds(value: unknown, multiple: boolean): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (!multiple) return [String(value)];
  try {
    const parsed: unknown = JSON.parse(String(value));
    return Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
  } catch {
    return [String(value)];
  }
}

/**
 * Deletes records the way PocketBase's record delete treats relations pointing at them: a
 * reference with `cascadeDelete` deletes the referencing record (or, for a multi relation that
 * keeps other ids, only drops the id), other references are unset, and a required reference that
 * would be left empty refuses the whole delete. Runs inside the caller's transaction.
 */
export async function deleteRecordsCascade(
  db: Db,
  collection: CollectionModel,
  ids: readonly string[],
  all: readonly CollectionModel[],
  depth = 0,
): Promise<void> {
  if (ids.length === 0) return;
  if (depth > 20) throw new Error('too deep cascade delete');
  const q = (n: string) => db.dialect.quote(n);
  const deleting = new Set(ids);
  for (const { collection: refCollection, field } of findRelationReferences(all, collection.id)) {
    if (refCollection.type === 'view') continue;
    const multiple = fieldTypeOf(field).isMultiple(field);
    const column = q(field.name);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK) as SqlValue[];
      const marks = chunk.map(() => '?').join(', ');
      const where = multiple
        ? `EXISTS (SELECT 1 FROM ${db.dialect.jsonEach(column, '__je')} WHERE __je.value IN (${marks}))`
        : `${column} IN (${marks})`;
      const rows = await db.all<Record<string, unknown>>(`SELECT id, ${column} AS v FROM ${q(refCollection.name)} WHERE ${where}`, chunk);
      const toDelete: string[] = [];
      for (const row of rows) {
        const rowId = String(row.id);
        if (refCollection.id === collection.id && deleting.has(rowId)) continue;
        const current = parseIds(row.v, multiple);
        const remaining = current.filter((id) => !deleting.has(id));
        if (field.cascadeDelete === true && remaining.length === 0) {
          toDelete.push(rowId);
          continue;
        }
        if (field.required === true && remaining.length === 0) {
          throw new Error(`the record cannot be deleted because it is part of a required reference in record ${rowId} (${refCollection.name}.${field.name})`);
        }
        const value = multiple ? JSON.stringify(remaining) : '';
        await db.run(`UPDATE ${q(refCollection.name)} SET ${column} = ? WHERE id = ?`, [value, rowId]);
      }
      await deleteRecordsCascade(db, refCollection, toDelete, all, depth + 1);
    }
  }
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK) as SqlValue[];
    const marks = chunk.map(() => '?').join(', ');
    await db.run(`DELETE FROM ${q(collection.name)} WHERE id IN (${marks})`, chunk);
    if (collection.type === 'auth') {
      for (const table of AUTH_SIDE_TABLES) {
        if (!all.some((c) => c.name === table)) continue;
        await db.run(`DELETE FROM ${q(table)} WHERE ${q('collectionRef')} = ? AND ${q('recordRef')} IN (${marks})`, [collection.id, ...chunk]);
      }
    }
  }
}
