import type { CollectionModel, FieldModel } from '../collections/collection-model.js';
import type { RecordData } from '../request-info.js';
import { fieldReader, fieldToDb } from './record-fields.js';
import type { RawRow } from './record-repository.js';
import { isRedacted } from './record-serializer.js';

interface FieldRead {
  name: string;
  read: (raw: unknown) => unknown;
}

/** How to read the rows of one collection version: each field's decoder resolved once. */
interface RowReaders {
  fields: readonly FieldModel[];
  /** Every field, for records (password hashes kept as stored: system reads need them). */
  record: FieldRead[];
  /** The fields of the API JSON after `id`, without and with hidden fields. */
  json: FieldRead[];
  jsonWithHidden: FieldRead[];
}

const readers = new WeakMap<CollectionModel, RowReaders>();
const storedString = (raw: unknown): unknown => (typeof raw === 'string' ? raw : '');

function readersOf(collection: CollectionModel): RowReaders {
  const cached = readers.get(collection);
  if (cached && cached.fields === collection.fields) return cached;
  const read = (field: FieldModel): FieldRead => ({ name: field.name, read: fieldReader(field) });
  const api = collection.fields.filter((f) => f.name !== 'id');
  const built: RowReaders = {
    fields: collection.fields,
    record: collection.fields.map((f) => (f.type === 'password' ? { name: f.name, read: storedString } : read(f))),
    json: api.filter((f) => !isRedacted(collection, f, false)).map(read),
    jsonWithHidden: api.filter((f) => !isRedacted(collection, f, true)).map(read),
  };
  readers.set(collection, built);
  return built;
}

const idOf = (row: RawRow): string => (row['id'] === null || row['id'] === undefined ? '' : String(row['id']));

/** A stored row as a record (every collection field, API-shaped values, `id` as a string). */
export function rowToRecord(collection: CollectionModel, row: RawRow): RecordData {
  const record: Record<string, unknown> = {};
  for (const { name, read } of readersOf(collection).record) record[name] = read(row[name]);
  record['id'] = idOf(row);
  return record as RecordData;
}

/**
 * `serializeRecord(collection, rowToRecord(collection, row), { showHidden })` in one pass, for the
 * common list case (a non-auth collection, no expand): the same keys, order and values, without
 * the intermediate record. `showHidden` is for superusers.
 */
export function rowToJson(collection: CollectionModel, row: RawRow, showHidden = false): Record<string, unknown> {
  const out: Record<string, unknown> = { collectionId: collection.id, collectionName: collection.name, id: idOf(row) };
  const { json, jsonWithHidden } = readersOf(collection);
  // a password field reads as '' here (the API never sees the hash)
  for (const { name, read } of showHidden ? jsonWithHidden : json) out[name] = read(row[name]) ?? null;
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
