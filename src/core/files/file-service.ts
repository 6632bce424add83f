import type { CollectionModel, FieldModel, RuleName } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors } from '../errors/plinth-error.js';
import { THUMB_SIZE, fileName, toFileList, type FileFieldModel } from '../fields/file-field.js';
import type { RecordRepository } from '../records/record-repository.js';
import { rowToRecord } from '../records/record-rows.js';
import { guestRequest, type AuthState, type RecordData, type RequestInfo } from '../request-info.js';
import { fileKey, isSafeFileName, recordDirKey, thumbKey } from './file-keys.js';
import { baseContentType } from './file-sniff.js';
import type { FileAttributes, FileStorage, ThumbMaker } from './file-storage.js';

/** The records service as the files service uses it (system reads and the one rule check). */
export interface FileRecords {
  findById(collection: CollectionModel, id: string): Promise<RecordData | null>;
  passesRule(collection: CollectionModel, record: RecordData, request: RequestInfo, rule: RuleName): Promise<boolean>;
}

/** File tokens, as the auth service issues and checks them. */
export interface FileTokens {
  findByToken(token: string, type: string): Promise<AuthState | null>;
  newRecordToken(state: AuthState, type: 'file'): Promise<string>;
}

/** What a transport needs to serve one file. */
export interface FileDownload {
  key: string;
  /** The name sent in `Content-Disposition` (the thumb's name for thumbs). */
  name: string;
  attributes: FileAttributes;
  /** `inline` for images, audio, video and PDF; `attachment` for everything else or with `download`. */
  disposition: 'inline' | 'attachment';
  /** The `Content-Type` to send (the stored one; `.svg`, `.css`, `.js`, `.mjs` by extension). */
  contentType: string;
}

export interface DownloadRequest {
  collection: string;
  recordId: string;
  filename: string;
  /** `?thumb=` */
  thumb?: string;
  /** `?token=` (a file token, for protected files). */
  token?: string;
  /** `?download=` */
  download?: string;
  request: RequestInfo;
}

const IMAGE_TYPES = ['image/png', 'image/jpg', 'image/jpeg', 'image/gif', 'image/webp'];
const DEFAULT_THUMBS = ['100x100'];
const INLINE_TYPES = new Set([
  'image/png', 'image/jpg', 'image/jpeg', 'image/gif', 'image/webp', 'image/x-icon', 'image/bmp',
  'video/webm', 'video/mp4', 'video/3gpp', 'video/quicktime', 'video/x-ms-wmv',
  'audio/basic', 'audio/aiff', 'audio/mpeg', 'audio/midi', 'audio/mp3', 'audio/wave',
  'audio/wav', 'audio/x-wav', 'audio/x-mpeg', 'audio/x-m4a', 'audio/aac',
  'application/pdf', 'application/x-pdf',
]);
const EXTENSION_TYPES: Record<string, string> = {
  '.svg': 'image/svg+xml', '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript',
};
const TRUTHY = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);

/**
 * Serving stored files (`/api/files/…`) and file tokens, PocketBase-exact: protected files need a
 * file token whose record passes the collection's view rule (checked through the records service,
 * the one authorization path), thumbs are made on first request and kept next to the original.
 */
export class FileService {
  readonly #pendingThumbs = new Map<string, Promise<boolean>>();

  constructor(
    private readonly schema: SchemaRegistry,
    private readonly records: FileRecords,
    private readonly repository: RecordRepository,
    private readonly tokens: FileTokens,
    readonly storage: FileStorage,
    private readonly thumbs: ThumbMaker | null,
  ) {}

  /** `POST /api/files/token`: a short-lived file token for the caller (an auth record; not an API key). */
  async fileToken(request: RequestInfo): Promise<string> {
    if (!request.auth) throw errors.unauthorized('Missing auth context.');
    if (request.auth.collection.type !== 'auth') throw errors.forbidden('Only auth records can request file tokens.');
    return this.tokens.newRecordToken(request.auth, 'file');
  }

  /** Resolves a download (rules, thumbs); 404 for anything missing or not allowed. */
  async download(args: DownloadRequest): Promise<FileDownload> {
    const collection = this.schema.find(args.collection);
    if (!collection || !args.recordId || !isSafeFileName(args.filename)) throw errors.notFound();
    const record = await this.records.findById(collection, args.recordId);
    if (!record) throw errors.notFound();
    const field = fileFieldOf(collection, record, args.filename);
    if (!field) throw errors.notFound();

    if (field.protected) {
      const auth = args.token?.trim() ? await this.tokens.findByToken(args.token.trim(), 'file') : null;
      const request: RequestInfo = { ...args.request, auth, context: 'protectedFile' };
      let ok = false;
      try {
        ok = await this.records.passesRule(collection, record, request, 'viewRule');
      } catch {
        ok = false;
      }
      if (!ok) throw errors.notFound();
    }

    const dir = collection.type === 'view' ? await this.#viewFileDir(args.filename) : recordDirKey(collection.id, record.id);
    if (!dir) throw errors.notFound();
    const [collectionId, recordId] = splitDir(dir);
    const originalKey = fileKey(collectionId, recordId, args.filename);
    const original = await this.storage.attributes(originalKey);
    if (!original) throw errors.notFound();

    let key = originalKey;
    let name = args.filename;
    let attributes = original;
    const thumb = args.thumb ?? '';
    if (thumb && (DEFAULT_THUMBS.includes(thumb) || (field.thumbs ?? []).includes(thumb)) && IMAGE_TYPES.includes(baseContentType(original.contentType))) {
      const tKey = thumbKey(collectionId, recordId, args.filename, thumb);
      const tAttrs = (await this.storage.attributes(tKey)) ?? ((await this.#makeThumb(originalKey, tKey, thumb, original)) ? await this.storage.attributes(tKey) : null);
      if (tAttrs) {
        key = tKey;
        name = `${thumb}_${args.filename}`;
        attributes = tAttrs;
      }
    }

    const forceAttachment = TRUTHY.has(args.download ?? '');
    const disposition = !forceAttachment && INLINE_TYPES.has(attributes.contentType) ? 'inline' : 'attachment';
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.')).toLowerCase() : '';
    const contentType = EXTENSION_TYPES[ext] ?? (attributes.contentType || 'application/octet-stream');
    return { key, name, attributes, disposition, contentType };
  }

  /** Makes a thumb once even under concurrent requests; false when the image cannot be decoded. */
  #makeThumb(originalKey: string, key: string, size: string, original: FileAttributes): Promise<boolean> {
    const pending = this.#pendingThumbs.get(key);
    if (pending) return pending;
    const job = (async () => {
      if (!this.thumbs || !THUMB_SIZE.test(size)) return false;
      try {
        const input = await this.storage.read(originalKey);
        if (!input) return false;
        const output = await this.thumbs.thumb(input, size);
        await this.storage.write(key, output, { contentType: original.contentType });
        return true;
      } catch {
        return false;
      }
    })().finally(() => this.#pendingThumbs.delete(key));
    this.#pendingThumbs.set(key, job);
    return job;
  }

  /** A view's file lives in the folder of the source record: the first base/auth record listing it. */
  async #viewFileDir(filename: string): Promise<string | null> {
    for (const source of this.schema.all()) {
      if (source.type === 'view') continue;
      for (const field of source.fields) {
        if (field.type !== 'file') continue;
        const multiple = Number(field['maxSelect']) > 1;
        const rows = await this.repository.find({
          collection: source, request: guestRequest(), allowHiddenFields: true, limit: 1,
          match: { field: field.name, values: [filename], multiple },
        });
        const row = rows[0];
        if (row) return recordDirKey(source.id, rowToRecord(source, row).id);
      }
    }
    return null;
  }
}

function splitDir(dir: string): [string, string] {
  const slash = dir.indexOf('/');
  return [dir.slice(0, slash), dir.slice(slash + 1)];
}

/** The file field of `record` that lists `filename` (PocketBase's `FindFileFieldByFile`). */
function fileFieldOf(collection: CollectionModel, record: RecordData, filename: string): FileFieldModel | null {
  for (const field of collection.fields as FieldModel[]) {
    if (field.type !== 'file') continue;
    if (toFileList(record[field.name]).map(fileName).includes(filename)) return field as FileFieldModel;
  }
  return null;
}
