import type { CollectionModel, FieldModel } from '../../core/collections/collection-model.js';
import { getField, invalidField, isMultiple, isMultiValuer, type FilterScope, type SqlJoin } from './filter-scope.js';
import { NULL_OPERAND, operand, type Operand } from './filter-operand.js';
import { frag, joinFrags, raw, type Frag } from './sql-fragment.js';

/** PocketBase's limit of nested relations in one path. */
export const MAX_NESTED_RELATIONS = 6;

const MODIFIERS = ['each', 'isset', 'length', 'lower', 'changed'] as const;
export type Modifier = (typeof MODIFIERS)[number] | '';

/** Splits `name:modifier`; an unknown modifier is an error. */
export function splitModifier(prop: string): [string, Modifier] {
  const parts = prop.split(':');
  if (parts.length !== 2) return [prop, ''];
  const [name = '', modifier = ''] = parts;
  if (!(MODIFIERS as readonly string[]).includes(modifier)) invalidField(`unknown modifier in "${prop}"`);
  return [name, modifier as Modifier];
}

const VIA_RE = /^(\w+)_via_(\w+)$/;
const SEGMENT_RE = /^\w+$/;

/** Builds a JSON path (`.a.b`, `[0]`, `.a[1]`) from field-path segments. */
export function jsonPath(segments: readonly string[]): string {
  let path = '';
  for (const s of segments) {
    if (!SEGMENT_RE.test(s)) invalidField(`invalid JSON path segment "${s}"`);
    path += /^\d+$/.test(s) ? `[${s}]` : `.${s}`;
  }
  return path;
}

/** True when a single-column UNIQUE index exists on `column`. */
export function hasSingleColumnUniqueIndex(indexes: readonly string[], column: string): boolean {
  return indexes.some((sql) => {
    const m = /^\s*create\s+unique\s+index\b[^(]*\(([^)]*)\)/i.exec(sql);
    const cols = m?.[1]?.split(',') ?? [];
    if (cols.length !== 1) return false;
    const name = (cols[0] ?? '').trim().replace(/\s+(asc|desc)$/i, '').replace(/^[`"[]|[`"\]]$/g, '');
    return name === column;
  });
}

/**
 * Resolves one field path to SQL, port of PocketBase's resolver runner: walks relations (LEFT JOINs
 * registered on the scope), back-relations `coll_via_field`, JSON paths and modifiers, and tracks
 * a parallel "multi-match" subquery that lists every item of a multi-valued path.
 */
export class FieldPathRunner {
  props: string[];
  activeCollection: CollectionModel;
  activeAlias: string;
  allowHidden: boolean;
  nullifyMissing: boolean;
  withMulti = false;
  private readonly mmJoins: SqlJoin[] = [];
  private readonly mmFromAlias: string;
  private mmAlias: string;

  constructor(readonly scope: FilterScope, readonly fieldName: string) {
    this.props = fieldName.split('.');
    this.activeCollection = scope.base;
    this.activeAlias = scope.baseAlias;
    const special = this.props[0] === '@collection' || this.props[0] === '@request';
    this.allowHidden = scope.allowHiddenFields || special;
    this.nullifyMissing = this.props[0] === '@request';
    this.mmFromAlias = `__mm_${scope.baseAlias}`;
    this.mmAlias = this.mmFromAlias;
  }

  private q(id: string): string {
    return this.scope.q(id);
  }

  private table(collection: CollectionModel, alias: string): Frag {
    return raw(`${this.q(collection.name)} ${this.q(alias)}`);
  }

  private fail(message: string): Operand {
    if (this.nullifyMissing) return NULL_OPERAND;
    return invalidField(message);
  }

  /** Switches to a joined collection both in the row query and in the multi-match subquery. */
  enterJoin(collection: CollectionModel, alias: string, on: (a: string) => Frag | null, multi: boolean, mmPrefix = '__mm'): void {
    this.scope.registerJoin({ source: this.table(collection, alias), alias, on: on(alias) }, collection);
    const mmAlias = `${mmPrefix}${alias}`;
    this.mmJoins.push({ source: this.table(collection, mmAlias), alias: mmAlias, on: on(mmAlias) });
    this.activeCollection = collection;
    this.activeAlias = alias;
    this.mmAlias = mmAlias;
    if (multi) this.withMulti = true;
  }

  /** Registers a join over the items of a JSON array given as a bound parameter (body `:each`). */
  addParamItemsJoin(value: string, alias: string, multi: boolean): Operand {
    const source = (a: string): Frag => ({ sql: this.scope.dialect.jsonEach('?', this.q(a)), params: [value] });
    this.scope.registerJoin({ source: source(alias), alias, on: null });
    const result = operand(raw(`${this.q(alias)}.${this.q('value')}`));
    if (multi) this.withMulti = true;
    if (this.withMulti) {
      const mmAlias = `__mm${alias}`;
      this.mmJoins.push({ source: source(mmAlias), alias: mmAlias, on: null });
      result.multi = this.multiMatch(raw(`${this.q(mmAlias)}.${this.q('value')}`));
    }
    return result;
  }

  multiMatch(value: Frag): Operand['multi'] {
    const s = this.scope;
    const joins = this.mmJoins.map(joinSql);
    const from = joinFrags([
      raw(`FROM ${this.q(s.base.name)} ${this.q(this.mmFromAlias)}`),
      ...joins,
      raw(`WHERE ${this.q(this.mmFromAlias)}.${this.q('id')} = ${this.q(s.baseAlias)}.${this.q('id')}`),
    ], ' ');
    return { value, from };
  }

  /** Resolves the remaining props against the active collection. */
  processActiveProps(): Operand {
    const total = this.props.length;
    for (let i = 0; i < total; i++) {
      const prop = this.props[i] ?? '';
      const collection = this.activeCollection;
      if (i === total - 1) return this.processLastProp(collection, prop);
      const field = getField(collection, prop);
      if (field?.hidden && !this.allowHidden) invalidField(`non-filterable field "${prop}"`);
      if (field && (field.type === 'json' || field.type === 'geoPoint')) {
        const path = jsonPath(this.props.slice(i + 1));
        return this.jsonValue(prop, path);
      }
      if (i >= MAX_NESTED_RELATIONS) invalidField(`max nested relations reached for field "${prop}"`);
      if (!field) {
        const via = this.enterBackRelation(collection, prop);
        if (via) return via;
        continue;
      }
      if (field.type !== 'relation') invalidField(`field "${prop}" is not a valid relation`);
      const relCollection = this.scope.loadCollection(String(field.collectionId ?? ''));
      if (!relCollection) invalidField(`failed to load the collection of field "${prop}"`);
      if (!isMultiple(field) && i === total - 2 && this.props[i + 1] === 'id') {
        return this.processLastProp(collection, field.name);
      }
      this.enterRelation(field, relCollection);
    }
    return invalidField(`failed to resolve field "${this.fieldName}"`);
  }

  private enterRelation(field: FieldModel, relCollection: CollectionModel): void {
    const s = this.scope;
    const d = s.dialect;
    const newAlias = `${this.activeAlias}_${field.name}`;
    if (!isMultiple(field)) {
      const fromAlias = this.activeAlias;
      const fromMm = this.mmAlias;
      const mmAlias = `${this.mmAlias}_${field.name}`;
      s.registerJoin({ source: this.table(relCollection, newAlias), alias: newAlias,
        on: raw(`${this.q(newAlias)}.${this.q('id')} = ${this.q(fromAlias)}.${this.q(field.name)}`) }, relCollection);
      this.mmJoins.push({ source: this.table(relCollection, mmAlias), alias: mmAlias,
        on: raw(`${this.q(mmAlias)}.${this.q('id')} = ${this.q(fromMm)}.${this.q(field.name)}`) });
      this.activeAlias = newAlias;
      this.mmAlias = mmAlias;
    } else {
      const jeAlias = `${this.activeAlias}_${field.name}_je`;
      s.registerJoin({ source: raw(d.jsonItems(`${this.q(this.activeAlias)}.${this.q(field.name)}`, this.q(jeAlias))), alias: jeAlias, on: null });
      s.registerJoin({ source: this.table(relCollection, newAlias), alias: newAlias,
        on: raw(`${this.q(newAlias)}.${this.q('id')} = ${this.q(jeAlias)}.${this.q('value')}`) }, relCollection);
      const mmJe = `${this.mmAlias}_${field.name}_je`;
      const mmAlias = `${this.mmAlias}_${field.name}`;
      this.mmJoins.push(
        { source: raw(d.jsonItems(`${this.q(this.mmAlias)}.${this.q(field.name)}`, this.q(mmJe))), alias: mmJe, on: null },
        { source: this.table(relCollection, mmAlias), alias: mmAlias,
          on: raw(`${this.q(mmAlias)}.${this.q('id')} = ${this.q(mmJe)}.${this.q('value')}`) },
      );
      this.activeAlias = newAlias;
      this.mmAlias = mmAlias;
      this.withMulti = true;
    }
    this.activeCollection = relCollection;
  }

  /** Handles `coll_via_field`; returns an operand only when resolution ends early (NULL). */
  private enterBackRelation(collection: CollectionModel, prop: string): Operand | undefined {
    const m = VIA_RE.exec(prop);
    if (!m) return this.fail(`unknown field "${prop}"`);
    const backCollection = this.scope.loadCollection(m[1] ?? '');
    if (!backCollection) return this.fail(`failed to load the back-relation collection of "${prop}"`);
    const backField = getField(backCollection, m[2] ?? '');
    if (!backField || backField.type !== 'relation') return this.fail(`invalid back-relation field "${m[2]}"`);
    if (backField.hidden && !this.allowHidden) invalidField(`non-filterable back-relation field "${backField.name}"`);
    if (backField.collectionId !== collection.id) return this.fail(`invalid collection reference of back-relation "${prop}"`);
    const multiple = isMultiple(backField) || !hasSingleColumnUniqueIndex(backCollection.indexes, backField.name);
    const d = this.scope.dialect;
    const on = (fromAlias: string) => (alias: string): Frag => {
      if (!multiple) return raw(`${this.q(alias)}.${this.q(backField.name)} = ${this.q(fromAlias)}.${this.q('id')}`);
      const je = `${alias}_je`;
      return raw(`${this.q(fromAlias)}.${this.q('id')} IN (SELECT ${this.q(je)}.${this.q('value')} FROM ${d.jsonItems(`${this.q(alias)}.${this.q(backField.name)}`, this.q(je))})`);
    };
    const newAlias = `${this.activeAlias}_${prop}`;
    const mmAlias = `${this.mmAlias}_${prop}`;
    this.scope.registerJoin({ source: this.table(backCollection, newAlias), alias: newAlias, on: on(this.activeAlias)(newAlias) }, backCollection);
    this.mmJoins.push({ source: this.table(backCollection, mmAlias), alias: mmAlias, on: on(this.mmAlias)(mmAlias) });
    this.activeCollection = backCollection;
    this.activeAlias = newAlias;
    this.mmAlias = mmAlias;
    if (multiple) this.withMulti = true;
    return undefined;
  }

  private jsonValue(column: string, path: string): Operand {
    const d = this.scope.dialect;
    const result = operand(raw(d.jsonValueAt(`${this.q(this.activeAlias)}.${this.q(column)}`, path)), 'disabled');
    result.json = true;
    if (this.withMulti) result.multi = this.multiMatch(raw(d.jsonValueAt(`${this.q(this.mmAlias)}.${this.q(column)}`, path)));
    return result;
  }

  processLastProp(collection: CollectionModel, prop: string): Operand {
    const [name, modifier] = splitModifier(prop);
    const field = getField(collection, name);
    if (!field) return this.fail(`unknown field "${name}"`);
    if (field.hidden && !this.allowHidden) invalidField(`non-filterable field "${name}"`);
    if (modifier === 'isset' || modifier === 'changed') {
      invalidField(`the :${modifier} modifier is only available for @request.* fields`);
    }
    const d = this.scope.dialect;
    const col = `${this.q(this.activeAlias)}.${this.q(field.name)}`;
    const mmCol = `${this.q(this.mmAlias)}.${this.q(field.name)}`;
    if (modifier === 'length' && isMultiValuer(field)) {
      const result = operand(raw(d.jsonItemCount(col)));
      if (this.withMulti) result.multi = this.multiMatch(raw(d.jsonItemCount(mmCol)));
      return result;
    }
    if (modifier === 'each' && isMultiValuer(field)) {
      const jeAlias = `${this.activeAlias}_${field.name}_je`;
      this.scope.registerJoin({ source: raw(d.jsonItems(col, this.q(jeAlias))), alias: jeAlias, on: null });
      const result = operand(raw(`${this.q(jeAlias)}.${this.q('value')}`));
      if (isMultiple(field)) this.withMulti = true;
      if (this.withMulti) {
        const mmJe = `${this.mmAlias}_${field.name}_je`;
        this.mmJoins.push({ source: raw(d.jsonItems(mmCol, this.q(mmJe))), alias: mmJe, on: null });
        result.multi = this.multiMatch(raw(`${this.q(mmJe)}.${this.q('value')}`));
      }
      return result;
    }
    // A multi-value column holds JSON text; `textValue` lets typed dialects compare it as text.
    const plain = (sql: string) => (isMultiple(field) ? d.textValue(sql) : sql);
    let result = operand(raw(plain(col)));
    let mmValue = raw(plain(mmCol));
    if (field.type === 'json') {
      result = operand(raw(d.jsonValueAt(col, '')), 'disabled');
      result.json = modifier !== 'lower';
      mmValue = raw(d.jsonValueAt(mmCol, ''));
    }
    if (modifier === 'lower') {
      const text = (sql: string) => (field.type === 'json' ? d.jsonText(sql) : sql);
      result.expr = raw(`LOWER(${text(result.expr.sql)})`);
      mmValue = raw(`LOWER(${text(mmValue.sql)})`);
    }
    if (this.withMulti) result.multi = this.multiMatch(mmValue);
    if (field.name === 'email' && !this.allowHidden && collection.type === 'auth') {
      const guard = raw(`${this.q(this.activeAlias)}.${this.q('emailVisibility')} = TRUE`);
      result.afterBuild = (expr) => frag`(${expr} AND ${guard})`;
    }
    return result;
  }
}

/** `LEFT JOIN <source> ON <on>` (ON 1=1 when there is no condition). */
export function joinSql(join: SqlJoin): Frag {
  return frag`LEFT JOIN ${join.source} ON ${join.on ?? raw('1=1')}`;
}

