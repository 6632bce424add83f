import { PlinthError, type ErrorCode, type ErrorData } from '../errors/plinth-error.js';

/** The statuses a hook may answer with through {@link HookError}. */
export type HookErrorStatus = 400 | 401 | 403 | 404;

const CODES: Record<HookErrorStatus, ErrorCode> = { 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' };

/**
 * Thrown by a hook to reject a request with a clear API error: the client gets
 * `{"status":…,"message":…,"data":…}` with the message as written (PocketBase's `ApiError`).
 */
export class HookError extends PlinthError {
  readonly status: HookErrorStatus;

  constructor(status: HookErrorStatus, message: string, data: ErrorData = {}) {
    super(CODES[status] ?? 'bad_request', message, data);
    this.name = 'HookError';
    this.status = CODES[status] ? status : 400;
  }
}

/**
 * The catalogue error for what a hook threw: a PlinthError as is, a HookError-shaped object from
 * another copy of the package as its status, and anything else as null (an unexpected failure).
 */
export function hookErrorOf(error: unknown): PlinthError | null {
  if (error instanceof PlinthError) return error;
  const e = error as { name?: unknown; status?: unknown; message?: unknown; data?: unknown } | null;
  if (e && e.name === 'HookError' && typeof e.status === 'number' && e.status in CODES) {
    return new HookError(e.status as HookErrorStatus, String(e.message ?? ''), (e.data ?? {}) as ErrorData);
  }
  return null;
}
