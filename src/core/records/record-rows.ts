import type { CollectionModel, FieldModel } from '../collections/collection-model.js';
import type { RecordData } from '../request-info.js';
import { fieldReader, fieldToDb } from './record-fields.js';
import type { RawRow } from './record-repository.js';
import { isRedacted } from './record-serializer.js';

interface FieldRead {
  name: string;
  read: (raw: unknown) => unknown;
}

type JsonBuilder = (row: RawRow) => Record<string, unknown>;

/** How to read the rows of one collection version: each field's decoder resolved once. */
interface RowReaders {
  fields: readonly FieldModel[];
  /** Every field, for records (password hashes kept as stored: system reads need them). */
  record: FieldRead[];
  /** The API JSON of a row, without and with hidden fields. */
  json: JsonBuilder;
  jsonWithHidden: JsonBuilder;
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
    json: jsonBuilder(collection, api.filter((f) => !isRedacted(collection, f, false)).map(read)),
    jsonWithHidden: jsonBuilder(collection, api.filter((f) => !isRedacted(collection, f, true)).map(read)),
  };
  readers.set(collection, built);
  return built;
}

const idOf = (row: RawRow): string => (row['id'] === null || row['id'] === undefined ? '' : String(row['id']));

/**
 * One collection version's row → API JSON function, compiled to a single object literal. Objects
 * filled key by key from a field list change hidden class at every key and leave V8 in slow,
 * megamorphic paths (for the build and for `JSON.stringify`); a literal has one shape from the
 * start. Only the keys enter the source, as JSON string literals; values come from `readers`.
 */
function jsonBuilder(collection: CollectionModel, fields: readonly FieldRead[]): JsonBuilder {
  const entries = fields.map((f, i) => {
    const name = JSON.stringify(f.name);
    // a plain `"__proto__": …` in a literal would set the prototype; computed, it is a key
    return `${f.name === '__proto__' ? `[${name}]` : name}: readers[${i}].read(row[${name}]) ?? null`;
  });
  const body = `return (row) => ({ collectionId, collectionName, id: idOf(row)${entries.map((e) => `, ${e}`).join('')} });`;
  const compile = new Function('readers', 'idOf', 'collectionId', 'collectionName', body) as (...args: unknown[]) => JsonBuilder;
  return compile(fields, idOf, collection.id, collection.name);
}

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
  // a password field reads as '' here (the API never sees the hash)
  const readers = readersOf(collection);
  return showHidden ? readers.jsonWithHidden(row) : readers.json(row);
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
