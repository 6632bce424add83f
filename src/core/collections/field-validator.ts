import { fieldError, type ErrorData, type FieldError } from '../errors/plinth-error.js';
import { isFieldType } from '../fields/field-registry.js';
import { regexError } from '../fields/regex.js';
import type { CollectionModel, FieldModel } from './collection-model.js';

const NAME_RE = /^\w+$/;
/** Filter literals and the dynamic record keys a field may not be named after. */
const EXCLUDED_NAMES = ['null', 'true', 'false', '_rowid_', 'collectionId', 'collectionName', 'expand'];

export const REQUIRED: FieldError = fieldError('validation_required', 'Cannot be blank.');

export function lengthError(min: number, max: number): FieldError {
  return fieldError('validation_length_out_of_range', `The length must be between ${min} and ${max}.`, { max, min });
}

/** PocketBase's `_via_` guard for collection and field names (back-relation syntax). */
export function checkForVia(value: string): FieldError | null {
  if (value.toLowerCase().includes('_via_')) return fieldError('validation_found_via', 'The value cannot contain "_via_".');
  return null;
}

function checkFieldId(id: string): FieldError | null {
  if (id === '') return REQUIRED;
  if (id.length > 100) return lengthError(1, 100);
  return null;
}

function checkFieldName(name: string): FieldError | null {
  if (name === '') return REQUIRED;
  if (name.length > 100) return lengthError(1, 100);
  if (!NAME_RE.test(name)) return fieldError('validation_match_invalid', 'Must be in a valid format.');
  if (EXCLUDED_NAMES.includes(name)) return fieldError('validation_not_in_invalid', 'Must not be in list.');
  return checkForVia(name);
}

/** The same check as record validation uses (Go's RE2 syntax, see fields/regex.ts). */
function isValidRegex(pattern: string): boolean {
  return regexError(pattern) === null;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function checkTypeOptions(field: FieldModel, collection: CollectionModel, all: readonly CollectionModel[]): ErrorData {
  const errs: ErrorData = {};
  switch (field.type) {
    case 'text':
    case 'password':
      if (num(field.min) < 0) errs.min = fieldError('validation_min_greater_equal_than_required', 'Must be no less than 0.', { threshold: 0 });
      if (num(field.max) !== 0 && num(field.max) < num(field.min)) {
        errs.max = fieldError('validation_min_greater_equal_than_required', `Must be no less than ${num(field.min)}.`, { threshold: num(field.min) });
      }
      if (typeof field.pattern === 'string' && field.pattern !== '' && !isValidRegex(field.pattern)) {
        errs.pattern = fieldError('validation_invalid_regex', 'Invalid regex pattern.');
      }
      if (field.type === 'text' && field.primaryKey === true && field.name !== 'id') {
        errs.primaryKey = fieldError('validation_primary_key_name', 'The primary key must be named "id".');
      }
      break;
    case 'select':
      if (!Array.isArray(field.values) || field.values.length === 0) errs.values = REQUIRED;
      break;
    case 'relation': {
      const target = typeof field.collectionId === 'string' ? field.collectionId : '';
      if (target === '') {
        errs.collectionId = REQUIRED;
      } else {
        const related = target === collection.id ? collection : all.find((c) => c.id === target);
        if (!related) errs.collectionId = fieldError('validation_missing_collection', 'The related collection doesn\'t exist.');
        else if (related.type === 'view' && collection.type !== 'view') {
          errs.collectionId = fieldError('validation_invalid_view_collection_relation', 'Non-view collections are not allowed to have a view relation.');
        }
      }
      if (num(field.maxSelect) !== 0 && num(field.maxSelect) < num(field.minSelect)) {
        errs.maxSelect = fieldError('validation_min_greater_equal_than_required', `Must be no less than ${num(field.minSelect)}.`, { threshold: num(field.minSelect) });
      }
      break;
    }
    default:
      break;
  }
  return errs;
}

/** Validates one field's settings; returns its errors keyed by option name, or null. */
export function validateFieldSettings(field: FieldModel, collection: CollectionModel, all: readonly CollectionModel[]): ErrorData | null {
  const errs: ErrorData = {};
  const idErr = checkFieldId(field.id);
  if (idErr) errs.id = idErr;
  const nameErr = checkFieldName(field.name);
  if (nameErr) errs.name = nameErr;
  if (!isFieldType(field.type)) errs.type = fieldError('validation_invalid_field_type', 'Invalid or unknown field type.');
  else Object.assign(errs, checkTypeOptions(field, collection, all));
  return Object.keys(errs).length > 0 ? errs : null;
}
