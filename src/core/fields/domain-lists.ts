/**
 * The `onlyDomains` / `exceptDomains` options of the email and url fields: their shape, their
 * validation (only one list may be set, every item a domain) and the check of a value's domain.
 */
import type { FieldModel } from '../collections/collection-model.js';
import type { ErrorData, FieldError } from '../errors/plinth-error.js';
import { eachError, fieldShape } from './field-common.js';
import { err, ozzo } from './field-errors.js';

/** The two domain lists of a field (null or empty when unused). */
export interface DomainLists {
  /** Domains refused (only when `onlyDomains` is empty). */
  exceptDomains: string[] | null;
  /** Domains accepted exclusively (only when `exceptDomains` is empty). */
  onlyDomains: string[] | null;
}

/** The options of a text field with domain lists (email, url). */
export interface DomainListFieldModel extends FieldModel, DomainLists {
  help: string;
  required: boolean;
}

/** The option shape (`fieldShape`) of a field with domain lists. */
export function domainListFieldShape<F extends DomainListFieldModel>(type: string) {
  return fieldShape<F>(type, {
    exceptDomains: ['strings?', null],
    onlyDomains: ['strings?', null],
    required: ['bool', false],
  });
}

/** The shared ozzo `is.Domain` check (used for email/url domain lists). */
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{1,63}|xn--[a-z0-9]{1,59})$/i;
export function isDomain(value: string): boolean {
  return value.length <= 255 && DOMAIN.test(value);
}

/** Domain-list options of email and url fields: only one of the two lists may be set. */
export function validateDomainLists(field: { exceptDomains?: unknown; onlyDomains?: unknown }): ErrorData {
  const except = Array.isArray(field.exceptDomains) ? (field.exceptDomains as string[]) : [];
  const only = Array.isArray(field.onlyDomains) ? (field.onlyDomains as string[]) : [];
  const out: ErrorData = {};
  const check = (v: string) => (isDomain(v) ? null : ozzo.isDomain());
  const exceptErr = only.length > 0 ? (except.length > 0 ? ozzo.empty() : null) : eachError(except, check);
  const onlyErr = except.length > 0 ? (only.length > 0 ? ozzo.empty() : null) : eachError(only, check);
  if (exceptErr) out.exceptDomains = exceptErr;
  if (onlyErr) out.onlyDomains = onlyErr;
  return out;
}

/** Whether `domain` passes the lists: in `onlyDomains` when that is set, not in `exceptDomains` when that is. */
export function isDomainAllowed(field: DomainLists, domain: string): boolean {
  if (field.onlyDomains && field.onlyDomains.length > 0 && !field.onlyDomains.includes(domain)) return false;
  if (field.exceptDomains && field.exceptDomains.length > 0 && field.exceptDomains.includes(domain)) return false;
  return true;
}

/** How a field with domain lists reads its value (email, url). */
export interface DomainValueCheck {
  /** The syntax error of a non-empty value, or null when it is well formed. */
  syntaxError(value: string): FieldError | null;
  /** The domain the lists are checked against. */
  domainOf(value: string): string;
  /** The error of a domain the lists refuse. */
  notAllowed(): FieldError;
}

/** The value check of email and url: a string, required when set so, well formed, in an allowed domain. */
export function validateDomainListValue(value: unknown, field: DomainListFieldModel, check: DomainValueCheck): FieldError | null {
  if (typeof value !== 'string') return err('validation_unsupported_value_type', 'Invalid or unsupported value type.');
  if (value === '') return field.required ? ozzo.required() : null;
  const syntaxError = check.syntaxError(value);
  if (syntaxError) return syntaxError;
  return isDomainAllowed(field, check.domainOf(value)) ? null : check.notAllowed();
}
