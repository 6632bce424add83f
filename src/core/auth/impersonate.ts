import { errors } from '../errors/plinth-error.js';
import { ozzo } from '../fields/field-errors.js';

/** Validates the impersonate body's optional `duration` (seconds, ≥ 0; 0 keeps the collection's). */
export function impersonationDuration(body: Record<string, unknown>): number {
  const raw = body.duration;
  if (raw === undefined || raw === null || raw === '') return 0;
  const duration = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(duration)) {
    throw errors.validation({ duration: { code: 'validation_invalid_value', message: 'Invalid value.' } }, 'An error occurred while validating the submitted data.');
  }
  if (duration < 0) throw errors.validation({ duration: ozzo.min(0) }, 'An error occurred while validating the submitted data.');
  return Math.floor(duration);
}
