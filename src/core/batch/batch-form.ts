import { errors, type ErrorData } from '../errors/plinth-error.js';
import { err, ozzo } from '../fields/field-errors.js';
import type { IncomingFile } from '../records/record-files.js';

/** One sub-request of `POST /api/batch` (PocketBase's `InternalRequest`). */
export interface BatchItem {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** Files sent as `requests.N.<key>` or `requests[N].<key>`, re-keyed to `<key>`. */
  files: IncomingFile[];
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const MAX_URL = 2000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The files of request `index`, keyed without their `requests.N.` / `requests[N].` prefix. */
function filesOf(index: number, files: readonly IncomingFile[]): IncomingFile[] {
  const prefixes = [`requests.${index}.`, `requests[${index}].`];
  const out: IncomingFile[] = [];
  for (const file of files) {
    const prefix = prefixes.find((p) => file.key.startsWith(p));
    if (prefix) out.push({ ...file, key: file.key.slice(prefix.length) });
  }
  return out;
}

/**
 * Reads and validates the batch form `{requests: [{method, url, headers?, body?}]}` with PocketBase's
 * errors: a non-object body or non-list `requests` → 400 "Failed to read the submitted batch data.";
 * an empty list → `requests: validation_required`; more than `maxRequests` →
 * `validation_length_too_long`; per item `method` (required, one of GET/POST/PUT/PATCH/DELETE) and
 * `url` (required, at most 2000 chars).
 */
export function readBatchForm(data: Record<string, unknown>, files: readonly IncomingFile[], maxRequests: number): BatchItem[] {
  const raw = data['requests'];
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) throw errors.badRequest('Failed to read the submitted batch data.');
  const list = (raw ?? []) as unknown[];
  if (list.some((item) => item !== null && !isObject(item))) throw errors.badRequest('Failed to read the submitted batch data.');
  if (list.length === 0) throw errors.validation({ requests: ozzo.required() }, 'Invalid batch request data.');
  if (list.length > maxRequests) {
    throw errors.validation({ requests: err('validation_length_too_long', `the length must be no more than ${maxRequests}`, { max: maxRequests }) }, 'Invalid batch request data.');
  }
  const items: BatchItem[] = [];
  const itemErrors: ErrorData = {};
  list.forEach((entry, index) => {
    const item = isObject(entry) ? entry : {};
    const method = typeof item['method'] === 'string' ? item['method'] : '';
    const url = typeof item['url'] === 'string' ? item['url'] : '';
    const e: ErrorData = {};
    if (method === '') e['method'] = ozzo.required();
    else if (!METHODS.includes(method)) e['method'] = ozzo.in();
    if (url === '') e['url'] = ozzo.required();
    else if ([...url].length > MAX_URL) e['url'] = err('validation_length_too_long', `the length must be no more than ${MAX_URL}`, { max: MAX_URL });
    if (Object.keys(e).length > 0) itemErrors[String(index)] = e;
    items.push({ method, url, headers: stringMap(item['headers']), body: isObject(item['body']) ? { ...item['body'] } : {}, files: filesOf(index, files) });
  });
  if (Object.keys(itemErrors).length > 0) throw errors.validation({ requests: itemErrors }, 'Invalid batch request data.');
  return items;
}
