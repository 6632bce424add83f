import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors } from '../errors/plinth-error.js';
import type { RecordEventBatch } from '../events/record-events.js';
import { guestRequest, type RecordData } from '../request-info.js';
import { fieldIsMultiple, fieldStamp } from './record-fields.js';
import { findOne } from './record-lookup.js';
import type { RecordRepository } from './record-repository.js';
import { recordToRow, rowToRecord } from './record-rows.js';
import { relationIds } from './record-values.js';

/**
 * Deletes a record and resolves the relations that point at it, as PocketBase does, inside the
 * caller's transaction: the record goes first; then, collection by collection (sorted by name,
 * views skipped), every referencing record loses the id; a `cascadeDelete` relation left empty
 * deletes that record too (recursively), and a required relation left empty aborts the delete.
 * With `events`, every deleted and unlinked record is reported to it (`loaded`: the record when
 * the caller already read it).
 */
export async function deleteWithReferences(schema: SchemaRegistry, tx: RecordRepository, collection: CollectionModel, id: string, events?: RecordEventBatch, loaded?: RecordData): Promise<void> {
  if (events) {
    const record = loaded ?? (await findOne(tx, collection, id, guestRequest(), []));
    if (record) await events.deleting(collection, record);
  }
  await tx.delete(collection, id);
  const referencing = schema.all()
    .filter((c) => c.type !== 'view')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const other of referencing) {
    for (const field of other.fields) {
      if (field.type !== 'relation' || field['collectionId'] !== collection.id) continue;
      const rows = await tx.find({
        collection: other, request: guestRequest(), allowHiddenFields: true,
        match: { field: field.name, values: [id], multiple: fieldIsMultiple(field) },
      });
      for (const row of rows) {
        const record = rowToRecord(other, row);
        if (other.id === collection.id && record.id === id) continue;
        const ids = relationIds(record[field.name]).filter((v) => v !== id);
        if (field['cascadeDelete'] === true && ids.length === 0) {
          await deleteWithReferences(schema, tx, other, record.id, events, record);
          continue;
        }
        if (field['required'] === true && ids.length === 0) {
          throw errors.badRequest(`The record cannot be deleted because it is part of a required reference in record ${record.id} (${other.name} collection).`);
        }
        const previous = events ? { ...record } : undefined;
        record[field.name] = fieldIsMultiple(field) ? ids : (ids[0] ?? '');
        const now = new Date();
        const changed = new Set([field.name]);
        for (const f of other.fields) {
          if (f.type !== 'autodate') continue;
          const stamped = fieldStamp(f, record[f.name], 'update', now);
          if (stamped !== record[f.name]) {
            record[f.name] = stamped;
            changed.add(f.name);
          }
        }
        await tx.update(other, record.id, recordToRow(other, record, changed));
        events?.add({ action: 'update', collection: other, record, previous });
      }
    }
  }
}
