import type { CollectionModel } from '../collections/collection-model.js';
import { isUploadedFile, toFileList, fileName, type UploadedFile } from '../fields/file-field.js';
import { toUniqueStrings } from '../fields/cast.js';
import { FileJournal, type FileErrorLog } from '../files/file-journal.js';
import { normalizeFileName } from '../files/file-names.js';
import { sniffContentType } from '../files/file-sniff.js';
import type { FileStorage } from '../files/file-storage.js';
import type { RecordData } from '../request-info.js';
import { fieldIsMultiple } from './record-fields.js';
import type { RecordRepository } from './record-repository.js';

/** A file part of a request body, as a transport read it. */
export interface IncomingFile {
  /** The body key it came under: `avatar`, `documents+`, `+documents`. */
  key: string;
  /** The client's file name. */
  filename: string;
  data: Uint8Array;
}

/** Turns a received file into an upload: stored name normalised with a random suffix, type sniffed from the bytes. */
async function toUpload(filename: string, data: Uint8Array): Promise<UploadedFile> {
  const sniffed = await sniffContentType(data);
  return {
    name: normalizeFileName(filename, sniffed.extension),
    originalName: filename,
    size: data.length,
    mimeType: sniffed.contentType,
    data,
  };
}

/**
 * Merges uploaded files into a body the way PocketBase's `recordDataFromRequest` does: files are
 * taken for each file field under `field`, `field+` and `+field`; under the plain key they are
 * added after the names the body already lists there (so existing files are not dropped by
 * accident). Other file keys are ignored. Returns a new body.
 */
export async function mergeUploads(collection: CollectionModel, body: Record<string, unknown>, files: readonly IncomingFile[]): Promise<Record<string, unknown>> {
  if (files.length === 0) return body;
  const out: Record<string, unknown> = { ...body };
  for (const field of collection.fields) {
    if (field.type !== 'file') continue;
    for (const key of [field.name, `${field.name}+`, `+${field.name}`]) {
      const matching = files.filter((f) => f.key === key);
      if (matching.length === 0) continue;
      const uploads = await Promise.all(matching.map((f) => toUpload(f.filename, f.data)));
      const keep = key === field.name && body[key] !== undefined && body[key] !== null ? toUniqueStrings(body[key]) : [];
      out[key] = [...keep, ...uploads];
    }
  }
  return out;
}

/**
 * The file side of record writes for the records service: uploads before the database write,
 * deletes replaced files after commit, deletes uploads after rollback. Bound to an outer journal
 * (a batch), it leaves commit and rollback to the owner of that journal.
 */
export class RecordFileScope {
  constructor(
    private readonly storage: FileStorage,
    private readonly log: FileErrorLog = () => undefined,
    private readonly outer: FileJournal | null = null,
  ) {}

  /** A new journal for a unit of work spanning several writes. */
  newJournal(): FileJournal {
    return new FileJournal(this.storage, this.log);
  }

  /** The same scope with every write recorded in `journal` (committed or rolled back by the caller). */
  bound(journal: FileJournal): RecordFileScope {
    return new RecordFileScope(this.storage, this.log, journal);
  }

  /**
   * Runs `write` for `record` (null: a delete of `original`). New uploads in `record`'s file fields
   * are stored first and replaced by their names in `record` (in place); files of `original` no
   * longer listed are deleted after commit. `write` gets `track`, which wraps a repository so that
   * every record it deletes (cascades included) has its folder removed after commit.
   */
  async run<T>(
    collection: CollectionModel,
    original: RecordData | null,
    record: RecordData | null,
    write: (track: (repo: RecordRepository) => RecordRepository) => Promise<T>,
  ): Promise<T> {
    const journal = this.outer ?? this.newJournal();
    const track = (repo: RecordRepository) => trackDeletes(repo, journal);
    if (this.outer) {
      await stage(journal, collection, original, record);
      return write(track);
    }
    let result: T;
    try {
      await stage(journal, collection, original, record);
      result = await write(track);
    } catch (err) {
      await journal.rollback();
      throw err;
    }
    await journal.commit();
    return result;
  }
}

async function stage(journal: FileJournal, collection: CollectionModel, original: RecordData | null, record: RecordData | null): Promise<void> {
  if (record === null) {
    if (original) journal.discardRecord(collection.id, original.id);
    return;
  }
  for (const field of collection.fields) {
    if (field.type !== 'file') continue;
    const items = toFileList(record[field.name]);
    const uploads = items.filter(isUploadedFile);
    if (uploads.length > 0) await journal.upload(collection.id, record.id, uploads, original === null);
    const names = items.map(fileName);
    if (uploads.length > 0) record[field.name] = fieldIsMultiple(field) ? names : (names[names.length - 1] ?? '');
    if (original) {
      const kept = new Set(names);
      const removed = toFileList(original[field.name]).map(fileName).filter((n) => !kept.has(n));
      if (removed.length > 0) journal.discard(collection.id, original.id, removed);
    }
  }
}

/** A repository whose deletes (in nested transactions too) mark the record folders for removal. */
function trackDeletes(repo: RecordRepository, journal: FileJournal): RecordRepository {
  return new Proxy(repo, {
    get(target, prop) {
      if (prop === 'delete') {
        return async (collection: CollectionModel, id: string) => {
          await target.delete(collection, id);
          journal.discardRecord(collection.id, id);
        };
      }
      if (prop === 'transaction') {
        return <T>(fn: (tx: RecordRepository) => Promise<T>) => target.transaction((tx) => fn(trackDeletes(tx, journal)));
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
