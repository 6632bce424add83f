import type { ErrorCode, ErrorData, PlinthError } from '../core/errors/plinth-error.js';

/** The one table from the core's error codes to HTTP statuses. */
export const HTTP_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** Fastify's own error codes that reach our handler, mapped onto the catalogue. */
export const FASTIFY_ERROR_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_PARTS_LIMIT: 'payload_too_large',
  FST_FILES_LIMIT: 'payload_too_large',
  FST_FIELDS_LIMIT: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'bad_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'bad_request',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_VALIDATION: 'bad_request',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'bad_request',
};

/** PocketBase's error envelope of `error`: `{"status":N,"message":"…","data":{…}}`. */
export function errorEnvelope(error: PlinthError): { status: number; message: string; data: ErrorData } {
  return { status: HTTP_STATUS[error.code], message: error.message, data: error.data };
}
