import type { FastifyRequest } from 'fastify';
import { PlinthError, errors } from '../core/errors/plinth-error.js';

/** A file part of a multipart body, fully buffered (size limits are enforced while reading). */
export interface UploadedFile {
  field: string;
  filename: string;
  mimetype: string;
  data: Buffer;
}

export interface RequestBody {
  /** Body fields; repeated multipart keys become arrays; `@jsonPayload` parts are merged in. */
  data: Record<string, unknown>;
  files: UploadedFile[];
}

const EMPTY: RequestBody = Object.freeze({ data: {}, files: [] }) as RequestBody;

/**
 * Sets `data[key]` as an own, plain data property. A bare assignment would, for a key named
 * `__proto__`, replace the object's prototype (its entries would then read as inherited body
 * fields), and `key in data` would see `constructor`, `valueOf`, `toString`… as already there.
 */
export function setOwn(data: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Adds a repeated form/multipart key: the first value as is, the next ones as an array. */
export function appendValue(data: Record<string, unknown>, key: string, value: unknown): void {
  if (!Object.hasOwn(data, key)) return setOwn(data, key, value);
  const existing = data[key];
  setOwn(data, key, Array.isArray(existing) ? [...existing, value] : [existing, value]);
}

function mergeJsonPayload(data: Record<string, unknown>, raw: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw errors.badRequest('Failed to load the submitted data due to invalid formatting.', {}, cause);
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    // not Object.assign: it would set a parsed own `__proto__` key as data's prototype
    for (const [key, value] of Object.entries(parsed)) setOwn(data, key, value);
  }
}

/**
 * A multipart parse failure as the client's error: busboy's own errors ("Boundary not found",
 * "Unexpected end of form") carry no code and would otherwise answer 500. Our errors and
 * Fastify's coded ones (limits: 413) pass through to the error table.
 */
function malformedMultipart(err: unknown): unknown {
  if (err instanceof PlinthError) return err;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' || typeof statusCode === 'number') return err;
  return errors.badRequest('Failed to load the submitted data due to invalid formatting.', {}, err);
}

/**
 * Reads the request body the way PocketBase accepts it: JSON, url-encoded or multipart (with
 * `@jsonPayload` parts). Returns an empty body for requests without one.
 */
export async function readRequestBody(request: FastifyRequest): Promise<RequestBody> {
  if (request.isMultipart()) {
    const data: Record<string, unknown> = {};
    const files: UploadedFile[] = [];
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const buffer = await part.toBuffer();
          if (part.filename) files.push({ field: part.fieldname, filename: part.filename, mimetype: part.mimetype, data: buffer });
        } else if (part.fieldname === '@jsonPayload') {
          mergeJsonPayload(data, String(part.value));
        } else {
          appendValue(data, part.fieldname, part.value);
        }
      }
    } catch (err) {
      throw malformedMultipart(err);
    }
    return { data, files };
  }
  const body = request.body;
  if (body === undefined || body === null || body === '') return EMPTY;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest('Failed to load the submitted data due to invalid formatting.');
  }
  return { data: { ...(body as Record<string, unknown>) }, files: [] };
}
