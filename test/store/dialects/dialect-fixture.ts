import { randomBytes } from 'node:crypto';
import type { CollectionModel } from '../../../src/core/collections/collection-model.js';
import type { ColumnSpec } from '../../../src/core/fields/field-type.js';
import type { Db, SqlValue } from '../../../src/store/db.js';
import type { Dialect, DialectName } from '../../../src/store/dialect.js';
import { MysqlDb } from '../../../src/store/mysql/mysql-db.js';
import { PostgresDb } from '../../../src/store/postgres/postgres-db.js';
import { SqliteDb } from '../../../src/store/sqlite/sqlite-db.js';
import { requireService } from '../../helpers/requirements.js';

/** A database for one test file: its own schema (PG) or database (MySQL), dropped by `dispose`. */
export interface TestDb {
  db: Db;
  dispose(): Promise<void>;
}

/** One entry of the dialect matrix; `open` is null when the service is missing (outside CI). */
export interface DialectTarget {
  name: DialectName;
  open: (() => Promise<TestDb>) | null;
}

const uniqueName = (): string => `plinth_test_${randomBytes(5).toString('hex')}`;

async function openPostgres(url: string): Promise<TestDb> {
  const schema = uniqueName();
  const admin = new PostgresDb({ connectionString: url, max: 1 });
  await admin.exec(`CREATE SCHEMA "${schema}"`);
  const db = new PostgresDb({ connectionString: url, settings: { search_path: schema } });
  return {
    db,
    dispose: async () => {
      await db.close();
      await admin.exec(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.close();
    },
  };
}

async function openMysql(url: string): Promise<TestDb> {
  const database = uniqueName();
  const admin = new MysqlDb({ url, connectionLimit: 1 });
  await admin.exec(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const u = new URL(url);
  u.pathname = `/${database}`;
  const db = new MysqlDb({ url: u.toString() });
  return {
    db,
    dispose: async () => {
      await db.close();
      await admin.exec(`DROP DATABASE \`${database}\``);
      await admin.close();
    },
  };
}

/**
 * The dialect matrix (DESIGN §5): SQLite always, PostgreSQL and MySQL/MariaDB when their service
 * answers (`PLINTH_TEST_POSTGRES_URL`, `PLINTH_TEST_MYSQL_URL`). A missing service prints one
 * "skipped: …" line for the calling suite, or fails under CI. Use with top-level await.
 */
export async function dialectTargets(suite: string): Promise<DialectTarget[]> {
  const pg = await requireService('postgres', `${suite} (postgres)`);
  const my = await requireService('mysql', `${suite} (mysql)`);
  return [
    { name: 'sqlite', open: async () => {
      const db = new SqliteDb(':memory:');
      return { db, dispose: () => db.close() };
    } },
    { name: 'postgres', open: pg ? () => openPostgres(pg) : null },
    { name: 'mysql', open: my ? () => openMysql(my) : null },
  ];
}

/** The column a fixture field gets, as PocketBase lays it out (see ColumnSpec). */
function columnSpec(field: CollectionModel['fields'][number]): ColumnSpec {
  if (field.name === 'id') return { kind: 'text', notNull: true, defaultValue: null, primaryKey: true };
  if (Number(field.maxSelect ?? 1) > 1) return { kind: 'json', notNull: true, defaultValue: '[]', primaryKey: false };
  switch (field.type) {
    case 'number':
      return { kind: 'number', notNull: true, defaultValue: 0, primaryKey: false };
    case 'bool':
      return { kind: 'bool', notNull: true, defaultValue: false, primaryKey: false };
    case 'json':
      return { kind: 'json', notNull: false, defaultValue: null, primaryKey: false };
    case 'geoPoint':
      return { kind: 'json', notNull: true, defaultValue: '{"lon":0,"lat":0}', primaryKey: false };
    default:
      return { kind: 'text', notNull: true, defaultValue: '', primaryKey: false };
  }
}

/** Dialect-neutral `CREATE TABLE` for a collection, through `Dialect.columnDefinition`. */
export function createTableSql(dialect: Dialect, collection: CollectionModel): string {
  const cols = collection.fields.map((f) => `${dialect.quote(f.name)} ${dialect.columnDefinition(columnSpec(f))}`);
  return `CREATE TABLE ${dialect.quote(collection.name)} (${cols.join(', ')})`;
}

/** Inserts rows with `?` placeholders; missing columns take their defaults. */
export async function insertRows(db: Db, table: string, rows: readonly Record<string, unknown>[]): Promise<void> {
  const q = (id: string) => db.dialect.quote(id);
  for (const row of rows) {
    const keys = Object.keys(row);
    await db.run(
      `INSERT INTO ${q(table)} (${keys.map(q).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`,
      keys.map((k) => row[k] as SqlValue),
    );
  }
}
