import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { errors, PlinthError } from '../errors/plinth-error.js';
import { ozzo } from '../fields/field-errors.js';
import type { BackupArchiver, BackupInfo, BackupProgress, BackupStorage, RestoreReport } from './backup-ports.js';

/** PocketBase's backup name format. */
export const BACKUP_NAME = /^[a-z0-9_-][a-z0-9._-]*\.zip$/;
/** The prefix of scheduled backups (only those are rotated). */
export const AUTO_BACKUP_PREFIX = '@auto_pb_backup_';

const BUSY_MESSAGE = 'Try again later - another backup/restore process has already been started.';
const NETWORKED_DB_BACKUPS = 'Backups of networked databases (PostgreSQL, MySQL) are done with the database\'s own tools (pg_dump, mysqldump); Plinth backs up SQLite data dirs only.';

/**
 * Swaps a checked backup in: the host stops the app, calls `swap()` (which moves the data into
 * place) and starts the app again on the restored data.
 */
export type RestoreHandler = (swap: () => Promise<RestoreReport>, backup: string) => Promise<RestoreReport>;

export interface BackupServiceOptions {
  dataDir: string;
  storage: BackupStorage;
  /** Null when the store is not a file in the data dir (PostgreSQL, MySQL). */
  archiver: BackupArchiver | null;
  appName: () => string;
  progress?: BackupProgress;
}

function timestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * Backups of the data dir: create (a consistent zip while writes continue), list, download,
 * upload, delete, restore, and the scheduled backups with rotation. One backup or restore at a
 * time per node.
 */
export class BackupService {
  readonly #o: BackupServiceOptions;
  #active: string | null = null;
  /** Set by the host that can restart the app on restored data (the HTTP server). */
  restoreHandler: RestoreHandler | null = null;

  constructor(options: BackupServiceOptions) {
    this.#o = options;
  }

  get storage(): BackupStorage {
    return this.#o.storage;
  }

  /** The key of the backup or restore in progress, or null. */
  get active(): string | null {
    return this.#active;
  }

  /** Why this store cannot be backed up here, or null when it can (a SQLite data dir). */
  get unsupportedReason(): string | null {
    return this.#o.archiver ? null : NETWORKED_DB_BACKUPS;
  }

  #requireArchiver(): BackupArchiver {
    if (!this.#o.archiver) throw errors.badRequest(NETWORKED_DB_BACKUPS);
    return this.#o.archiver;
  }

  list(): Promise<BackupInfo[]> {
    return this.#o.storage.list();
  }

  /** A generated name: `pb_backup_<appname>_<yyyymmddhhmmss>.zip`. */
  generateName(prefix = 'pb_backup_'): string {
    const app = this.#o.appName().toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
    return `${prefix}${app ? `${app}_` : ''}${timestamp()}.zip`;
  }

  static checkName(name: string, field = 'name'): void {
    if (!BACKUP_NAME.test(name) && !name.startsWith(AUTO_BACKUP_PREFIX)) {
      throw errors.badRequest('An error occurred while validating the submitted data.', { [field]: ozzo.match() });
    }
  }

  async #exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.#active) throw errors.badRequest(BUSY_MESSAGE);
    this.#active = key;
    try {
      return await fn();
    } finally {
      this.#active = null;
    }
  }

  /** Creates a backup named `name` (generated when empty); returns its key. */
  async create(name = ''): Promise<string> {
    const archiver = this.#requireArchiver();
    const key = name === '' ? this.generateName() : name;
    if (name !== '') BackupService.checkName(name);
    return this.#exclusive(key, async () => {
      if (await this.#o.storage.exists(key)) {
        throw errors.badRequest('An error occurred while validating the submitted data.', { name: { code: 'validation_backup_name_exists', message: 'Backup file with the specified name already exists.' } });
      }
      const temp = mkdtempSync(join(this.#o.dataDir, '.pb_temp_backup_'));
      try {
        const zip = join(temp, key);
        await archiver.create(zip, this.#o.progress);
        await this.#o.storage.put(key, zip);
      } finally {
        rmSync(temp, { recursive: true, force: true });
      }
      return key;
    });
  }

  /** Stores an uploaded archive (checked like a restore would check it, so a bad zip is refused now). */
  async upload(name: string, file: string): Promise<void> {
    const archiver = this.#requireArchiver();
    BackupService.checkName(name, 'file');
    if (await this.#o.storage.exists(name)) {
      throw errors.badRequest('An error occurred while validating the submitted data.', { file: { code: 'validation_backup_name_exists', message: 'Backup file with the specified name already exists.' } });
    }
    const staging = mkdtempSync(join(this.#o.dataDir, '.pb_temp_upload_'));
    try {
      await this.#checkedExtract(archiver, file, join(staging, 'x'), 'file');
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    await this.#o.storage.put(name, file);
  }

  async delete(key: string): Promise<void> {
    if (this.#active === key) throw errors.badRequest('The backup is currently being used and cannot be deleted.');
    if (!(await this.#o.storage.exists(key))) throw errors.badRequest('Missing or invalid backup file.');
    await this.#o.storage.delete(key);
  }

  async #checkedExtract(archiver: BackupArchiver, zip: string, staging: string, field?: string): Promise<void> {
    try {
      await archiver.extract(zip, staging, this.#o.progress);
    } catch (err) {
      if (err instanceof PlinthError) throw err;
      const message = `The backup is not a valid Plinth/PocketBase backup: ${(err as Error).message}`;
      throw errors.badRequest(message, field ? { [field]: { code: 'validation_invalid_backup', message } } : {});
    }
  }

  /**
   * Restores a backup in two steps. First, now: the archive is unpacked and checked (a corrupted
   * or foreign zip is refused with a 400 and the running data untouched). Then, in `done`: the
   * restore handler (the host that can stop and restart the app) swaps the data in; without a
   * handler (the CLI, with no server running) the swap happens directly.
   */
  async restore(key: string): Promise<{ done: Promise<RestoreReport> }> {
    const archiver = this.#requireArchiver();
    if (this.#active) throw errors.badRequest(BUSY_MESSAGE);
    this.#active = key;
    const temp = mkdtempSync(join(this.#o.dataDir, '.pb_temp_restore_'));
    const release = () => {
      rmSync(temp, { recursive: true, force: true });
      this.#active = null;
    };
    let staging: string;
    try {
      const zip = await this.#o.storage.localCopy(key, temp);
      if (!zip) throw errors.badRequest('Missing or invalid backup file.');
      staging = join(temp, 'data');
      await this.#checkedExtract(archiver, zip, staging);
    } catch (err) {
      release();
      throw err;
    }
    const swap = () => archiver.swapIn(staging, key);
    const done = (this.restoreHandler ? this.restoreHandler(swap, key) : swap()).finally(release);
    return { done };
  }

  /** The scheduled backup: creates `@auto_pb_backup_…` and keeps the newest `maxKeep` of them. */
  async autoBackup(maxKeep: number): Promise<string> {
    const key = await this.create(this.generateName(AUTO_BACKUP_PREFIX));
    const autos = (await this.#o.storage.list())
      .filter((b) => b.key.startsWith(AUTO_BACKUP_PREFIX))
      .sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : b.key.localeCompare(a.key)));
    for (const old of autos.slice(Math.max(1, maxKeep))) await this.#o.storage.delete(old.key);
    return key;
  }
}
