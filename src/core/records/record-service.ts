import type { CollectionModel, RuleName } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { cacheDependencies } from '../cache/cache-policy.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { errors, PlinthError } from '../errors/plinth-error.js';
import type { RecordAction, RecordEvents } from '../events/record-events.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import { guestRequest, isSuperuser, type RecordData, type RequestInfo } from '../request-info.js';
import { parseExpand } from './expand-parser.js';
import { parseFields, pickFields } from './fields-picker.js';
import { checkQueryParamsAllowed, ruleFilters, ruleFiltersOrNull } from './record-access.js';
import { deleteWithReferences } from './record-delete.js';
import { RecordEnricher } from './record-enricher.js';
import { DeferredRecordEvents } from './record-events-deferred.js';
import { fieldStamp } from './record-fields.js';
import type { RecordFileScope } from './record-files.js';
import { loadForm, validateAuthForm } from './record-form.js';
import { pageParams, type ListParams, type ListResult, type OutputParams } from './record-list-params.js';
import { canManage, findAllByFilter, findFirstByField, findOne, matchesUserFilter } from './record-lookup.js';
import type { RecordRepository } from './record-repository.js';
import { recordToRow, rowToJson, rowToRecord } from './record-rows.js';
import type { RecordJson } from './record-serializer.js';
import { RecordHookRun } from './record-hook-run.js';
import { validateRecordForm } from './record-validation.js';
import { insertRecord, newRecord, stampCreate, updateRecord } from './record-write.js';
import type { FilterExpr } from '../filter/index.js';
import type { RuleTrace } from '../rules/rule-trace.js';

/** Thrown to roll the rule tester's trial insert back. */
const ROLLBACK = Symbol('rollback');

export { DEFAULT_PER_PAGE, MAX_PER_PAGE, type ListParams, type ListResult, type OutputParams } from './record-list-params.js';

/**
 * Records, with PocketBase's behaviour, for every transport. Two levels:
 *
 * - API level (`list`, `view`, `create`, `update`, `delete`): applies the collection rules for the
 *   caller in `RequestInfo` (see record-access.ts), validates, writes in one transaction and returns
 *   the serialized JSON (hidden fields redacted, email visibility, expand, fields).
 * - System level, rule-free, for the auth service and other core code (the contract it may rely on):
 *   `findById(collection, id)` → the raw record (hidden fields included) or null;
 *   `findFirstByField(collection, field, value, {caseInsensitive})` → first match or null;
 *   `serialize(collection, record, request, {expand, fields})` → the exact API JSON;
 *   `save(collection, record)` → writes an existing record as is (stamps `updated`);
 *   `createSystem`/`updateSystem`/`deleteSystem` → validated writes without rules (AuthRecordWriter);
 *   `canAccess(collection, record, request, rule)` → whether the record satisfies a rule text (RuleCheck);
 *   `passesRule(collection, record, request, ruleName)` → the same for a collection rule, with the
 *   API's access checks (API-key scopes) — what realtime and protected files use.
 */
export class RecordService {
  readonly #enricher: RecordEnricher;
  /** Guest list/view answers, when the response cache is configured (see src/core/cache). */
  cache: ResponseCache | null = null;
  /** The hooks of the API-level calls (src/core/hooks), set by the composition root. */
  hooks: HookRegistry | null = null;
  /** Inside `inTransaction`: after hooks wait here for the outer commit. */
  #deferred: Array<() => Promise<void>> | null = null;

  constructor(
    private readonly schema: SchemaRegistry,
    private readonly repository: RecordRepository,
    /** Receives every committed write (see src/core/events/record-events.ts). */
    private readonly events?: RecordEvents,
    /** Stores uploads and removes replaced files around writes (see record-files.ts). */
    private readonly files?: RecordFileScope,
  ) {
    this.#enricher = new RecordEnricher(schema, () => this.repository);
  }

  /** The collection by id or name, or a 404. */
  collection(idOrName: string): CollectionModel {
    const collection = this.schema.find(idOrName);
    if (!collection) throw errors.notFound('Missing collection context.');
    return collection;
  }

  // --- API level -------------------------------------------------------------------------------

  async list(collectionRef: string, request: RequestInfo, params: ListParams = {}): Promise<ListResult> {
    const collection = this.collection(collectionRef);
    const run = this.#hookRun(collection, request);
    if (run) {
      params = await run.before('recordList', { params: { ...params } }, 'params');
      return run.afterView('recordAfterList', 'result', await this.#list(collection, request, params));
    }
    // hooked reads are never cached: hooks may answer each request differently
    return this.#cached(collection, 'listRule', request, params, 'l', () => this.#list(collection, request, params));
  }

  async #list(collection: CollectionModel, request: RequestInfo, params: ListParams): Promise<ListResult> {
    checkQueryParamsAllowed(request, params.filter, params.sort);
    const filters = ruleFilters(collection, 'listRule', request);
    const fieldsSel = parseFields(params.fields);
    const expand = parseExpand(params.expand);
    const { page, perPage, offset, skipTotal } = pageParams(params);
    const showHidden = isSuperuser(request);
    const query = {
      collection, request, allowHiddenFields: showHidden,
      filters, userFilter: params.filter, sort: params.sort,
    };
    const rows = await this.repository.find({ ...query, limit: perPage, offset });
    let totalItems = -1;
    let totalPages = -1;
    if (!skipTotal) {
      totalItems = await this.repository.count(query);
      totalPages = Math.ceil(totalItems / perPage);
    }
    // the common case (non-auth collection, no expand) serializes the rows directly
    const items = pickFields(expand.size === 0 && collection.type !== 'auth'
      ? rows.map((row) => rowToJson(collection, row, showHidden))
      : await this.#enricher.enrich(collection, rows.map((row) => rowToRecord(collection, row)), request, expand), fieldsSel);
    return { page, perPage, totalItems, totalPages, items };
  }

  async view(collectionRef: string, id: string, request: RequestInfo, params: OutputParams = {}): Promise<RecordJson> {
    const collection = this.collection(collectionRef);
    const run = this.#hookRun(collection, request);
    if (run) {
      params = await run.before('recordView', { id, params: { ...params } }, 'params');
      return run.afterView('recordAfterView', 'record', await this.#view(collection, id, request, params));
    }
    return this.#cached(collection, 'viewRule', request, params, `v|${id}`, () => this.#view(collection, id, request, params));
  }

  async #view(collection: CollectionModel, id: string, request: RequestInfo, params: OutputParams): Promise<RecordJson> {
    const filters = ruleFilters(collection, 'viewRule', request);
    const fieldsSel = parseFields(params.fields);
    if (!params.expand && collection.type !== 'auth') {
      // the common case serializes the row directly (what `serialize` would answer, one pass)
      const row = await this.repository.findOne({
        collection, request, filters, allowHiddenFields: true,
        match: { field: 'id', values: [id], multiple: false },
      });
      if (!row) throw errors.notFound();
      return pickFields(rowToJson(collection, row, isSuperuser(request)), fieldsSel);
    }
    const record = await findOne(this.repository, collection, id, request, filters);
    if (!record) throw errors.notFound();
    return this.serialize(collection, record, request, params, fieldsSel);
  }

  async create(collectionRef: string, body: Record<string, unknown>, request: RequestInfo, params: OutputParams = {}): Promise<RecordJson> {
    const collection = this.#writable(collectionRef);
    const run = this.#hookRun(collection, request);
    if (run) body = await run.before('recordCreate', { data: { ...body } }, 'data');
    const filters = ruleFilters(collection, 'createRule', request);
    const fieldsSel = parseFields(params.fields);
    const superuser = isSuperuser(request);
    const form = stampCreate(collection, loadForm(collection, newRecord(collection), body));
    const ruleRequest: RequestInfo = { ...request, body: form.body };
    // validate with the manager access level first, as PocketBase's dry submit does
    await validateRecordForm(this.schema, collection, form, null, true, this.repository);
    const write = async (tx: RecordRepository): Promise<RecordData> => {
      const record = await insertRecord(this.schema, collection, form, tx, superuser ? form.record['verified'] === true : false);
      if (superuser) return record;
      // an empty rule always matches the row just inserted: no query needed
      if (filters.length > 0 && !(await findOne(tx, collection, record.id, ruleRequest, filters))) {
        throw errors.badRequest('Failed to create record.');
      }
      if (collection.type === 'auth') {
        const manage = await canManage(tx, collection, record.id, ruleRequest);
        const formErrors = validateAuthForm({ isNew: true, manage, original: null, record: form.record, passwords: form.passwords, oldPasswordOk: false });
        if (Object.keys(formErrors).length > 0) throw errors.validation(formErrors);
        if (form.record['verified'] === true) {
          record['verified'] = true;
          await tx.update(collection, record.id, recordToRow(collection, record, new Set(['verified'])));
        }
      }
      return record;
    };
    const saved = await this.#withFiles(collection, null, form.record, () => this.repository.transaction(async (tx) => this.#written(tx, 'create', collection, await write(tx))));
    const committed = this.#emit('create', collection, saved);
    if (committed) await committed;
    if (run) await this.#after(() => run.after('recordAfterCreate', saved));
    return this.serialize(collection, saved, request, params, fieldsSel);
  }

  async update(collectionRef: string, id: string, body: Record<string, unknown>, request: RequestInfo, params: OutputParams = {}): Promise<RecordJson> {
    const collection = this.#writable(collectionRef);
    const filters = ruleFilters(collection, 'updateRule', request);
    const fieldsSel = parseFields(params.fields);
    const existing = await this.findById(collection, id);
    const run = this.#hookRun(collection, request);
    if (!existing) throw errors.notFound();
    if (run) body = await run.before('recordUpdate', { id, record: existing, data: { ...body } }, 'data');
    const form = loadForm(collection, existing, body);
    const ruleRequest: RequestInfo = { ...request, body: form.body };
    if (filters.length > 0 && !(await findOne(this.repository, collection, id, ruleRequest, filters))) throw errors.notFound();
    const manage = isSuperuser(request) || (await canManage(this.repository, collection, id, ruleRequest));
    await validateRecordForm(this.schema, collection, form, existing, manage, this.repository);
    const saved = await this.#withFiles(collection, existing, form.record, () => this.repository.transaction(async (tx) => this.#written(tx, 'update', collection, await updateRecord(collection, existing, form, tx, body), existing)));
    const committed = this.#emit('update', collection, saved, existing);
    if (committed) await committed;
    if (run) await this.#after(() => run.after('recordAfterUpdate', saved));
    return this.serialize(collection, saved, request, params, fieldsSel);
  }

  async delete(collectionRef: string, id: string, request: RequestInfo): Promise<void> {
    const collection = this.#writable(collectionRef);
    const run = this.#hookRun(collection, request);
    const stored = run ? await this.findById(collection, id) : null;
    if (run) await run.before('recordDelete', { id, record: stored }, null);
    const filters = ruleFilters(collection, 'deleteRule', request);
    const found = await findOne(this.repository, collection, id, request, filters);
    if (!found) throw errors.notFound();
    await this.deleteSystem(collection, id);
    if (run) await this.#after(() => run.after('recordAfterDelete', stored ?? found));
  }

  // --- system level ----------------------------------------------------------------------------

  /** The stored record with hidden fields, no rules applied; null when missing. */
  async findById(collection: CollectionModel, id: string): Promise<RecordData | null> {
    return findOne(this.repository, collection, id, guestRequest(), []);
  }

  /** The first record whose `field` equals `value` (case-insensitively when asked, e.g. emails). */
  async findFirstByField(collection: CollectionModel, field: string, value: unknown, options: { caseInsensitive?: boolean } = {}): Promise<RecordData | null> {
    return findFirstByField(this.repository, collection, field, value, options);
  }

  /**
   * Records matching a filter-language `filter`, no rules applied (hidden fields included). Pass
   * values as `@request.body.<name>` in the filter and `params` as the body, never spliced in text.
   */
  async findAllSystem(collection: CollectionModel, filter: string, params: Record<string, unknown> = {}, options: { sort?: string; limit?: number } = {}): Promise<RecordData[]> {
    return findAllByFilter(this.repository, collection, filter, params, options);
  }

  /**
   * Whether `record` passes the collection's `rule` for `request` as the API would check it
   * (superusers, API-key scopes, locked and public rules: see `ruleFiltersOrNull`).
   */
  async passesRule(collection: CollectionModel, record: RecordData, request: RequestInfo, rule: RuleName): Promise<boolean> {
    const filters = ruleFiltersOrNull(collection, rule, request);
    if (filters === null) return false;
    return filters.length === 0 || (await findOne(this.repository, collection, record.id, request, filters)) !== null;
  }

  /**
   * The rule tester's evaluation of `rule` (see src/core/rules): for the stored record `id`, with
   * `body` as the submitted form of an update; or, for a create (`id` null), for the record `body`
   * would create, inserted in a transaction that is always rolled back. Null: no such record.
   */
  async traceRule(collection: CollectionModel, rule: FilterExpr, request: RequestInfo, id: string | null, body: Record<string, unknown> = {}): Promise<RuleTrace | null> {
    if (id !== null) {
      const existing = await this.findById(collection, id);
      if (!existing) return null;
      const form = loadForm(collection, existing, body);
      return this.repository.traceRule(collection, id, rule, { ...request, body: form.body });
    }
    const form = stampCreate(collection, loadForm(collection, newRecord(collection), body));
    let trace: RuleTrace | null = null;
    try {
      await this.repository.transaction(async (tx) => {
        const record = await insertRecord(this.schema, collection, form, tx, false);
        trace = await tx.traceRule(collection, record.id, rule, { ...request, body: form.body });
        throw ROLLBACK;
      });
    } catch (err) {
      if (err !== ROLLBACK) throw err;
    }
    return trace;
  }

  /** Whether `record` satisfies `rule` for `request` (null rule: superusers only; empty: everyone). */
  async canAccess(collection: CollectionModel, record: RecordData, request: RequestInfo, rule: string | null): Promise<boolean> {
    if (isSuperuser(request)) return true;
    if (rule === null) return false;
    if (rule.trim() === '') return true;
    return (await findOne(this.repository, collection, record.id, request, [rule])) !== null;
  }

  /** The API JSON of a record for `request` (visibility, expand, fields), as every endpoint sends it. */
  async serialize(collection: CollectionModel, record: RecordData, request: RequestInfo, params: OutputParams = {}, fieldsSel = parseFields(params.fields)): Promise<RecordJson> {
    const [json] = await this.#enricher.enrich(collection, [record], request, parseExpand(params.expand));
    return pickFields(json ?? {}, fieldsSel);
  }

  /** Writes an existing record's values as they are (no validation, no rules); stamps `updated`. */
  async save(collection: CollectionModel, record: RecordData): Promise<RecordData> {
    const now = new Date();
    const out: RecordData = { ...record };
    for (const field of collection.fields) out[field.name] = fieldStamp(field, out[field.name], 'update', now);
    out.id = record.id;
    if (this.events?.hasWriteHooks) {
      await this.repository.transaction(async (tx) => {
        await tx.update(collection, record.id, recordToRow(collection, out));
        await this.#written(tx, 'update', collection, out);
      });
    } else {
      await this.repository.update(collection, record.id, recordToRow(collection, out));
    }
    const committed = this.#emit('update', collection, out);
    if (committed) await committed;
    return out;
  }

  /** Validated create without rules (superuser level). */
  async createSystem(collection: CollectionModel, data: Record<string, unknown>): Promise<RecordData> {
    const form = stampCreate(collection, loadForm(collection, newRecord(collection), data));
    await validateRecordForm(this.schema, collection, form, null, true, this.repository);
    const saved = await this.#withFiles(collection, null, form.record, () => this.repository.transaction(async (tx) => this.#written(tx, 'create', collection, await insertRecord(this.schema, collection, form, tx, form.record['verified'] === true))));
    const committed = this.#emit('create', collection, saved);
    if (committed) await committed;
    return saved;
  }

  /** Validated update without rules (superuser level). */
  async updateSystem(collection: CollectionModel, id: string, data: Record<string, unknown>): Promise<RecordData> {
    const existing = await this.findById(collection, id);
    if (!existing) throw errors.notFound();
    const form = loadForm(collection, existing, data);
    await validateRecordForm(this.schema, collection, form, existing, true, this.repository);
    const saved = await this.#withFiles(collection, existing, form.record, () => this.repository.transaction(async (tx) => this.#written(tx, 'update', collection, await updateRecord(collection, existing, form, tx, data), existing)));
    const committed = this.#emit('update', collection, saved, existing);
    if (committed) await committed;
    return saved;
  }

  /** Deletes with cascade/unlink of references, in one transaction. */
  async deleteSystem(collection: CollectionModel, id: string): Promise<void> {
    try {
      const batch = this.events?.active ? this.events.batch() : undefined;
      await this.#withFiles(collection, { id }, null, (track) => this.repository.transaction(async (tx) => {
        await deleteWithReferences(this.schema, track(tx), collection, id, batch);
        if (batch && this.events?.hasWriteHooks) await this.events.writing(batch.events, tx);
      }));
      const committed = batch?.commit();
      if (committed) await committed;
    } catch (err) {
      if (err instanceof PlinthError && err.code !== 'bad_request') throw err;
      throw errors.badRequest('Failed to delete record. Make sure that the record is not part of a required relation reference.', {}, err);
    }
  }

  /**
   * Whether `record` matches a caller's `?filter=` text as a list would apply it (no hidden
   * fields; `@request.*`/`@collection.*` for superusers only). Bad filters match nothing.
   */
  async matchesFilter(collection: CollectionModel, record: RecordData, request: RequestInfo, filter: string): Promise<boolean> {
    return matchesUserFilter(this.repository, collection, record, request, filter);
  }

  /**
   * Runs `fn` with a records service bound to one transaction (the batch API): every call made
   * through it shares the transaction, sees the earlier writes and applies the same rules; file
   * uploads are undone and replaced files kept when the transaction rolls back.
   */
  async inTransaction<T>(fn: (records: RecordService) => Promise<T>): Promise<T> {
    const journal = this.files?.newJournal();
    const events = this.events ? new DeferredRecordEvents(this.events) : undefined;
    const deferred: Array<() => Promise<void>> = [];
    let result: T;
    try {
      result = await this.repository.transaction((tx) => {
        const inner = new RecordService(this.schema, tx, events, journal ? this.files?.bound(journal) : undefined);
        inner.hooks = this.hooks;
        inner.#deferred = deferred;
        return fn(inner);
      });
    } catch (err) {
      await journal?.rollback();
      throw err;
    }
    await journal?.commit();
    const committed = events?.flush();
    if (committed) await committed;
    for (const run of deferred) await run();
    return result;
  }

  // --- internals -------------------------------------------------------------------------------

  /** `read()` through the response cache when it is on and the read may be cached (cache-policy.ts). */
  #cached<T>(collection: CollectionModel, rule: RuleName, request: RequestInfo, params: ListParams | OutputParams, kind: string, read: () => Promise<T>): Promise<T> {
    const cache = this.cache;
    const deps = cache?.enabled ? cacheDependencies({ collection, rule, request, params: { ...params } }) : null;
    if (!cache || !deps) return read();
    return cache.getOrCompute(`${kind}|${collection.id}|${this.schema.version}|${JSON.stringify(params)}`, deps, read);
  }

  /** The hook run of one API call, or null when no record hook is registered. */
  #hookRun(collection: CollectionModel, request: RequestInfo): RecordHookRun | null {
    return this.hooks?.hasRecordHooks ? new RecordHookRun(this.hooks, collection, request) : null;
  }

  /** Runs after-commit work now, or once the outer transaction committed (batch). */
  async #after(fn: () => Promise<void>): Promise<void> {
    if (this.#deferred) this.#deferred.push(fn);
    else await fn();
  }

  #withFiles<T>(collection: CollectionModel, original: RecordData | null, record: RecordData | null, write: (track: (repo: RecordRepository) => RecordRepository) => Promise<T>): Promise<T> {
    return this.files ? this.files.run(collection, original, record, write) : write((repo) => repo);
  }

  /** Runs the in-transaction hooks (the webhook outbox) for one write on its transaction; returns `record`. */
  #written(tx: RecordRepository, action: RecordAction, collection: CollectionModel, record: RecordData, previous?: RecordData): RecordData | Promise<RecordData> {
    if (!this.events?.hasWriteHooks) return record;
    return this.events.writing([{ action, collection, record, previous }], tx).then(() => record);
  }

  /** Reports a committed write; a returned promise (awaited handlers) must be awaited before answering. */
  #emit(action: RecordAction, collection: CollectionModel, record: RecordData, previous?: RecordData): void | Promise<void> {
    if (this.events?.active) return this.events.emit([{ action, collection, record, previous }]);
  }

  #writable(collectionRef: string): CollectionModel {
    const collection = this.collection(collectionRef);
    if (collection.type === 'view') throw errors.badRequest('Unsupported collection type.');
    return collection;
  }
}
