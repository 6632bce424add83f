/** One stored backup as `GET /api/backups` lists it. */
export interface BackupInfo {
  key: string;
  size: number;
  /** `2006-01-02 15:04:05.000Z`. */
  modified: string;
}

/** Where backup archives are kept (PocketBase: `<dataDir>/backups`, or the backups S3 bucket). */
export interface BackupStorage {
  list(): Promise<BackupInfo[]>;
  exists(key: string): Promise<boolean>;
  /** Stores the local file `sourceFile` under `key` (the source may be moved). */
  put(key: string, sourceFile: string): Promise<void>;
  /** A stream of the archive, or null when missing. */
  read(key: string): Promise<{ stream: AsyncIterable<Uint8Array>; size: number } | null>;
  /** A local path of the archive (downloaded to `tempDir` first when remote), or null when missing. */
  localCopy(key: string, tempDir: string): Promise<string | null>;
  delete(key: string): Promise<void>;
}

/** Progress of a long backup or restore, for the log and the CLI. */
export type BackupProgress = (phase: string, done: number, total: number) => void;

/** What a restore changed, as the server reports it. */
export interface RestoreReport {
  backup: string;
  /** Entries of the data dir replaced from the archive (`data.db`, `auxiliary.db`, `storage`…). */
  restored: string[];
  /** Where the data that was replaced was moved (kept for a manual rollback). */
  previousDataDir: string;
}

/**
 * The data-dir side of backups: archiving a consistent copy of the data dir, and checking and
 * unpacking an archive. Implemented by src/adapters/zip with the store's SQLite snapshot.
 */
export interface BackupArchiver {
  /** Writes a zip of the data dir (databases copied consistently while writes continue) to `zipFile`. */
  create(zipFile: string, progress?: BackupProgress): Promise<void>;
  /**
   * Unpacks `zipFile` into the new folder `stagingDir` and checks it (a valid SQLite `data.db`
   * with `_collections`); throws an Error with a clear message otherwise.
   */
  extract(zipFile: string, stagingDir: string, progress?: BackupProgress): Promise<void>;
  /** Swaps a checked staging dir into the data dir; the databases must be closed. */
  swapIn(stagingDir: string, backup: string): Promise<RestoreReport>;
}
