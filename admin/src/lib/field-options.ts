/** How one field option is edited. */
export interface OptionSpec {
  key: string;
  label: string;
  kind: 'number' | 'text' | 'bool' | 'list' | 'collection';
  hint?: string;
}

/** The 14 field types PocketBase (and Plinth) know, in the order the type picker shows them. */
export const FIELD_TYPES = [
  'text', 'editor', 'number', 'bool', 'email', 'url', 'date', 'autodate',
  'select', 'file', 'relation', 'json', 'geoPoint', 'password',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const domains: OptionSpec[] = [
  { key: 'exceptDomains', label: 'Except domains', kind: 'list', hint: 'comma separated' },
  { key: 'onlyDomains', label: 'Only domains', kind: 'list', hint: 'comma separated' },
];

/**
 * Each type's own options, as the server's field files (src/core/fields/*-field.ts) name them;
 * the common ones (name, required, hidden, presentable) are edited for every type.
 */
export const FIELD_OPTIONS = {
  text: [
    { key: 'min', label: 'Min length', kind: 'number' },
    { key: 'max', label: 'Max length', kind: 'number', hint: '0: the default limit' },
    { key: 'pattern', label: 'Pattern', kind: 'text', hint: 'a regular expression the value must match' },
    { key: 'autogeneratePattern', label: 'Autogenerate pattern', kind: 'text', hint: 'e.g. [a-z0-9]{15}' },
    { key: 'primaryKey', label: 'Primary key', kind: 'bool' },
  ],
  editor: [
    { key: 'maxSize', label: 'Max size (bytes)', kind: 'number' },
    { key: 'convertURLs', label: 'Convert URLs', kind: 'bool' },
  ],
  number: [
    { key: 'min', label: 'Min', kind: 'number' },
    { key: 'max', label: 'Max', kind: 'number' },
    { key: 'onlyInt', label: 'Integers only', kind: 'bool' },
  ],
  bool: [],
  email: domains,
  url: domains,
  date: [
    { key: 'min', label: 'Min date', kind: 'text', hint: '2026-01-01 00:00:00.000Z' },
    { key: 'max', label: 'Max date', kind: 'text' },
  ],
  autodate: [
    { key: 'onCreate', label: 'Set on create', kind: 'bool' },
    { key: 'onUpdate', label: 'Set on update', kind: 'bool' },
  ],
  select: [
    { key: 'values', label: 'Values', kind: 'list', hint: 'comma separated' },
    { key: 'maxSelect', label: 'Max select', kind: 'number', hint: 'more than 1: a multi-select' },
  ],
  file: [
    { key: 'maxSelect', label: 'Max files', kind: 'number' },
    { key: 'maxSize', label: 'Max size (bytes)', kind: 'number' },
    { key: 'mimeTypes', label: 'MIME types', kind: 'list', hint: 'comma separated, empty: any' },
    { key: 'thumbs', label: 'Thumb sizes', kind: 'list', hint: 'e.g. 100x100, 0x300' },
    { key: 'protected', label: 'Protected (needs a file token)', kind: 'bool' },
  ],
  relation: [
    { key: 'collectionId', label: 'Related collection', kind: 'collection' },
    { key: 'minSelect', label: 'Min select', kind: 'number' },
    { key: 'maxSelect', label: 'Max select', kind: 'number', hint: 'more than 1: several records' },
    { key: 'cascadeDelete', label: 'Cascade delete', kind: 'bool' },
  ],
  json: [{ key: 'maxSize', label: 'Max size (bytes)', kind: 'number' }],
  geoPoint: [],
  password: [
    { key: 'min', label: 'Min length', kind: 'number' },
    { key: 'max', label: 'Max length', kind: 'number' },
    { key: 'pattern', label: 'Pattern', kind: 'text' },
    { key: 'cost', label: 'bcrypt cost', kind: 'number' },
  ],
} satisfies Record<FieldType, OptionSpec[]>;

/** A new field of `type` with the server's defaults left to the server. */
export function newField(type: FieldType, name: string): Record<string, unknown> {
  const field: Record<string, unknown> = { name, type, required: false, hidden: false, presentable: false };
  if (type === 'select') Object.assign(field, { values: [], maxSelect: 1 });
  if (type === 'file') Object.assign(field, { maxSelect: 1, maxSize: 0, mimeTypes: [], thumbs: [] });
  if (type === 'relation') Object.assign(field, { maxSelect: 1, cascadeDelete: false });
  if (type === 'autodate') Object.assign(field, { onCreate: true, onUpdate: false });
  return field;
}
