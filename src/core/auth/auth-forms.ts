import { errors, fieldError, type ErrorData, type FieldError } from '../errors/plinth-error.js';
import { ozzo } from '../fields/field-errors.js';

/** PocketBase's loose email format check (ozzo-validation's `is.EmailFormat`). */
export const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A body value as a string (numbers and booleans as text, anything else empty). */
export function bodyString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** `required`, `length(1, 255)` and `is.EmailFormat`, in ozzo's order; null when valid. */
export function emailError(value: string): FieldError | null {
  if (value === '') return ozzo.required();
  if ([...value].length > 255) return ozzo.lengthOutOfRange(1, 255);
  if (!EMAIL_FORMAT.test(value)) return ozzo.isEmail();
  return null;
}

/** `required` and `length(min, max)`; null when valid. */
export function textError(value: string, min = 1, max = 255): FieldError | null {
  if (value === '') return ozzo.required();
  const length = [...value].length;
  if (length < min || length > max) return ozzo.lengthOutOfRange(min, max);
  return null;
}

/** Collects field errors; `throwIfAny` raises PocketBase's 400 with them. */
export class FormErrors {
  readonly data: ErrorData = {};

  set(field: string, error: FieldError | null): void {
    if (error && !this.data[field]) this.data[field] = error;
  }

  has(field: string): boolean {
    return field in this.data;
  }

  throwIfAny(message = 'An error occurred while validating the submitted data.'): void {
    if (Object.keys(this.data).length > 0) throw errors.validation(this.data, message);
  }
}

/** The token field errors of the confirm endpoints. */
export const tokenErrors = {
  invalid: () => fieldError('validation_invalid_token', 'Invalid or expired token.'),
  collectionMismatch: () => fieldError('validation_token_collection_mismatch', 'The provided token is for different auth collection.'),
  missingEmail: () => fieldError('validation_invalid_token_claims', 'Missing email token claim.'),
  emailMismatch: () => fieldError('validation_token_email_mismatch', "The record email doesn't match with the requested token claims."),
  payload: () => fieldError('validation_invalid_token_payload', 'Invalid token payload - newEmail must be set.'),
};
