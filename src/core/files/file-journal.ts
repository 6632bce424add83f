import type { UploadedFile } from '../fields/file-field.js';
import { fileKey, recordDirKey, thumbsPrefix } from './file-keys.js';
import type { FileStorage } from './file-storage.js';

/** Where a failed clean-up is reported (the files are then left behind, never the request failed). */
export type FileErrorLog = (message: string, error: unknown) => void;

/**
 * The file side of one write (or of a whole batch): uploads happen before the database write and
 * are deleted again when it rolls back; files that the write replaces or removes, and the folders
 * of deleted records, are deleted only once it has committed.
 */
export class FileJournal {
  readonly #uploaded: string[] = [];
  readonly #obsolete: Array<{ collectionId: string; recordId: string; name: string }> = [];
  readonly #deletedRecords: string[] = [];
  readonly #newRecordDirs: string[] = [];

  constructor(
    private readonly storage: FileStorage,
    private readonly log: FileErrorLog = () => undefined,
  ) {}

  /**
   * Stores new uploads under the record's folder (with their content type and original name).
   * For a new record (`isNew`), a rollback removes the whole folder.
   */
  async upload(collectionId: string, recordId: string, uploads: readonly UploadedFile[], isNew = false): Promise<void> {
    if (isNew) this.#newRecordDirs.push(`${recordDirKey(collectionId, recordId)}/`);
    for (const upload of uploads) {
      const key = fileKey(collectionId, recordId, upload.name);
      await this.storage.write(key, upload.data ?? new Uint8Array(), {
        contentType: upload.mimeType ?? 'application/octet-stream',
        metadata: { 'original-filename': upload.originalName.slice(0, 255) },
      });
      this.#uploaded.push(key);
    }
  }

  /** Marks stored files (and their thumbs) for deletion after commit. */
  discard(collectionId: string, recordId: string, names: readonly string[]): void {
    for (const name of names) this.#obsolete.push({ collectionId, recordId, name });
  }

  /** Marks a deleted record's whole folder for deletion after commit. */
  discardRecord(collectionId: string, recordId: string): void {
    this.#deletedRecords.push(`${recordDirKey(collectionId, recordId)}/`);
  }

  /** After commit: deletes replaced files, their thumbs and the folders of deleted records. */
  async commit(): Promise<void> {
    for (const { collectionId, recordId, name } of this.#obsolete) {
      await this.#quietly(() => this.storage.delete(fileKey(collectionId, recordId, name)));
      await this.#quietly(() => this.storage.deletePrefix(thumbsPrefix(collectionId, recordId, name)));
    }
    for (const prefix of this.#deletedRecords) await this.#quietly(() => this.storage.deletePrefix(prefix));
    this.#clear();
  }

  /** After rollback: deletes the files uploaded for the write. */
  async rollback(): Promise<void> {
    for (const key of this.#uploaded) await this.#quietly(() => this.storage.delete(key));
    for (const prefix of this.#newRecordDirs) {
      // only when empty: a failed create may have reused the id of an existing record
      await this.#quietly(async () => {
        if (await this.storage.isEmptyDir(prefix)) await this.storage.deletePrefix(prefix);
      });
    }
    this.#clear();
  }

  #clear(): void {
    this.#uploaded.length = 0;
    this.#obsolete.length = 0;
    this.#deletedRecords.length = 0;
    this.#newRecordDirs.length = 0;
  }

  async #quietly(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.log('file clean-up failed', err);
    }
  }
}
