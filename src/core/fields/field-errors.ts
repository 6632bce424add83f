/**
 * The validation errors field types report, with PocketBase's codes and its final messages
 * (PocketBase's API runs each message through `inflector.Sentenize`: first letter upper-cased,
 * trailing period added, so that is what is stored here).
 */
import { fieldError, type FieldError } from '../errors/plinth-error.js';

export const MAX_SAFE_JSON_INT = Number.MAX_SAFE_INTEGER; // 2^53-1, PocketBase's maxSafeJSONInt

/** PocketBase's `inflector.Sentenize`. */
export function sentenize(message: string): string {
  if (message === '') return '';
  const s = message.charAt(0).toUpperCase() + message.slice(1);
  return s.endsWith('.') ? s : `${s}.`;
}

export function err(code: string, message: string, params?: Record<string, unknown>): FieldError {
  return fieldError(code, sentenize(message), params);
}

/** Go's `%v` of a number (ozzo renders thresholds with it). */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  const s = String(n);
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** The messages of ozzo-validation's built-in rules, as PocketBase serves them. */
export const ozzo = {
  required: () => err('validation_required', 'cannot be blank'),
  empty: () => err('validation_empty', 'must be blank'),
  in: () => err('validation_in_invalid', 'must be a valid value'),
  notIn: () => err('validation_not_in_invalid', 'must not be in list'),
  match: () => err('validation_match_invalid', 'must be in a valid format'),
  min: (threshold: number | string) =>
    err('validation_min_greater_equal_than_required', `must be no less than ${typeof threshold === 'number' ? goNumber(threshold) : threshold}`, { threshold }),
  max: (threshold: number | string) =>
    err('validation_max_less_equal_than_required', `must be no greater than ${typeof threshold === 'number' ? goNumber(threshold) : threshold}`, { threshold }),
  lengthOutOfRange: (min: number, max: number) =>
    err('validation_length_out_of_range', `the length must be between ${min} and ${max}`, { min, max }),
  isDomain: () => err('validation_is_domain', 'must be a valid domain'),
  isEmail: () => err('validation_is_email', 'must be a valid email address'),
  dateOutOfRange: () => err('validation_date_out_of_range', 'the date is out of range'),
  valuesMismatch: () => err('validation_values_mismatch', "Values don't match."),
};

/**
 * ozzo's threshold rules skip "empty" values (0, "", null): `Min(5)` accepts 0. These helpers
 * keep that quirk, which PocketBase's option checks rely on (e.g. `max: 0` means "default").
 */
export function checkMin(value: number | null | undefined, min: number): FieldError | null {
  if (value === null || value === undefined || value === 0) return null;
  return value < min ? ozzo.min(min) : null;
}

export function checkMax(value: number | null | undefined, max: number): FieldError | null {
  if (value === null || value === undefined || value === 0) return null;
  return value > max ? ozzo.max(max) : null;
}

/**
 * An integer option bounded by `min` and `max` (default: the largest safe JSON integer), 0
 * meaning unset: ozzo's `validation.Min(min), validation.Max(max)`, the first failing one.
 */
export function checkRange(value: number | null | undefined, min: number, max: number = MAX_SAFE_JSON_INT): FieldError | null {
  return checkMin(value, min) ?? checkMax(value, max);
}

/** The first non-null error of a list of lazily run checks (ozzo stops a field at its first failing rule). */
export function firstError(...checks: Array<() => FieldError | null>): FieldError | null {
  for (const check of checks) {
    const e = check();
    if (e) return e;
  }
  return null;
}
