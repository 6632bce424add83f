import { randomLowerString } from '../../core/collections/collection-ids.js';
import type { CollectionModel } from '../../core/collections/collection-model.js';
import type { CollectionChange, ViewDryRun } from '../../core/collections/collection-repository.js';
import type { CollectionListQuery, CollectionListResult, CollectionStore } from '../../core/collections/collection-service.js';
import { errors } from '../../core/errors/plinth-error.js';
import type { Db } from '../db.js';
import { compileFilter, compileSort } from '../filter/index.js';
import { COLLECTION_COLUMNS, collectionValues, creationOrder, rowToCollection, type CollectionRow } from './collection-rows.js';
import { COLLECTIONS_META_MODEL } from './collections-meta-model.js';
import { deleteRecordsCascade } from './record-cascade.js';
import { syncRecordTable } from './table-sync.js';

/** Strips trailing semicolons and refuses multiple statements (a loose check; `run` is strict). */
function cleanViewQuery(query: string): string {
  return query.trim().replace(/;+\s*$/, '').trim();
}

/** The query of a view over a (user-written) SELECT; the alias is required by PostgreSQL and MySQL. */
function viewSelect(query: string): string {
  return `SELECT * FROM (${query}) _pb_view`;
}

/**
 * `_collections` and the collection tables on a SQL database. Every save runs in one transaction
 * with its table or view migration; nothing here validates (the core service does).
 */
export class SqlCollectionRepository implements CollectionStore {
  constructor(private readonly db: Db) {}

  async loadAll(): Promise<CollectionModel[]> {
    const table = this.db.dialect.quote('_collections');
    const rows = await this.db.all<CollectionRow>(`SELECT * FROM ${table} ORDER BY ${creationOrder(this.db.dialect, table)}`);
    return rows.map(rowToCollection);
  }

  async list(query: CollectionListQuery): Promise<CollectionListResult> {
    const ctx = {
      dialect: this.db.dialect,
      collection: COLLECTIONS_META_MODEL,
      findCollection: () => undefined,
      tableAlias: '_collections',
      request: null,
      allowHiddenFields: true,
    };
    let where;
    let order;
    try {
      where = compileFilter(query.filter, ctx);
      order = compileSort(query.sort, ctx);
    } catch (err) {
      throw errors.badRequest("Something went wrong while processing your request.", {}, err);
    }
    const t = this.db.dialect.quote('_collections');
    const orderSql = `ORDER BY ${order.sql ? order.sql : creationOrder(this.db.dialect, t)}`;
    const offset = (query.page - 1) * query.perPage;
    const sql = `SELECT ${t}.* FROM ${t} ${t} WHERE ${where.sql} ${orderSql} ${this.db.dialect.limitOffset(query.perPage, offset)}`;
    const rows = await this.db.all<CollectionRow>(sql, [...where.params, ...order.params]);
    let totalItems = -1;
    if (!query.skipTotal) {
      const count = await this.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t} ${t} WHERE ${where.sql}`, where.params);
      totalItems = Number(count?.n ?? 0);
    }
    return { items: rows.map(rowToCollection), totalItems };
  }

  async save(collection: CollectionModel, previous: CollectionModel | null): Promise<void> {
    await this.db.transaction((tx) => this.#save(tx, collection, previous));
  }

  async delete(collection: CollectionModel): Promise<void> {
    await this.db.transaction((tx) => this.#delete(tx, collection));
  }

  async applyChanges(changes: readonly CollectionChange[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const change of changes) {
        if (change.kind === 'delete') await this.#delete(tx, change.collection);
        else await this.#save(tx, change.collection, change.previous);
      }
    });
  }

  async truncate(collection: CollectionModel, all: readonly CollectionModel[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const rows = await tx.all<{ id: string }>(`SELECT id FROM ${tx.dialect.quote(collection.name)}`);
      await deleteRecordsCascade(tx, collection, rows.map((r) => String(r.id)), all);
    });
  }

  async viewColumns(query: string): Promise<string[]> {
    return (await this.dryRunView(query, 0)).columns;
  }

  async dryRunView(query: string, limit: number): Promise<ViewDryRun> {
    const clean = cleanViewQuery(query);
    const temp = `_temp_${randomLowerString(8)}`;
    const dialect = this.db.dialect;
    const q = (n: string) => dialect.quote(n);
    let result: ViewDryRun = { columns: [], rows: [] };
    const rollback = new Error('rollback');
    // SQLite: a TEMP view; elsewhere a plain view in a rolled-back transaction (where DDL commits
    // implicitly, as on MySQL, the view is also dropped explicitly)
    const temporary = dialect.name === 'sqlite' ? 'TEMP ' : '';
    try {
      await this.db.transaction(async (tx) => {
        await tx.run(`CREATE ${temporary}VIEW ${q(temp)} AS ${viewSelect(clean)}`);
        const columns = (await tx.all<{ name: string }>(dialect.tableColumnsSql(temp))).map((r) => r.name);
        const rows = limit > 0 ? await tx.all<Record<string, unknown>>(`SELECT * FROM ${q(temp)} ${dialect.limitOffset(limit, 0)}`) : [];
        result = { columns, rows };
        throw rollback;
      });
    } catch (err) {
      if (err !== rollback) throw err;
    } finally {
      if (!dialect.transactionalDdl) await this.db.exec(`DROP VIEW IF EXISTS ${q(temp)}`);
    }
    return result;
  }

  async tableExists(name: string): Promise<boolean> {
    const row = await this.db.get(`SELECT 1 AS x FROM (${this.db.dialect.listTablesSql()}) t WHERE lower(name) = lower(?)`, [name]);
    return row !== undefined;
  }

  async indexOwner(indexName: string): Promise<string | null> {
    const row = await this.db.get<{ tbl_name: string }>(this.db.dialect.indexOwnerSql(), [indexName]);
    return row?.tbl_name ?? null;
  }

  checkRule(rule: string, collection: CollectionModel, all: readonly CollectionModel[]): string | null {
    try {
      compileFilter(rule, {
        dialect: this.db.dialect,
        collection,
        findCollection: (n) => (n === collection.id || n === collection.name ? collection : all.find((c) => c.id === n || c.name === n)),
        tableAlias: collection.name,
        request: null,
        allowHiddenFields: true,
      });
      return null;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  async #save(tx: Db, c: CollectionModel, previous: CollectionModel | null): Promise<void> {
    const q = (n: string) => tx.dialect.quote(n);
    const values = collectionValues(c);
    if (previous) {
      const sets = COLLECTION_COLUMNS.slice(1).map((col) => `${q(col)} = ?`).join(', ');
      await tx.run(`UPDATE ${q('_collections')} SET ${sets} WHERE id = ?`, [...values.slice(1), c.id]);
    } else {
      const cols = COLLECTION_COLUMNS.map(q).join(', ');
      await tx.run(`INSERT INTO ${q('_collections')} (${cols}) VALUES (${COLLECTION_COLUMNS.map(() => '?').join(', ')})`, values);
    }
    if (c.type === 'view') {
      if (previous) await tx.exec(`DROP VIEW IF EXISTS ${q(previous.name)}`);
      await tx.exec(`DROP VIEW IF EXISTS ${q(c.name)}`);
      const query = cleanViewQuery(typeof c.options.viewQuery === 'string' ? c.options.viewQuery : '');
      // `run` prepares a single statement: a second statement in the query is an error
      await tx.run(`CREATE VIEW ${q(c.name)} AS ${viewSelect(query)}`);
      await tx.exec('SELECT 1');
    } else {
      await syncRecordTable(tx, c, previous);
    }
  }

  async #delete(tx: Db, c: CollectionModel): Promise<void> {
    const q = (n: string) => tx.dialect.quote(n);
    await tx.run(`DELETE FROM ${q('_collections')} WHERE id = ?`, [c.id]);
    if (c.type === 'view') await tx.exec(`DROP VIEW IF EXISTS ${q(c.name)}`);
    else await tx.exec(`DROP TABLE IF EXISTS ${q(c.name)}`);
  }
}
