import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import type { Db } from '../../src/store/db.js';
import { importStore } from '../../src/store/import/store-importer.js';
import { MysqlDb } from '../../src/store/mysql/mysql-db.js';
import { openDb } from '../../src/store/open-db.js';
import { PostgresDb } from '../../src/store/postgres/postgres-db.js';
import { fixtureDir } from './paths.js';
import { requireService, serviceUrl } from './requirements.js';

/** The store dialects every store and API test runs on (DESIGN §5). */
export const ALL_DIALECTS = ['sqlite', 'postgres', 'mysql'] as const;
export type TestDialect = (typeof ALL_DIALECTS)[number];

export function isTestDialect(value: string): value is TestDialect {
  return (ALL_DIALECTS as readonly string[]).includes(value);
}

/** The dialect of the vitest project running this file (`PLINTH_TEST_DIALECT`, default sqlite). */
export function projectDialect(): TestDialect {
  const value = process.env.PLINTH_TEST_DIALECT ?? '';
  return isTestDialect(value) ? value : 'sqlite';
}

/**
 * The dialects to run this suite on: SQLite always, PostgreSQL and MySQL/MariaDB when their
 * service answers (one "skipped: …" line each otherwise; under CI a missing service fails).
 * Use with top-level await: `const DIALECTS = await testDialects('records'); describe.each(DIALECTS)…`.
 */
export async function testDialects(suite: string): Promise<TestDialect[]> {
  const out: TestDialect[] = ['sqlite'];
  if (await requireService('postgres', `${suite} (postgres)`)) out.push('postgres');
  if (await requireService('mysql', `${suite} (mysql)`)) out.push('mysql');
  return out;
}

/** Prefix of every schema/database the tests create; global-setup drops this run's leftovers. */
export const TEST_DB_PREFIX = 'plinth_t_';

function runId(): string {
  try {
    return inject('dbRunId') || 'x';
  } catch {
    return 'x';
  }
}

/** A fresh schema (PostgreSQL) or database (MySQL) name of this run. */
export function testDatabaseName(): string {
  return `${TEST_DB_PREFIX}${runId()}_${randomBytes(4).toString('hex')}`;
}

const pendingDrops = new Set<Promise<void>>();

/** Drops a database in the background (see {@link flushDrops}); errors are ignored. */
export function dropLater(database: TestDatabase): void {
  const p: Promise<void> = database.drop().catch(() => undefined).finally(() => pendingDrops.delete(p));
  pendingDrops.add(p);
}

/** Waits for the drops started with {@link dropLater}. */
export async function flushDrops(): Promise<void> {
  await Promise.all(pendingDrops);
}

/** A database of its own for one test server: `url` for `--db`, dropped by `drop()`. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

let admins: Partial<Record<'postgres' | 'mysql', Db>> = {};

async function admin(dialect: 'postgres' | 'mysql'): Promise<Db> {
  admins[dialect] ??= dialect === 'postgres'
    // test schemas are disposable: commits need not wait for the WAL flush
    ? new PostgresDb({ connectionString: serviceUrl('postgres'), max: 2, settings: { synchronous_commit: 'off' } })
    : new MysqlDb({ url: serviceUrl('mysql'), connectionLimit: 2 });
  return admins[dialect];
}

/** Closes the admin connections of this worker (call in a suite's afterAll when done). */
export async function closeTestDatabaseAdmins(): Promise<void> {
  for (const [dialect, spare] of Object.entries(spares)) {
    delete spares[dialect as 'postgres' | 'mysql'];
    await spare.then((d) => d.drop(), () => undefined);
  }
  await flushDrops();
  const open = Object.values(admins);
  admins = {};
  await Promise.all(open.map((db) => db.close()));
}

/** The URL of `name` (a PG schema through search_path, or a MySQL database). */
export function databaseUrl(dialect: 'postgres' | 'mysql', name: string): string {
  const u = new URL(serviceUrl(dialect));
  if (dialect === 'postgres') u.searchParams.set('options', `-c search_path=${name}`);
  else u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty schema/database. */
export async function createEmptyDatabase(dialect: 'postgres' | 'mysql', name = testDatabaseName()): Promise<TestDatabase> {
  const db = await admin(dialect);
  if (dialect === 'postgres') await db.exec(`CREATE SCHEMA "${name}"`);
  else await db.exec(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  return {
    url: databaseUrl(dialect, name),
    drop: async () => {
      const a = await admin(dialect);
      if (dialect === 'postgres') await a.exec(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      else await a.exec(`DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
}

async function copyInto(source: Db | { sqliteFile: string }, url: string): Promise<void> {
  const from = 'sqliteFile' in source ? await openDb(source) : source;
  const to = await openDb(url);
  try {
    await importStore(from, to);
  } finally {
    await to.close();
    if (from !== source) await from.close();
  }
}

interface Template {
  name: string;
  /** The statements that copy the template into the current schema/database, in one script. */
  cloneScript: string;
}

const templates: Partial<Record<'postgres' | 'mysql', Promise<Template>>> = {};

/** The view collections of a store, in creation order, with their queries. */
async function viewQueries(db: Db): Promise<Array<{ name: string; query: string }>> {
  const rows = await db.all<{ name: string; options: string }>(
    `SELECT name, options FROM ${db.dialect.quote('_collections')} WHERE type = 'view' ORDER BY created, ${db.dialect.quote('id')}`,
  );
  return rows.map((r) => ({ name: r.name, query: String((JSON.parse(r.options) as { viewQuery?: string }).viewQuery ?? '').trim().replace(/;+\s*$/, '') }));
}

/**
 * A script that copies every table of the template (structure, rows, indexes with their names)
 * and recreates its views, server-side in one round trip: about 20x faster than re-importing.
 * PostgreSQL: `LIKE … INCLUDING ALL EXCLUDING INDEXES`, then the template's index definitions.
 * MySQL: `CREATE TABLE … LIKE` (indexes and hidden index columns included).
 */
async function buildCloneScript(dialect: 'postgres' | 'mysql', name: string, db: Db): Promise<string> {
  const views = await viewQueries(db);
  const viewNames = new Set(views.map((v) => v.name));
  const tables = (await db.all<{ name: string }>(db.dialect.listTablesSql())).map((r) => r.name).filter((t) => !viewNames.has(t));
  const q = (n: string) => db.dialect.quote(n);
  const out: string[] = [];
  if (dialect === 'postgres') {
    for (const t of tables) {
      out.push(`CREATE TABLE ${q(t)} (LIKE "${name}".${q(t)} INCLUDING ALL EXCLUDING INDEXES)`, `INSERT INTO ${q(t)} SELECT * FROM "${name}".${q(t)}`);
    }
    const indexes = await db.all<{ def: string; primary: number; table: string; index: string }>(
      'SELECT pg_get_indexdef(x.indexrelid) AS def, x.indisprimary AS "primary", t.relname AS "table", i.relname AS "index"'
      + ' FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid'
      + ' JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ?',
      [name],
    );
    for (const ix of indexes) {
      out.push(ix.def.replace(` ON ${name}.`, ' ON '));
      if (ix.primary) out.push(`ALTER TABLE ${q(ix.table)} ADD CONSTRAINT ${q(ix.index)} PRIMARY KEY USING INDEX ${q(ix.index)}`);
    }
  } else {
    for (const t of tables) out.push(`CREATE TABLE ${q(t)} LIKE \`${name}\`.${q(t)}`, `INSERT INTO ${q(t)} SELECT * FROM \`${name}\`.${q(t)}`);
  }
  for (const v of views) out.push(`CREATE VIEW ${q(v.name)} AS SELECT * FROM (${v.query}) _pb_view`);
  return out.join(';\n');
}

/**
 * The PocketBase fixture imported once per worker (with `plinth import`'s code) into a template
 * schema/database, from the server's copy of the fixture folder.
 */
function fixtureTemplate(dialect: 'postgres' | 'mysql', dataDir: string): Promise<Template> {
  templates[dialect] ??= (async () => {
    const name = testDatabaseName();
    const database = await createEmptyDatabase(dialect, name);
    await copyInto({ sqliteFile: join(dataDir, 'data.db') }, database.url);
    const db = await openDb(database.url);
    try {
      return { name, cloneScript: await buildCloneScript(dialect, name, db) };
    } finally {
      await db.close();
    }
  })();
  return templates[dialect];
}

/**
 * A database for one test server: empty, or holding the PocketBase fixture (imported once per
 * worker into a template, then cloned server-side). `fixtureDataDir` is the server's copy of the
 * fixture folder (its files stay on disk; only `data.db` moves into the database).
 */
export async function createTestDatabase(dialect: 'postgres' | 'mysql', options: { fixtureDataDir?: string } = {}): Promise<TestDatabase> {
  if (options.fixtureDataDir === undefined) return createEmptyDatabase(dialect);
  const template = await fixtureTemplate(dialect, options.fixtureDataDir ?? fixtureDir());
  // one clone is made ahead, while the caller's server runs (leftovers: global-setup drops them)
  const ready = spares[dialect] ?? cloneTemplate(dialect, template);
  const next = cloneTemplate(dialect, template);
  next.catch(() => undefined);
  spares[dialect] = next;
  return ready;
}

const spares: Partial<Record<'postgres' | 'mysql', Promise<TestDatabase>>> = {};

async function cloneTemplate(dialect: 'postgres' | 'mysql', template: Template): Promise<TestDatabase> {
  const name = testDatabaseName();
  const db = await admin(dialect);
  if (dialect === 'postgres') {
    await db.exec(`BEGIN; CREATE SCHEMA "${name}"; SET LOCAL search_path TO "${name}";\n${template.cloneScript};\nCOMMIT`);
  } else {
    await db.exec(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; USE \`${name}\`;\n${template.cloneScript}`);
  }
  return {
    url: databaseUrl(dialect, name),
    drop: async () => {
      const a = await admin(dialect);
      if (dialect === 'postgres') await a.exec(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      else await a.exec(`DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
}

// Every test file that imports this module closes its admin connections and spare clones at the end.
afterAll(() => closeTestDatabaseAdmins());
