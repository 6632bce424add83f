import type { CollectionField, CollectionModel, RecordModel } from 'pocketbase';

/** Fields the grid and the form show: every field but auth secrets. */
export function visibleFields(collection: CollectionModel): CollectionField[] {
  return collection.fields.filter((f) => !(f.type === 'password') && f.name !== 'tokenKey');
}

/** Fields a user edits in the form (autodates and the id are the server's). */
export function editableFields(collection: CollectionModel): CollectionField[] {
  return collection.fields.filter((f) => f.type !== 'autodate' && f.name !== 'id' && f.name !== 'tokenKey' && !(f.type === 'password'));
}

/** A cell's text for a field value (files and relations are rendered by the grid itself). */
export function cellText(field: CollectionField, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  if (field.type === 'bool') return value ? 'true' : 'false';
  if (field.type === 'json' || typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
  }
  const text = String(value);
  if (field.type === 'editor') return text.replace(/<[^>]*>/g, ' ').slice(0, 80);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** True for select/file/relation fields holding several values. */
export const isMulti = (field: CollectionField): boolean => Number(field['maxSelect'] ?? 1) > 1;

/** The related record's presentable text (its presentable fields, else its id). */
export function presentable(record: RecordModel | undefined, collection: CollectionModel | undefined): string {
  if (!record) return '';
  const fields = collection?.fields.filter((f) => f['presentable']).map((f) => f.name) ?? [];
  const names = fields.length > 0 ? fields : ['name', 'title', 'email', 'username'];
  for (const name of names) {
    const value = record[name];
    if (typeof value === 'string' && value !== '') return value;
  }
  return record.id;
}
