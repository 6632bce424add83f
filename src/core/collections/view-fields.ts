import { randomString } from './collection-ids.js';
import { newField } from './collection-factory.js';
import type { CollectionModel, FieldModel } from './collection-model.js';
import { parseViewQuery } from './view-query-parser.js';

const CAST_RE = /^cast\s*\([\s\S]*\s+as\s+(\w+)\s*\)$/i;

function jsonField(name: string): FieldModel {
  return newField({ type: 'json', name, maxSize: 1 });
}

function textPrimaryKey(name: string): FieldModel {
  return newField({ type: 'text', name, system: true, required: true, primaryKey: true, pattern: '^[a-z0-9]+$' });
}

/**
 * Infers a view collection's fields the way PocketBase does: `id` is a text primary key, counts
 * and numeric casts are numbers, a column read straight from a collection keeps that field's
 * definition (an `id` of another collection becomes a relation to it), anything else is JSON.
 * `columns` is the real column list the database reports for the query.
 */
export function inferViewFields(
  query: string,
  columns: readonly string[],
  findCollection: (name: string) => CollectionModel | undefined,
): FieldModel[] {
  const parsed = parseViewQuery(query);
  const tables = new Map<string, CollectionModel>();
  for (const table of parsed.tables) {
    if (table.alias.includes('(')) continue;
    const found = findCollection(table.original);
    if (found && found.name === table.original) tables.set(table.alias, found);
  }
  const mainAlias = parsed.tables[0]?.alias ?? '';

  const suggested = new Map<string, FieldModel>();
  for (const col of parsed.columns) {
    const lower = col.original.toLowerCase();
    if (col.alias === 'id') {
      suggested.set(col.alias, textPrimaryKey(col.alias));
      continue;
    }
    if (lower.startsWith('count(') || lower.startsWith('total(')) {
      suggested.set(col.alias, newField({ type: 'number', name: col.alias }));
      continue;
    }
    const cast = CAST_RE.exec(lower);
    if (cast) {
      const target = cast[1];
      if (target === 'real' || target === 'integer' || target === 'int' || target === 'decimal' || target === 'numeric') {
        suggested.set(col.alias, newField({ type: 'number', name: col.alias }));
        continue;
      }
      if (target === 'text') {
        suggested.set(col.alias, newField({ type: 'text', name: col.alias }));
        continue;
      }
      if (target === 'boolean' || target === 'bool') {
        suggested.set(col.alias, newField({ type: 'bool', name: col.alias }));
        continue;
      }
    }
    const parts = col.original.split('.');
    const fieldName = parts.length === 2 ? (parts[1] ?? '') : (parts[0] ?? '');
    const collection = parts.length === 2 ? tables.get(parts[0] ?? '') : tables.get(mainAlias);
    if (!collection) {
      suggested.set(col.alias, jsonField(col.alias));
      continue;
    }
    if (fieldName === '*') throw new Error('dynamic column names are not supported');
    const field = collection.fields.find((f) => f.name.toLowerCase() === fieldName.toLowerCase());
    if (!field) {
      suggested.set(col.alias, jsonField(col.alias));
      continue;
    }
    if (fieldName.toLowerCase() === 'id') {
      suggested.set(col.alias, newField({ type: 'relation', name: col.alias, maxSelect: 1, collectionId: collection.id }));
      continue;
    }
    const clone = structuredClone(field);
    clone.id = `_clone_${randomString(4)}`;
    clone.name = col.alias;
    suggested.set(col.alias, clone);
  }

  let hasId = false;
  const fields: FieldModel[] = [];
  for (const name of columns) {
    if (name === 'id') hasId = true;
    fields.push(suggested.get(name) ?? jsonField(name));
  }
  if (!hasId) throw new Error('missing required id column (you can use `(ROW_NUMBER() OVER()) as id` if you don\'t have one)');
  return fields;
}
