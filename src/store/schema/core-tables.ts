import type { Dialect } from '../dialect.js';

/**
 * PocketBase's core tables (`_migrations`, `_params`, `_collections`) in a dialect. On SQLite the
 * text is PocketBase's own; elsewhere the same columns with the dialect's types and defaults
 * (`_collections.name` is VARCHAR(255) where a TEXT column cannot carry a UNIQUE key).
 */
export function coreTablesSql(d: Dialect): string[] {
  const q = (n: string) => d.quote(n);
  const id = `${q('id')} ${d.columnDefinition({ kind: 'text', primaryKey: true, notNull: true, defaultValue: '' })}`;
  const text = (def: string | null, notNull = true) => d.columnDefinition({ kind: 'text', primaryKey: false, notNull, defaultValue: def });
  const json = (def: string | null, notNull = true) => d.columnDefinition({ kind: 'json', primaryKey: false, notNull, defaultValue: def });
  const textType = d.name === 'postgres' ? 'TEXT COLLATE "C"' : d.name === 'mysql' ? 'LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : 'TEXT';
  const date = `${textType} DEFAULT ${d.nowDefault()} NOT NULL`;
  const name = d.name === 'sqlite' ? 'TEXT UNIQUE NOT NULL'
    : d.name === 'postgres' ? 'VARCHAR(255) COLLATE "C" UNIQUE NOT NULL'
    : 'VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL UNIQUE';
  const rule = (n: string) => `${q(n)} ${text(null, false)}`;
  const applied = d.name === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const type = d.name === 'mysql' ? 'VARCHAR(32) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : textType;
  return [
    `CREATE TABLE ${q('_migrations')} (${q('file')} VARCHAR(255) PRIMARY KEY NOT NULL, ${q('applied')} ${applied} NOT NULL)`,
    `CREATE TABLE ${q('_params')} (${id}, ${q('value')} ${json(null, false)}, ${q('created')} ${date}, ${q('updated')} ${date})`,
    `CREATE TABLE ${q('_collections')} (${[
      id,
      `${q('system')} ${d.columnDefinition({ kind: 'bool', primaryKey: false, notNull: true, defaultValue: false })}`,
      `${q('type')} ${type} DEFAULT 'base' NOT NULL`,
      `${q('name')} ${name}`,
      `${q('fields')} ${json('[]')}`,
      `${q('indexes')} ${json('[]')}`,
      rule('listRule'), rule('viewRule'), rule('createRule'), rule('updateRule'), rule('deleteRule'),
      `${q('options')} ${json('{}')}`,
      `${q('created')} ${date}`,
      `${q('updated')} ${date}`,
    ].join(', ')})`,
    `CREATE INDEX ${q('idx__collections_type')} ON ${q('_collections')} (${q('type')})`,
  ];
}
