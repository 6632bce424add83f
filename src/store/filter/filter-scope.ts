import type { CollectionModel, FieldModel } from '../../core/collections/collection-model.js';
import { errors } from '../../core/errors/plinth-error.js';
import type { RequestInfo } from '../../core/request-info.js';
import type { Dialect } from '../dialect.js';
import { raw, type Frag } from './sql-fragment.js';

/** What the filter and sort compilers need to know about the query they compile for. */
export interface FilterContext {
  dialect: Dialect;
  /** The collection whose rows are filtered (may be synthetic, e.g. `_collections`). */
  collection: CollectionModel;
  /** Looks a collection up by name or id (relations, back-relations, `@collection.*`). */
  findCollection(nameOrId: string): CollectionModel | undefined;
  /** The alias of the filtered table in the outer query (`SELECT … FROM <table> <alias>`). */
  tableAlias: string;
  /** The request behind `@request.*`; null resolves every `@request.*` field to NULL. */
  request: RequestInfo | null;
  /**
   * Allows hidden fields and skips the related collections' list rules. PocketBase sets it for
   * rules and for superusers' filter/sort; a non-superuser's `?filter=`/`?sort=` runs without it.
   */
  allowHiddenFields: boolean;
  /** The clock of the datetime macros (defaults to the current time). */
  now?: Date;
}

/** One `LEFT JOIN <source> ON <on>` of the row subquery; `source` includes the alias. */
export interface SqlJoin {
  source: Frag;
  alias: string;
  on: Frag | null;
}

interface SharedState {
  joins: SqlJoin[];
  listRuleJoins: Map<string, CollectionModel>;
  counter: number;
}

const ID_FIELD: FieldModel = { id: 'id', name: 'id', type: 'text', system: true, hidden: false, presentable: false };
const AUTH_SECRET_FIELDS: ReadonlySet<string> = new Set(['password', 'tokenKey']);

/** Looks a field up by name; `id` always exists, auth `password`/`tokenKey` are always hidden. */
export function getField(collection: CollectionModel, name: string): FieldModel | undefined {
  const field = collection.fields.find((f) => f.name === name) ?? (name === 'id' ? ID_FIELD : undefined);
  if (field && collection.type === 'auth' && AUTH_SECRET_FIELDS.has(name) && !field.hidden) {
    return { ...field, hidden: true };
  }
  return field;
}

/** True for select/file/relation fields (the ones with `maxSelect`). */
export const isMultiValuer = (field: FieldModel): boolean =>
  field.type === 'select' || field.type === 'file' || field.type === 'relation';

/** True for a multi-valuer field with `maxSelect > 1` (stored as a JSON array). */
export const isMultiple = (field: FieldModel): boolean => isMultiValuer(field) && Number(field.maxSelect ?? 1) > 1;

/**
 * One compilation pass: the base collection and its alias, and the joins that the resolved fields
 * need. Scopes created for the related collections' list rules share the join list.
 */
export class FilterScope {
  private constructor(
    readonly ctx: FilterContext,
    readonly base: CollectionModel,
    readonly baseAlias: string,
    readonly allowHiddenFields: boolean,
    readonly aliasSuffix: string,
    private readonly shared: SharedState,
  ) {}

  static root(ctx: FilterContext, baseAlias: string): FilterScope {
    const shared: SharedState = { joins: [], listRuleJoins: new Map(), counter: 0 };
    return new FilterScope(ctx, ctx.collection, baseAlias, ctx.allowHiddenFields, '', shared);
  }

  /** A scope for a joined collection's list rule: hidden fields allowed, its own alias suffix. */
  child(collection: CollectionModel, alias: string): FilterScope {
    const suffix = `_lr${++this.shared.counter}`;
    return new FilterScope(this.ctx, collection, alias, true, suffix, this.shared);
  }

  get dialect(): Dialect {
    return this.ctx.dialect;
  }

  get joins(): readonly SqlJoin[] {
    return this.shared.joins;
  }

  get listRuleJoins(): ReadonlyMap<string, CollectionModel> {
    return this.shared.listRuleJoins;
  }

  q(identifier: string): string {
    return this.ctx.dialect.quote(identifier);
  }

  column(alias: string, field: string): Frag {
    return raw(`${this.q(alias)}.${this.q(field)}`);
  }

  nextAlias(prefix: string): string {
    return `${prefix}${++this.shared.counter}`;
  }

  loadCollection(nameOrId: string): CollectionModel | undefined {
    if (nameOrId === this.base.name || nameOrId === this.base.id) return this.base;
    return this.ctx.findCollection(nameOrId);
  }

  /**
   * Adds (or replaces, by alias) a join. Without `allowHiddenFields` a joined collection must have a
   * list rule: null (superusers only) is refused, a non-empty one is added as a row constraint.
   */
  registerJoin(join: SqlJoin, collection?: CollectionModel): void {
    if (collection && !this.allowHiddenFields) {
      if (collection.listRule === null) {
        throw errors.badRequest(`Invalid filter field: "${collection.name}" fields can be accessed only by superusers.`);
      }
      if (collection.listRule.trim() !== '') this.shared.listRuleJoins.set(join.alias, collection);
    }
    const index = this.shared.joins.findIndex((j) => j.alias === join.alias);
    if (index >= 0) this.shared.joins[index] = join;
    else this.shared.joins.push(join);
  }
}

/** Throws the "unknown/invalid field" error (a 400). */
export function invalidField(message: string): never {
  throw errors.badRequest(`Invalid filter field: ${message}.`);
}
