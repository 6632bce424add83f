import { errors, PlinthError } from '../errors/plinth-error.js';
import { mergeUploads, type IncomingFile } from '../records/record-files.js';
import type { RecordJson } from '../records/record-serializer.js';
import type { OutputParams, RecordService } from '../records/record-service.js';
import type { RequestInfo } from '../request-info.js';
import type { SettingsService } from '../settings/settings-service.js';
import { readBatchForm, type BatchItem } from './batch-form.js';

/** PocketBase's `batch` settings with their defaults applied. */
export interface BatchSettings {
  enabled: boolean;
  maxRequests: number;
  /** Seconds; 0 or less means 3. */
  timeout: number;
  /** Bytes; 0 or less means 128 MiB. */
  maxBodySize: number;
}

/** One sub-request's outcome: a record (create/update, HTTP 200) or a delete (204, no body). */
export type BatchResult = { kind: 'record'; body: RecordJson } | { kind: 'deleted' };

/** Thrown when sub-request `index` failed: the whole batch was rolled back. */
export class BatchItemError extends PlinthError {
  constructor(readonly index: number, readonly failure: PlinthError) {
    super('bad_request', 'Batch transaction failed.', {}, { cause: failure });
  }
}

const ACTIONS = {
  upsert: /^PUT \/api\/collections\/([^/?]+)\/records(\?.*)?$/,
  create: /^POST \/api\/collections\/([^/?]+)\/records(\?.*)?$/,
  update: /^PATCH \/api\/collections\/([^/?]+)\/records\/([^/?]+)(\?.*)?$/,
  delete: /^DELETE \/api\/collections\/([^/?]+)\/records\/([^/?]+)(\?.*)?$/,
};

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function queryOf(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const [k, v] of new URLSearchParams(raw.slice(1))) if (!(k in out)) out[k] = v;
  return out;
}

function headerKey(name: string): string {
  return name.toLowerCase().replaceAll('-', '_');
}

/**
 * `POST /api/batch`: record creates, upserts, updates and deletes run one after the other in ONE
 * transaction through the records service (so every collection rule applies exactly as for the
 * single endpoints, with `@request.context = "batch"`); the first failure rolls everything back,
 * uploaded files included.
 */
export class BatchService {
  constructor(
    private readonly records: RecordService,
    private readonly settings: SettingsService,
  ) {}

  /** The current batch settings with PocketBase's fallbacks. */
  config(): BatchSettings {
    const raw = (this.settings.get()['batch'] ?? {}) as Partial<Record<keyof BatchSettings, unknown>>;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    const timeout = num(raw.timeout);
    const maxBodySize = num(raw.maxBodySize);
    return {
      enabled: raw.enabled === true,
      maxRequests: num(raw.maxRequests),
      timeout: timeout > 0 ? timeout : 3,
      maxBodySize: maxBodySize > 0 ? maxBodySize : 128 << 20,
    };
  }

  /** Throws 403 unless batch requests are enabled. */
  checkEnabled(): BatchSettings {
    const config = this.config();
    if (!config.enabled || config.maxRequests <= 0) throw errors.forbidden('Batch requests are not allowed.');
    return config;
  }

  /** Validates and runs a batch for the caller in `request` (its auth applies to every item). */
  async run(data: Record<string, unknown>, files: readonly IncomingFile[], request: RequestInfo): Promise<BatchResult[]> {
    const config = this.checkEnabled();
    const items = readBatchForm(data, files, config.maxRequests);
    const deadline = Date.now() + config.timeout * 1000;
    return this.records.inTransaction(async (tx) => {
      const results: BatchResult[] = [];
      for (const [index, item] of items.entries()) {
        if (Date.now() > deadline) throw errors.badRequest('Batch transaction failed.');
        try {
          results.push(await this.#runItem(tx, item, request));
        } catch (err) {
          const failure = err instanceof PlinthError ? err : errors.badRequest(undefined, {}, err);
          throw new BatchItemError(index, failure);
        }
      }
      if (Date.now() > deadline) throw errors.badRequest('Batch transaction failed.');
      return results;
    });
  }

  async #runItem(records: RecordService, item: BatchItem, base: RequestInfo): Promise<BatchResult> {
    const line = `${item.method.toUpperCase()} ${item.url}`;
    let match: RegExpExecArray | null;
    if ((match = ACTIONS.upsert.exec(line))) {
      const [, collection = '', query] = match;
      const ref = decode(collection);
      const id = typeof item.body['id'] === 'string' ? item.body['id'] : '';
      const target = records.collection(ref);
      const exists = id !== '' && target.type !== 'view' && (await records.findById(target, id)) !== null;
      return this.#write(records, item, base, ref, exists ? id : null, query);
    }
    if ((match = ACTIONS.create.exec(line))) return this.#write(records, item, base, decode(match[1] ?? ''), null, match[2]);
    if ((match = ACTIONS.update.exec(line))) return this.#write(records, item, base, decode(match[1] ?? ''), decode(match[2] ?? ''), match[3]);
    if ((match = ACTIONS.delete.exec(line))) {
      await records.delete(decode(match[1] ?? ''), decode(match[2] ?? ''), this.#info(base, item, 'DELETE', match[3]));
      return { kind: 'deleted' };
    }
    throw errors.badRequest(undefined, {}, new Error('unknown batch request action'));
  }

  /** A create (`id` null) or an update, files merged into the body as the single endpoints do. */
  async #write(records: RecordService, item: BatchItem, base: RequestInfo, collectionRef: string, id: string | null, query: string | undefined): Promise<BatchResult> {
    const body = await mergeUploads(records.collection(collectionRef), item.body, item.files);
    const info = this.#info(base, item, id === null ? 'POST' : 'PATCH', query, body);
    const saved = id === null
      ? await records.create(collectionRef, body, info, outputParams(info))
      : await records.update(collectionRef, id, body, info, outputParams(info));
    return { kind: 'record', body: saved };
  }

  /** The sub-request as rules see it: the batch caller's auth and headers, its own method, query, headers and body. */
  #info(base: RequestInfo, item: BatchItem, method: string, query: string | undefined, body: Record<string, unknown> = item.body): RequestInfo {
    const headers = { ...base.headers };
    for (const [name, value] of Object.entries(item.headers)) {
      if (name.toLowerCase() === 'authorization') continue;
      headers[headerKey(name)] = value;
    }
    return { auth: base.auth, method, headers, query: queryOf(query), body, context: 'batch' };
  }
}

function outputParams(info: RequestInfo): OutputParams {
  return { expand: info.query['expand'], fields: info.query['fields'] };
}
