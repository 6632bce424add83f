import { fieldError, type ErrorData, type FieldError } from '../errors/plinth-error.js';
import { RULE_NAMES, type CollectionModel, type RuleName } from './collection-model.js';
import type { CollectionRepository } from './collection-repository.js';
import { REQUIRED, checkForVia, lengthError, validateFieldSettings } from './field-validator.js';
import { buildIndex, findSingleColumnUniqueIndex, isIndexExpression, isValidIndex, parseIndex, type ParsedIndex } from './index-parser.js';
import { validateAuthOptions } from './auth-options-validator.js';

const NAME_RE = /^\w+$/;
const ID_RE = /^\w+$/;
const RESERVED_AUTH_KEYS = ['passwordConfirm', 'oldPassword'];

/** Everything a validation run looks at besides the collection itself. */
export interface ValidationContext {
  original: CollectionModel | null;
  /** Every collection as currently stored (the one being validated included, in its old state). */
  all: readonly CollectionModel[];
  repository: CollectionRepository;
  /** Set when the view query could not be turned into fields. */
  viewQueryError?: string | null;
}

type Errors = ErrorData;

async function checkName(c: CollectionModel, ctx: ValidationContext): Promise<FieldError | null> {
  const name = c.name;
  if (name === '') return REQUIRED;
  if (name.length > 255) return lengthError(1, 255);
  const via = checkForVia(name);
  if (via) return via;
  if (!NAME_RE.test(name)) return fieldError('validation_match_invalid', 'Must be in a valid format.');
  const original = ctx.original;
  if (original?.system && name !== original.name) {
    return fieldError('validation_collection_system_name_change', 'System collection name cannot be changed.');
  }
  const lower = name.toLowerCase();
  if (ctx.all.some((o) => o.name.toLowerCase() === lower && o.id !== original?.id)) {
    return fieldError('validation_collection_name_exists', 'Collection name must be unique (case insensitive).');
  }
  if (ctx.all.some((o) => o.id === name && o.id !== original?.id)) {
    return fieldError('validation_collection_name_id_duplicate', 'The name must not match an existing collection id.');
  }
  if (original?.name !== name && (await ctx.repository.tableExists(name))) {
    return fieldError('validation_collection_name_invalid', "The name shouldn't match with an existing internal table.");
  }
  return null;
}

function checkId(c: CollectionModel, ctx: ValidationContext): FieldError | null {
  if (c.id === '') return REQUIRED;
  if (ctx.original) {
    return c.id === ctx.original.id ? null : fieldError('validation_values_mismatch', 'Values don\'t match.');
  }
  if (c.id.length > 100) return lengthError(1, 100);
  if (!ID_RE.test(c.id)) return fieldError('validation_match_invalid', 'Must be in a valid format.');
  if (ctx.all.some((o) => o.id === c.id)) return fieldError('validation_invalid_id', 'The model id is invalid or already exists.');
  return null;
}

function checkFields(c: CollectionModel, ctx: ValidationContext): FieldError | Errors | null {
  const fields = c.fields;
  // duplicates
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const [i, f] of fields.entries()) {
    if (ids.has(f.id)) {
      return { [i]: { id: fieldError('validation_duplicated_field_id', `Duplicated or invalid field id "${f.id}"`) } };
    }
    const lower = f.name.toLowerCase();
    if (names.has(lower)) {
      return { [i]: { name: fieldError('validation_duplicated_field_name', `Duplicated or invalid field name ${f.name}`, { fieldName: f.name }) } };
    }
    ids.add(f.id);
    names.add(lower);
  }
  // minimum fields
  if (fields.length === 0) return REQUIRED;
  const idField = fields.find((f) => f.name === 'id');
  if (!idField || idField.type !== 'text' || idField.primaryKey !== true) {
    return fieldError('validation_missing_primary_key', 'Missing or invalid "id" PK field.');
  }
  if (c.type === 'auth') {
    const required: Array<[string, string, boolean]> = [
      ['password', 'password', true], ['tokenKey', 'text', true], ['email', 'email', false],
      ['emailVisibility', 'bool', false], ['verified', 'bool', false],
    ];
    for (const [name, type, hidden] of required) {
      const f = fields.find((x) => x.name === name && x.type === type);
      if (!f) return fieldError(`validation_missing_${name}_field`, `System "${name}" field is required.`);
      if (!f.system || (hidden && !f.hidden)) {
        return hidden
          ? { [name]: fieldError('validation_must_be_system_and_hidden', 'The field must be marked as "System" and "Hidden".') }
          : { [name]: fieldError('validation_must_be_system', 'The field must be marked as "System".') };
      }
    }
  }
  if (c.type !== 'view' && ctx.original) {
    for (const old of ctx.original.fields) {
      if (!old.system) continue;
      const now = fields.find((f) => f.id === old.id);
      if (!now || now.name !== old.name) {
        return fieldError('validation_system_field_change', 'System fields cannot be deleted or renamed.');
      }
    }
    const typeErrs: Errors = {};
    for (const [i, f] of fields.entries()) {
      const old = ctx.original.fields.find((o) => o.id === f.id);
      if (old && old.type !== f.type) typeErrs[i] = fieldError('validation_field_type_change', 'Field type cannot be changed.');
    }
    if (Object.keys(typeErrs).length > 0) return typeErrs;
  }
  if (c.type === 'auth') {
    const reserved: Errors = {};
    for (const [i, f] of fields.entries()) {
      if (RESERVED_AUTH_KEYS.includes(f.name)) {
        reserved[i] = { name: fieldError('validation_reserved_field_name', 'The field name is reserved and cannot be used.') };
      }
    }
    if (Object.keys(reserved).length > 0) return reserved;
  }
  const settings: Errors = {};
  for (const [i, f] of fields.entries()) {
    const err = validateFieldSettings(f, c, ctx.all);
    if (err) settings[i] = err;
  }
  return Object.keys(settings).length > 0 ? settings : null;
}

/** Checks a rule: syntax and references through the store's compiler. */
export function checkRuleValue(rule: unknown, c: CollectionModel, ctx: ValidationContext): FieldError | null {
  if (typeof rule !== 'string' || rule === '') return null;
  const error = ctx.repository.checkRule(rule, c, ctx.all);
  return error === null ? null : fieldError('validation_invalid_rule', `Invalid rule. Raw error: ${error}`);
}

/** PocketBase refuses any rule change on system collections. */
export function systemRuleChange(newRule: unknown, oldRule: unknown, ctx: ValidationContext): FieldError | null {
  if (!ctx.original?.system) return null;
  if ((newRule ?? null) === (oldRule ?? null)) return null;
  return fieldError('validation_collection_system_rule_change', 'System collection API rule cannot be changed.');
}

function checkRuleField(name: RuleName, c: CollectionModel, ctx: ValidationContext): FieldError | null {
  const value = c[name];
  if (c.type === 'view' && name !== 'listRule' && name !== 'viewRule' && value !== null) {
    return fieldError('validation_nil', 'Must be blank.');
  }
  return checkRuleValue(value, c, ctx) ?? systemRuleChange(value, ctx.original?.[name], ctx);
}

/** A stored unique index that covers a system field must still be there, on the same columns. */
function checkSystemUniqueIndexes(indexes: readonly string[], original: CollectionModel): FieldError | null {
  const columnsKey = (index: ParsedIndex) => index.columns.map((x) => x.name.toLowerCase()).join(',');
  const keptKeys = new Set(indexes.map(parseIndex).filter((p) => p.unique).map(columnsKey));
  for (const oldRaw of original.indexes) {
    const old = parseIndex(oldRaw);
    if (!old.unique || keptKeys.has(columnsKey(old))) continue;
    const sys = old.columns
      .map((col) => original.fields.find((f) => f.system && f.name.toLowerCase() === col.name.toLowerCase()))
      .find((f) => f !== undefined);
    if (sys) {
      return fieldError('validation_invalid_unique_system_field_index', `Unique index definition on system fields (${sys.name}) is invalid or missing.`, { fieldName: sys.name });
    }
  }
  return null;
}

async function checkIndexes(c: CollectionModel, ctx: ValidationContext): Promise<FieldError | Errors | null> {
  const indexes = c.indexes;
  if (c.type === 'view' && indexes.length > 0) {
    return fieldError('validation_indexes_not_supported', "View collections don't support indexes.");
  }
  const names = new Set<string>();
  const definitions = new Set<string>();
  for (const [i, raw] of indexes.entries()) {
    const parsed = parseIndex(raw);
    parsed.tableName = 'validator';
    const invalid = { [i]: fieldError('validation_invalid_index_expression', 'Invalid CREATE INDEX expression.') };
    if (!isValidIndex(parsed) || raw.includes(';')) return invalid;
    const lower = parsed.indexName.toLowerCase();
    if (names.has(lower)) return { [i]: fieldError('validation_duplicated_index_name', 'The index name already exists.') };
    names.add(lower);
    const owner = await ctx.repository.indexOwner(parsed.indexName);
    if (owner !== null && owner.toLowerCase() !== c.name.toLowerCase() && owner.toLowerCase() !== (ctx.original?.name ?? '').toLowerCase()) {
      return { [i]: fieldError('validation_existing_index_name', `The index name is already used in ${owner} collection.`, { usedTableName: owner }) };
    }
    const definition = buildIndex({ ...parsed, schemaName: '', indexName: 'validator' });
    if (definitions.has(definition)) {
      return { [i]: fieldError('validation_duplicated_index_definition', 'The index definition already exists.') };
    }
    definitions.add(definition);
  }
  // what the database would refuse when creating the index (PocketBase learns it at sync time)
  for (const [i, raw] of indexes.entries()) {
    const parsed = parseIndex(raw);
    for (const col of parsed.columns) {
      if (isIndexExpression(col)) continue;
      if (!c.fields.some((f) => f.name.toLowerCase() === col.name.toLowerCase())) {
        return { [i]: fieldError('validation_invalid_index_expression', `Failed to create index ${parsed.indexName} - no such column: ${col.name}.`) };
      }
    }
  }
  if (ctx.original) {
    const systemIndexErr = checkSystemUniqueIndexes(indexes, ctx.original);
    if (systemIndexErr) return systemIndexErr;
  }
  if (c.type === 'auth') {
    for (const name of ['tokenKey', 'email']) {
      if (!findSingleColumnUniqueIndex(indexes, name)) {
        return fieldError('validation_missing_required_unique_index', `Missing required unique index for field "${name}".`, { fieldName: name });
      }
    }
  }
  return null;
}

/**
 * Validates a collection about to be saved, the way PocketBase's collection validator does, and
 * returns the field errors (empty when valid). `c` must already be normalised (default fields,
 * merged options).
 */
export async function validateCollection(c: CollectionModel, ctx: ValidationContext): Promise<Errors> {
  const errs: Errors = {};
  const put = (key: string, err: FieldError | Errors | null) => {
    if (err) errs[key] = err;
  };
  put('id', checkId(c, ctx));
  if (ctx.original && c.system !== ctx.original.system) {
    errs.system = fieldError('validation_collection_system_flag_change', 'System collection state cannot be changed.');
  }
  if (!['base', 'auth', 'view'].includes(c.type)) errs.type = fieldError('validation_in_invalid', 'Must be a valid value.');
  else if (ctx.original && c.type !== ctx.original.type) {
    errs.type = fieldError('validation_collection_type_change', 'Collection type cannot be changed.');
  }
  put('name', await checkName(c, ctx));
  put('fields', checkFields(c, ctx));
  for (const rule of RULE_NAMES) put(rule, checkRuleField(rule, c, ctx));
  put('indexes', await checkIndexes(c, ctx));

  if (c.type === 'auth') Object.assign(errs, validateAuthOptions(c, ctx));
  if (c.type === 'view') {
    const query = c.options.viewQuery;
    if (typeof query !== 'string' || query.trim() === '') errs.viewQuery = REQUIRED;
    else if (ctx.viewQueryError) {
      errs.viewQuery = fieldError('validation_invalid_view_query', `Invalid query - ${ctx.viewQueryError}`);
    }
  }
  return errs;
}
