/**
 * The one error catalogue of Plinth. The core throws these; every transport maps `code` to its own
 * status through a single table (see src/http/error-status.ts). Messages are safe to show to clients.
 */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'payload_too_large',
  'too_many_requests',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One field's validation failure, as PocketBase reports it: `{"code":"validation_required","message":"Cannot be blank."}`. */
export interface FieldError {
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

/** Nested field errors keyed by field name (or array index, for lists such as `fields` or `indexes`). */
export interface ErrorData {
  [key: string]: FieldError | ErrorData;
}

export class PlinthError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data: ErrorData = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PlinthError';
  }
}

export function fieldError(code: string, message: string, params?: Record<string, unknown>): FieldError {
  return params ? { code, message, params } : { code, message };
}

export function isFieldError(value: unknown): value is FieldError {
  return typeof value === 'object' && value !== null && typeof (value as FieldError).code === 'string'
    && typeof (value as FieldError).message === 'string';
}

/** Constructors with PocketBase's default messages. */
export const errors = {
  badRequest: (message = 'Something went wrong while processing your request.', data: ErrorData = {}, cause?: unknown) =>
    new PlinthError('bad_request', message, data, { cause }),
  validation: (data: ErrorData, message = 'Failed to validate the submitted data.') =>
    new PlinthError('bad_request', message, data),
  unauthorized: (message = 'The request requires valid record authorization token.') =>
    new PlinthError('unauthorized', message),
  forbidden: (message = 'You are not allowed to perform this request.') => new PlinthError('forbidden', message),
  superusersOnly: () => new PlinthError('forbidden', 'Only superusers can perform this action.'),
  notFound: (message = "The requested resource wasn't found.") => new PlinthError('not_found', message),
  tooLarge: (message = 'Request entity too large.') => new PlinthError('payload_too_large', message),
  tooManyRequests: (message = 'Too Many Requests.') => new PlinthError('too_many_requests', message),
  /** The database (or another required service) cannot be reached; the client may retry. */
  unavailable: (cause?: unknown) =>
    new PlinthError('unavailable', 'The service is temporarily unavailable, please try again shortly.', {}, { cause }),
  internal: (cause?: unknown) =>
    new PlinthError('internal', 'Something went wrong while processing your request.', {}, { cause }),
};

/**
 * Whether `error` is an infrastructure failure that waiting may cure: the store's
 * `DbUnavailableError` (code `db_unavailable`), found by its code so the core needs no store import.
 */
export function isUnavailableError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'db_unavailable';
}
