import type { FieldModel } from '../../core/collections/collection-model.js';
import type { RequestInfo } from '../../core/request-info.js';
import type { SqlValue } from '../db.js';
import { FieldPathRunner, splitModifier } from './field-path-resolver.js';
import { FALSE_OPERAND, NULL_OPERAND, TRUE_OPERAND, operand, type Operand } from './filter-operand.js';
import { getField, invalidField, isMultiple, isMultiValuer, type FilterScope } from './filter-scope.js';
import { frag, mapFrags, param } from './sql-fragment.js';

/** The identifier shapes PocketBase's record resolver accepts. */
const ALLOWED_FIELDS: readonly RegExp[] = [
  /^\w+[\w.:]*$/,
  /^@request\.context$/,
  /^@request\.method$/,
  /^@request\.(auth|body|query|headers)\.[\w.:]*\w$/,
  /^@collection\.\w+(:\w+)?\.[\w.:]*\w$/,
];

/** `@request.auth.*` fields read from the auth record itself, without a join. */
const PLAIN_AUTH_FIELDS: ReadonlySet<string> = new Set(
  ['id', 'collectionId', 'collectionName', 'email', 'emailVisibility', 'verified'].map((f) => `@request.auth.${f}`),
);

/** Resolves any identifier operand: a field path, `@collection.*` or `@request.*`. */
export function resolveIdentifier(scope: FilterScope, name: string): Operand {
  if (!ALLOWED_FIELDS.some((re) => re.test(name))) invalidField(`failed to resolve field "${name}"`);
  const runner = new FieldPathRunner(scope, name);
  if (runner.props[0] === '@collection') return resolveCollectionField(runner);
  if (runner.props[0] === '@request') return resolveRequestField(runner);
  return runner.processActiveProps();
}

function resolveCollectionField(runner: FieldPathRunner): Operand {
  const { scope, props } = runner;
  if (props.length < 3) invalidField(`invalid @collection field path "${runner.fieldName}"`);
  const [nameOrId = '', aliasName = ''] = (props[1] ?? '').split(':');
  const collection = scope.loadCollection(nameOrId);
  if (!collection) invalidField(`unknown collection "${nameOrId}" in "${runner.fieldName}"`);
  const alias = (aliasName ? `__collection_alias_${aliasName}` : `__collection_${collection.name}`) + scope.aliasSuffix;
  runner.enterJoin(collection, alias, () => null, true);
  runner.props = props.slice(2);
  return runner.processActiveProps();
}

function resolveRequestField(runner: FieldPathRunner): Operand {
  const { scope, props, fieldName } = runner;
  const request = scope.ctx.request;
  if (!request) return NULL_OPERAND;
  if (fieldName.startsWith('@request.auth.')) {
    const auth = request.auth;
    if (!auth) return NULL_OPERAND;
    if (PLAIN_AUTH_FIELDS.has(fieldName)) return resolveStaticField(scope, request, props.slice(1));
    const alias = `__auth_${auth.collection.name}${scope.aliasSuffix}`;
    const authId = param(auth.record.id);
    runner.enterJoin(auth.collection, alias, (a) => frag`${scope.column(a, 'id')} = ${authId}`, false, '__mm_');
    runner.props = props.slice(2);
    return runner.processActiveProps();
  }
  if (fieldName.startsWith('@request.body.') && props.length > 2) {
    const [name, modifier] = splitModifier(props[2] ?? '');
    const bodyField = scope.base.fields.find((f) => f.name === name);
    if (bodyField) {
      if (bodyField.type === 'relation' && props.length > 3) return resolveBodyRelation(runner, request, bodyField);
      if (props.length === 3 && modifier && modifier !== 'isset') {
        return resolveBodyModifier(runner, request, bodyField, modifier);
      }
    }
  }
  return resolveStaticField(scope, request, props.slice(1));
}

function resolveBodyRelation(runner: FieldPathRunner, request: RequestInfo, field: FieldModel): Operand {
  const { scope } = runner;
  const relCollection = scope.loadCollection(String(field.collectionId ?? ''));
  if (!relCollection) invalidField(`failed to load the collection of body field "${field.name}"`);
  const ids = toUniqueStrings(request.body[field.name]);
  if (ids.length === 0) return NULL_OPERAND;
  const alias = `__data_${relCollection.name}_${field.name}${scope.aliasSuffix}`;
  const list = ids.map(() => '?').join(', ');
  runner.enterJoin(relCollection, alias, (a) => ({ sql: `${scope.column(a, 'id').sql} IN (${list})`, params: ids }), isMultiple(field));
  runner.props = runner.props.slice(3);
  return runner.processActiveProps();
}

function resolveBodyModifier(runner: FieldPathRunner, request: RequestInfo, field: FieldModel, modifier: string): Operand {
  const { scope } = runner;
  const value = request.body[field.name];
  switch (modifier) {
    case 'each':
      if (!isMultiValuer(field)) invalidField(`field "${field.name}" doesn't support multi-value operations`);
      return runner.addParamItemsJoin(JSON.stringify(toSlice(value)), `__dataEach_${field.name}_je${scope.aliasSuffix}`, isMultiple(field));
    case 'length':
      if (!isMultiValuer(field)) invalidField(`field "${field.name}" doesn't support multi-value operations`);
      return operand(param(toSlice(value).length));
    case 'lower':
      return operand(frag`LOWER(${param(typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '')})`);
    case 'changed': {
      if (value === undefined) return FALSE_OPERAND;
      const submitted = param(normalizeValue(value, field));
      const column = scope.column(scope.baseAlias, field.name);
      const d = scope.dialect;
      const distinct = mapFrags([submitted, column], ([a = '', b = '']) =>
        d.nullSafeEqual(`COALESCE(${d.textValue(a)}, '')`, `COALESCE(${d.textValue(b)}, '')`, true));
      return operand(frag`(CASE WHEN ${distinct} THEN TRUE ELSE FALSE END)`, 'disabled');
    }
    default:
      return invalidField(`invalid modifier sequence "${field.name}:${modifier}"`);
  }
}

/** A `@request.*` value taken from the request itself, as a bound parameter. */
function resolveStaticField(scope: FilterScope, request: RequestInfo, path: string[]): Operand {
  const [lastProp, modifier] = splitModifier(path[path.length - 1] ?? '');
  const keys = [...path.slice(0, -1), lastProp];
  const found = extractNested(staticRequestInfo(request), keys);
  if (modifier === 'isset') return found.ok ? TRUE_OPERAND : FALSE_OPERAND;
  if (modifier && modifier !== 'lower') invalidField(`invalid modifier sequence "${lastProp}:${modifier}"`);
  const value = normalizeValue(found.value, getField(scope.base, lastProp));
  if (value === null) return NULL_OPERAND;
  return operand(modifier === 'lower' ? frag`LOWER(${param(value)})` : param(value));
}

function staticRequestInfo(request: RequestInfo): Record<string, unknown> {
  const auth = request.auth
    ? { ...request.auth.record, collectionId: request.auth.collection.id, collectionName: request.auth.collection.name }
    : null;
  return { context: request.context, method: request.method, query: request.query, headers: request.headers, body: request.body, auth };
}

function extractNested(data: unknown, keys: readonly string[]): { ok: boolean; value: unknown } {
  let current: unknown = data;
  for (const key of keys) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(key) || Number(key) >= current.length) return { ok: false, value: null };
      current = current[Number(key)];
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else {
      return { ok: false, value: null };
    }
    if (current === undefined) return { ok: false, value: null };
  }
  return { ok: true, value: current };
}

const NUMERIC_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Plain values pass through; numeric strings of number fields become numbers; the rest is JSON. */
function normalizeValue(value: unknown, field: FieldModel | undefined): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return field?.type === 'number' && NUMERIC_RE.test(value) ? Number(value) : value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? null;
}

function toSlice(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function toUniqueStrings(value: unknown): string[] {
  let items: unknown[] = toSlice(value);
  if (typeof value === 'string' && value.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (Array.isArray(parsed)) items = parsed;
    } catch {
      // a plain id that happens to start with "["
    }
  }
  return [...new Set(items.map((v) => (typeof v === 'string' ? v : JSON.stringify(v) ?? '')))];
}

