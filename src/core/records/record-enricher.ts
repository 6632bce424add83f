import type { CollectionModel } from '../collections/collection-model.js';
import { findSingleColumnUniqueIndex } from '../collections/index-parser.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { isSuperuser, type RecordData, type RequestInfo } from '../request-info.js';
import type { ExpandTree } from './expand-parser.js';
import { manageRule, ruleFiltersOrNull } from './record-access.js';
import { fieldIsMultiple } from './record-fields.js';
import type { RecordRepository } from './record-repository.js';
import { rowToRecord } from './record-rows.js';
import { serializeRecord, type ExpandJson, type RecordJson } from './record-serializer.js';
import { relationIds } from './record-values.js';

const BACK_RELATION = /^(\w+)_via_(\w+)$/;
const NO_OPTIONS = Object.freeze({ showEmail: false, showHidden: false, expand: undefined });
const SUPERUSER_OPTIONS = Object.freeze({ showEmail: false, showHidden: true, expand: undefined });

interface RelationPlan {
  collection: CollectionModel;
  multiple: boolean;
  /** Loads the related records of all `parents` and maps each parent id to its related ids. */
  load(parents: readonly RecordData[], filters: string[], request: RequestInfo): Promise<{ rels: RecordData[]; idsOf: (parent: RecordData) => string[] }>;
}

/**
 * Turns records into API JSON for one caller: email visibility, batched `expand` (one query per
 * relation and level, each related collection's view rule applied for the caller) and redaction
 * (hidden fields shown to superusers only, at every expand level, as PocketBase's enrichRecords).
 * Every transport goes through here, so a record never leaves the system another way.
 */
export class RecordEnricher {
  constructor(
    private readonly schema: SchemaRegistry,
    private readonly repository: () => RecordRepository,
  ) {}

  /** Serializes `records` of `collection` for `request`, expanding `expand`. */
  async enrich(collection: CollectionModel, records: readonly RecordData[], request: RequestInfo, expand: ExpandTree): Promise<RecordJson[]> {
    // the common case (no expand, not an auth collection) stays synchronous: no request copy,
    // no extra awaits
    const expansions = expand.size > 0 && records.length > 0
      ? await this.#expand(collection, records, expand, { ...request, context: 'expand' })
      : null;
    const visible = collection.type === 'auth' && records.length > 0 ? await this.visibleEmails(collection, records, request) : null;
    const showHidden = isSuperuser(request);
    if (!expansions && !visible) {
      const options = showHidden ? SUPERUSER_OPTIONS : NO_OPTIONS;
      return records.map((record) => serializeRecord(collection, record, options));
    }
    return records.map((record) => serializeRecord(collection, record, {
      showEmail: visible?.has(record.id) ?? false,
      showHidden,
      expand: expansions?.get(record),
    }));
  }

  /**
   * Ids of the auth records whose email the caller may see regardless of `emailVisibility`:
   * all for superusers, the caller's own record, and those the caller may manage (`manageRule`).
   */
  async visibleEmails(collection: CollectionModel, records: readonly RecordData[], request: RequestInfo): Promise<Set<string>> {
    const out = new Set<string>();
    if (collection.type !== 'auth' || records.length === 0) return out;
    if (isSuperuser(request)) return new Set(records.map((r) => r.id));
    const auth = request.auth;
    if (!auth) return out;
    if (auth.collection.id === collection.id) out.add(auth.record.id);
    const rule = manageRule(collection);
    if (rule !== null && rule.trim() !== '') {
      const rows = await this.repository().find({
        collection, request, filters: [rule], allowHiddenFields: true,
        match: { field: 'id', values: records.map((r) => r.id), multiple: false },
      });
      for (const row of rows) out.add(String(row['id']));
    }
    return out;
  }

  #plan(collection: CollectionModel, name: string): RelationPlan | null {
    const back = BACK_RELATION.exec(name);
    if (back) {
      const other = this.schema.find(back[1] ?? '');
      const field = other?.fields.find((f) => f.name === back[2]);
      if (!other || !field || field.type !== 'relation' || field['collectionId'] !== collection.id) return null;
      const fieldMultiple = fieldIsMultiple(field);
      return {
        collection: other,
        multiple: !findSingleColumnUniqueIndex(other.indexes, field.name),
        load: async (parents, filters, request) => {
          const rows = await this.repository().find({
            collection: other, request, filters, allowHiddenFields: false,
            match: { field: field.name, values: parents.map((p) => p.id), multiple: fieldMultiple },
          });
          const rels = rows.map((row) => rowToRecord(other, row));
          const byParent = new Map<string, string[]>();
          for (const rel of rels) {
            for (const parentId of relationIds(rel[field.name])) {
              const list = byParent.get(parentId) ?? [];
              if (list.length < 1000) list.push(rel.id);
              byParent.set(parentId, list);
            }
          }
          return { rels, idsOf: (parent) => byParent.get(parent.id) ?? [] };
        },
      };
    }
    const field = collection.fields.find((f) => f.name === name);
    if (!field || field.type !== 'relation') return null;
    const target = this.schema.find(String(field['collectionId'] ?? ''));
    if (!target) return null;
    return {
      collection: target,
      multiple: fieldIsMultiple(field),
      load: async (parents, filters, request) => {
        const ids = [...new Set(parents.flatMap((p) => relationIds(p[name])))];
        if (ids.length === 0) return { rels: [], idsOf: () => [] };
        const rows = await this.repository().find({
          collection: target, request, filters, allowHiddenFields: false,
          match: { field: 'id', values: ids, multiple: false },
        });
        return { rels: rows.map((row) => rowToRecord(target, row)), idsOf: (parent) => relationIds(parent[name]) };
      },
    };
  }

  async #expand(collection: CollectionModel, records: readonly RecordData[], tree: ExpandTree, request: RequestInfo): Promise<Map<RecordData, ExpandJson>> {
    const result = new Map<RecordData, ExpandJson>();
    for (const [name, subtree] of tree) {
      const plan = this.#plan(collection, name);
      if (!plan) continue;
      const filters = ruleFiltersOrNull(plan.collection, 'viewRule', request);
      if (filters === null) continue;
      let loaded;
      try {
        loaded = await plan.load(records, filters, request);
      } catch {
        continue; // PocketBase logs failed expands and answers without them
      }
      const json = await this.enrich(plan.collection, loaded.rels, request, subtree);
      const byId = new Map<string, RecordJson>();
      loaded.rels.forEach((rel, i) => {
        const item = json[i];
        if (item) byId.set(rel.id, item);
      });
      for (const record of records) {
        const expand = result.get(record) ?? {};
        result.set(record, expand);
        const valid = loaded.idsOf(record).map((id) => byId.get(id)).filter((r): r is RecordJson => r !== undefined);
        if (valid.length === 0) continue;
        expand[name] = plan.multiple ? valid : (valid[0] as RecordJson);
      }
    }
    return result;
  }
}
