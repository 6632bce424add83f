import type { CollectionModel } from '../collections/collection-model.js';
import type { RecordData } from '../request-info.js';
import { fieldFromDb, fieldToDb } from './record-fields.js';
import type { RawRow } from './record-repository.js';
import { isRedacted } from './record-serializer.js';

/** A stored row as a record (every collection field, API-shaped values, `id` as a string). */
export function rowToRecord(collection: CollectionModel, row: RawRow): RecordData {
  const record: Record<string, unknown> = {};
  for (const field of collection.fields) {
    // password hashes stay on the core record (system reads need them); serializers never emit them
    record[field.name] = field.type === 'password' ? (typeof row[field.name] === 'string' ? row[field.name] : '')
      : fieldFromDb(field, row[field.name]);
  }
  record['id'] = row['id'] === null || row['id'] === undefined ? '' : String(row['id']);
  return record as RecordData;
}

/**
 * `serializeRecord(collection, rowToRecord(collection, row), { showHidden })` in one pass, for the
 * common list case (a non-auth collection, no expand): the same keys, order and values, without
 * the intermediate record. `showHidden` is for superusers.
 */
export function rowToJson(collection: CollectionModel, row: RawRow, showHidden = false): Record<string, unknown> {
  const out: Record<string, unknown> = {
    collectionId: collection.id,
    collectionName: collection.name,
    id: row['id'] === null || row['id'] === undefined ? '' : String(row['id']),
  };
  for (const field of collection.fields) {
    if (field.name === 'id' || isRedacted(collection, field, showHidden)) continue;
    // a password field reads as '' here (the API never sees the hash)
    out[field.name] = fieldFromDb(field, row[field.name]) ?? null;
  }
  return out;
}

/** The columns of a record to write; `only` restricts them to the given fields. */
export function recordToRow(collection: CollectionModel, record: RecordData, only?: ReadonlySet<string>): RawRow {
  const row: RawRow = {};
  for (const field of collection.fields) {
    if (only && !only.has(field.name)) continue;
    if (!(field.name in record)) continue;
    row[field.name] = field.name === 'id' ? record.id : fieldToDb(field, record[field.name]);
  }
  return row;
}
