import { errors, type ErrorData } from '../errors/plinth-error.js';
import { isSuperuser, type RequestInfo } from '../request-info.js';
import { mergeAuthOptions, newSecret } from './auth-options.js';
import { initDefaultFields, newCollection, newField, storedField } from './collection-factory.js';
import { nowDateTime } from './collection-ids.js';
import { RULE_NAMES, cloneCollection, findRelationReferences, type CollectionModel } from './collection-model.js';
import type { CollectionChange, CollectionRepository } from './collection-repository.js';
import { collectionToJSON, fieldToJSON } from './collection-serializer.js';
import { validateCollection } from './collection-validator.js';
import { buildIndex, isValidIndex, parseIndex } from './index-parser.js';
import type { SchemaRegistry } from './schema-registry.js';
import { inferViewFields } from './view-fields.js';

/** List parameters of `GET /api/collections` (PocketBase's search provider). */
export interface CollectionListQuery {
  page: number;
  perPage: number;
  sort: string;
  filter: string;
  skipTotal: boolean;
}

export interface CollectionListResult {
  items: CollectionModel[];
  totalItems: number;
}

/** The collection store plus its list query (filter/sort over `_collections`). */
export interface CollectionStore extends CollectionRepository {
  list(query: CollectionListQuery): Promise<CollectionListResult>;
}

type Body = Record<string, unknown>;

const DRY_RUN_SAMPLE = 10;

function requireSuperuser(info: Pick<RequestInfo, 'auth'>): void {
  if (!info.auth) throw errors.unauthorized();
  if (!isSuperuser(info)) throw errors.forbidden('The authorized record is not allowed to perform this action.');
}

function rawMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Applies submitted data on top of a collection the way PocketBase binds a request body: known
 * keys replace, auth options merge with the current ones, `fields` is replaced as a whole.
 */
function applyBody(c: CollectionModel, body: Body, isNew: boolean): void {
  if (typeof body.name === 'string') c.name = body.name;
  if (isNew && typeof body.id === 'string' && body.id !== '') c.id = body.id;
  if (typeof body.type === 'string') c.type = body.type as CollectionModel['type'];
  if (typeof body.system === 'boolean') c.system = body.system;
  for (const rule of RULE_NAMES) {
    if (rule in body) c[rule] = body[rule] === null || body[rule] === undefined ? null : String(body[rule]);
  }
  if (Array.isArray(body.fields)) {
    c.fields = body.fields.map(newField);
  }
  if (Array.isArray(body.indexes)) c.indexes = body.indexes.map(String);
  if (c.type === 'auth') c.options = mergeAuthOptions(c.options, body);
  if (c.type === 'view' && 'viewQuery' in body) c.options = { viewQuery: String(body.viewQuery ?? '') };
}

/**
 * Collections end to end: validation with PocketBase's codes, persistence with the table migration
 * in one transaction, and the in-memory registry kept in sync. Every entry point is superuser-only.
 */
export class CollectionService {
  constructor(
    private readonly schema: SchemaRegistry,
    private readonly store: CollectionStore,
  ) {}

  /** Serialises a collection as the API serves it. */
  toJSON(c: CollectionModel): Record<string, unknown> {
    return collectionToJSON(c);
  }

  async list(info: Pick<RequestInfo, 'auth'>, query: CollectionListQuery): Promise<CollectionListResult> {
    requireSuperuser(info);
    return this.store.list(query);
  }

  get(info: Pick<RequestInfo, 'auth'>, idOrName: string): CollectionModel {
    requireSuperuser(info);
    const found = this.schema.find(idOrName);
    if (!found) throw errors.notFound();
    return found;
  }

  async create(info: Pick<RequestInfo, 'auth'>, body: Body): Promise<CollectionModel> {
    requireSuperuser(info);
    const type = typeof body.type === 'string' ? body.type : '';
    const name = typeof body.name === 'string' ? body.name : '';
    const c = newCollection(type, name);
    const autoId = c.id;
    applyBody(c, body, true);
    if (c.id === autoId) c.id = newCollection(c.type, c.name).id;
    return this.#saveOrFail(c, null, 'Failed to create collection.');
  }

  async update(info: Pick<RequestInfo, 'auth'>, idOrName: string, body: Body): Promise<CollectionModel> {
    requireSuperuser(info);
    const original = this.schema.find(idOrName);
    if (!original) throw errors.notFound();
    const c = cloneCollection(original);
    applyBody(c, body, false);
    return this.#saveOrFail(c, original, 'Failed to update collection.');
  }

  async delete(info: Pick<RequestInfo, 'auth'>, idOrName: string): Promise<void> {
    requireSuperuser(info);
    const c = this.schema.find(idOrName);
    if (!c) throw errors.notFound();
    const problem = this.#deleteProblem(c);
    if (problem) throw errors.badRequest(problem);
    try {
      await this.store.delete(c);
    } catch (err) {
      throw errors.badRequest('Failed to delete collection.', {}, err);
    }
    this.schema.remove(c.id);
  }

  async truncate(info: Pick<RequestInfo, 'auth'>, idOrName: string): Promise<void> {
    requireSuperuser(info);
    const c = this.schema.find(idOrName);
    if (!c) throw errors.notFound();
    if (c.type === 'view') {
      throw errors.badRequest("View collections cannot be truncated since they don't store their own records.");
    }
    try {
      await this.store.truncate(c, this.schema.all());
    } catch (err) {
      throw errors.badRequest('Failed to truncate collection (most likely due to required cascade delete record references).', {}, err);
    }
    // no record events for a truncate: a new schema version drops what caches hold (every node)
    this.schema.touch();
  }

  /** `GET /api/collections/meta/scaffolds`: blank collections of each type (ids cleared). */
  scaffolds(info: Pick<RequestInfo, 'auth'>): Record<string, Record<string, unknown>> {
    requireSuperuser(info);
    const out: Record<string, Record<string, unknown>> = {};
    for (const type of ['auth', 'base', 'view']) {
      const c = newCollection(type, '');
      c.id = '';
      out[type] = collectionToJSON(c);
    }
    return out;
  }

  /** `POST /api/collections/meta/dry-run-view`: the fields a view query would get, and sample rows. */
  async dryRunView(info: Pick<RequestInfo, 'auth'>, body: Body): Promise<Record<string, unknown>> {
    requireSuperuser(info);
    const query = typeof body.query === 'string' ? body.query.trim() : '';
    if (query === '') throw errors.validation({ query: { code: 'validation_required', message: 'Cannot be blank.' } });
    try {
      const result = await this.store.dryRunView(query, DRY_RUN_SAMPLE);
      const fields = inferViewFields(query, result.columns, (n) => this.schema.find(n));
      const seen = new Set<string>();
      for (const row of result.rows) {
        const id = row.id === null || row.id === undefined ? '' : String(row.id);
        if (id === '') throw new Error('every row must have a non-empty id');
        if (seen.has(id)) throw new Error(`duplicated row id ${JSON.stringify(id)}`);
        seen.add(id);
        row.id = id;
      }
      return { fields: fields.map(fieldToJSON), sample: result.rows };
    } catch (err) {
      throw errors.badRequest(`Failed to run the view query. Raw error: ${rawMessage(err)}`);
    }
  }

  /** `PUT /api/collections/import`: upserts the given collections, optionally deleting the others. */
  async import(info: Pick<RequestInfo, 'auth'>, body: Body): Promise<void> {
    requireSuperuser(info);
    const list = Array.isArray(body.collections) ? (body.collections as unknown[]) : [];
    if (list.length === 0) {
      throw errors.badRequest('An error occurred while validating the submitted data.', {
        collections: { code: 'validation_required', message: 'Cannot be blank.' },
      });
    }
    const deleteMissing = body.deleteMissing === true || body.deleteMissing === 'true';
    const existing = this.schema.all();
    const imported: Array<{ c: CollectionModel; original: CollectionModel | null }> = [];
    for (const raw of list) {
      const data = (typeof raw === 'object' && raw !== null ? raw : {}) as Body;
      const identifier = String(data.id ?? '') || String(data.name ?? '');
      const found = this.schema.find(identifier);
      let c: CollectionModel;
      if (found) {
        c = cloneCollection(found);
        const patch = { ...data };
        if (patch.fields === undefined && deleteMissing) patch.fields = [];
        applyBody(c, patch, false);
        for (const f of found.fields) {
          if (!f.system && deleteMissing) continue;
          if (c.fields.some((x) => x.id === f.id)) continue;
          const sameName = c.fields.find((x) => x.name === f.name);
          if (sameName && sameName.type === f.type) sameName.id = f.id;
          else c.fields.push(structuredClone(f));
        }
      } else {
        c = newCollection(String(data.type ?? ''), String(data.name ?? ''), typeof data.id === 'string' && data.id !== '' ? data.id : undefined);
        applyBody(c, data, true);
      }
      imported.push({ c, original: found ?? null });
    }
    imported.sort((a, b) => Number(a.c.type === 'view') - Number(b.c.type === 'view'));

    const importedIds = new Set(imported.map((x) => x.c.id));
    const changes: CollectionChange[] = [];
    const deleted = deleteMissing ? existing.filter((c) => !importedIds.has(c.id) && !c.system) : [];
    for (const c of deleted) changes.push({ kind: 'delete', collection: c });
    const after = existing.filter((c) => !deleted.includes(c) && !importedIds.has(c.id));
    for (const x of imported) after.push(x.c);
    for (const x of imported) {
      const errs = await this.#prepare(x.c, x.original, after);
      if (Object.keys(errs).length > 0) {
        throw errors.badRequest('Failed to import collections.', {
          collections: {
            code: 'validation_collections_import_failure',
            message: `Data validations failed for collection "${x.c.name}" (${x.c.id}):\n${JSON.stringify(errs, null, 2)}`,
          },
        });
      }
      changes.push({ kind: 'save', collection: x.c, previous: x.original });
    }
    try {
      await this.store.applyChanges(changes);
    } catch (err) {
      throw errors.badRequest('Failed to import collections.', {
        collections: {
          code: 'validation_collections_import_failure',
          message: `Failed to import the collections configuration. Raw error:\n${rawMessage(err)}`,
        },
      });
    } finally {
      this.schema.replaceAll(await this.store.loadAll());
    }
  }

  /** Reloads the registry from the store (e.g. after a change made by another node). */
  async reload(): Promise<void> {
    this.schema.replaceAll(await this.store.loadAll());
  }

  #deleteProblem(c: CollectionModel): string | null {
    if (c.system) return `Failed to delete collection: [${c.name}] system collections cannot be deleted.`;
    const refs = findRelationReferences(this.schema.all(), c.id).filter((r) => r.collection.id !== c.id);
    if (refs.length > 0) {
      const names = [...new Set(refs.map((r) => r.collection.name))].join(', ');
      return `Failed to delete collection probably due to existing reference in ${names}`;
    }
    const views = this.schema.all().filter((v) => v.type === 'view' && v.id !== c.id && this.#viewUses(v, c.name));
    if (views.length > 0) {
      return `Failed to delete collection due to existing view dependencies: ${views.map((v) => v.name).join(', ')}. Try delete them first.`;
    }
    return null;
  }

  #viewUses(view: CollectionModel, table: string): boolean {
    const query = typeof view.options.viewQuery === 'string' ? view.options.viewQuery : '';
    return new RegExp(`(^|[^\\w])[\`"\\[]?${table.replace(/[^\w]/g, '')}[\`"\\]]?([^\\w]|$)`, 'i').test(query.replace(/'[^']*'/g, ''));
  }

  /** Normalises (defaults, view fields, canonical indexes, timestamps) and validates. */
  async #prepare(c: CollectionModel, original: CollectionModel | null, all: readonly CollectionModel[]): Promise<ErrorData> {
    if (!c.type) c.type = 'base';
    const now = nowDateTime();
    if (!original) c.created = now;
    c.updated = now;
    c.fields = c.fields.map(storedField);
    let viewQueryError: string | null = null;
    if (c.type === 'view') {
      const query = typeof c.options.viewQuery === 'string' ? c.options.viewQuery : '';
      c.fields = [];
      if (query.trim() !== '') {
        try {
          const columns = await this.store.viewColumns(query);
          c.fields = inferViewFields(query, columns, (n) => all.find((x) => x.name === n || x.id === n));
        } catch (err) {
          viewQueryError = rawMessage(err);
        }
      }
    }
    initDefaultFields(c);
    if (c.type === 'auth' && original) {
      const oldRule = original.options.authRule ?? null;
      const newRule = c.options.authRule ?? null;
      const token = c.options.authToken as Record<string, unknown> | undefined;
      if (oldRule !== newRule && token) token.secret = newSecret();
    }
    const context = { original, all: this.schema.all(), repository: this.store, viewQueryError };
    const errs = await validateCollection(c, context);
    if (Object.keys(errs).length === 0) {
      // store canonical index statements bound to the collection's table
      c.indexes = c.indexes.map((raw) => {
        const parsed = parseIndex(raw);
        if (!isValidIndex(parsed)) return raw;
        return buildIndex({ ...parsed, schemaName: '', tableName: c.name });
      });
    }
    return errs;
  }

  async #saveOrFail(c: CollectionModel, original: CollectionModel | null, message: string): Promise<CollectionModel> {
    const errs = await this.#prepare(c, original, this.schema.all());
    if (Object.keys(errs).length > 0) throw errors.validation(errs, message);
    try {
      await this.store.save(c, original);
    } catch (err) {
      const indexErr = (err as { indexErrors?: ErrorData }).indexErrors;
      if (indexErr) throw errors.validation({ indexes: indexErr }, message);
      throw errors.badRequest(`${message} Raw error: \n${rawMessage(err)}`);
    }
    this.schema.upsert(c);
    return c;
  }
}
