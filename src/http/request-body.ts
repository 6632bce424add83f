import type { FastifyRequest } from 'fastify';
import { errors } from '../core/errors/plinth-error.js';

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

function appendValue(data: Record<string, unknown>, key: string, value: unknown): void {
  if (!(key in data)) {
    data[key] = value;
    return;
  }
  const existing = data[key];
  data[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
}

function mergeJsonPayload(data: Record<string, unknown>, raw: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    throw errors.badRequest('Failed to load the submitted data due to invalid formatting.', {}, cause);
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(data, parsed);
}

/**
 * Reads the request body the way PocketBase accepts it: JSON, url-encoded or multipart (with
 * `@jsonPayload` parts). Returns an empty body for requests without one.
 */
export async function readRequestBody(request: FastifyRequest): Promise<RequestBody> {
  if (request.isMultipart()) {
    const data: Record<string, unknown> = {};
    const files: UploadedFile[] = [];
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
    return { data, files };
  }
  const body = request.body;
  if (body === undefined || body === null || body === '') return EMPTY;
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw errors.badRequest('Failed to load the submitted data due to invalid formatting.');
  }
  return { data: { ...(body as Record<string, unknown>) }, files: [] };
}
