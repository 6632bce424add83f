import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type yauzl from 'yauzl';
import type yazl from 'yazl';
import type { BackupArchiver, BackupProgress, RestoreReport } from '../../core/backups/backup-ports.js';

/** The databases of a data dir, copied as snapshots rather than as live files. */
const DATABASES = ['data.db', 'auxiliary.db'];

/** Options of {@link DataDirArchiver}. */
export interface DataDirArchiverOptions {
  dataDir: string;
  /** Copies a live SQLite file consistently (the store's `VACUUM INTO` in a worker). */
  snapshot: (source: string, target: string, onProgress?: (done: number, total: number) => void) => Promise<void>;
  /** Throws when a restored `data.db` is not a sound Plinth/PocketBase database. */
  checkDataDb: (file: string) => void;
}

/** Data dir entries never archived nor replaced: backups, temp and rollback folders, live db side files. */
function isSkipped(name: string): boolean {
  return name === 'backups' || name.startsWith('.pb_temp_') || name.startsWith('.plinth_')
    || DATABASES.some((db) => name === db || name === `${db}-wal` || name === `${db}-shm` || name === `${db}-journal`);
}

function walk(dir: string, base: string, out: Array<{ path: string; name: string; dir: boolean }>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const name = relative(base, path).split(sep).join('/');
    if (entry.isDirectory()) {
      out.push({ path, name, dir: true });
      walk(path, base, out);
    } else if (entry.isFile()) out.push({ path, name, dir: false });
  }
}

/** The zip libraries are imported when a backup is made or restored, not at start-up. */
async function loadYazl(): Promise<typeof yazl> {
  return (await import('yazl')).default;
}

async function openZip(file: string): Promise<yauzl.ZipFile> {
  const { default: unzip } = await import('yauzl');
  return new Promise((res, rej) => unzip.open(file, { lazyEntries: true, strictFileNames: false }, (err, zip) => (err ? rej(err) : res(zip))));
}

/**
 * Backups of a SQLite data dir as a zip: `data.db` and `auxiliary.db` as consistent snapshots
 * (taken while writes continue), then every other file (`storage/`, …). Restores unpack to a
 * staging folder and check it before anything of the running data is touched.
 */
export class DataDirArchiver implements BackupArchiver {
  constructor(private readonly o: DataDirArchiverOptions) {}

  async create(zipFile: string, progress?: BackupProgress): Promise<void> {
    const { dataDir } = this.o;
    const temp = mkdtempSync(join(dataDir, '.pb_temp_snapshot_'));
    try {
      const zip = new (await loadYazl()).ZipFile();
      for (const db of DATABASES) {
        const source = join(dataDir, db);
        if (!existsSync(source)) continue;
        const target = join(temp, db);
        await this.o.snapshot(source, target, (done, total) => progress?.(`snapshot ${db}`, done, total));
        zip.addFile(target, db);
      }
      const entries: Array<{ path: string; name: string; dir: boolean }> = [];
      for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
        if (isSkipped(entry.name)) continue;
        const path = join(dataDir, entry.name);
        if (entry.isDirectory()) {
          entries.push({ path, name: entry.name, dir: true });
          walk(path, dataDir, entries);
        } else if (entry.isFile()) entries.push({ path, name: entry.name, dir: false });
      }
      let done = 0;
      for (const e of entries) {
        if (e.dir) zip.addEmptyDirectory(e.name);
        else zip.addFile(e.path, e.name);
        if (++done % 500 === 0) progress?.('files', done, entries.length);
      }
      zip.end();
      await pipeline(zip.outputStream, createWriteStream(zipFile));
      progress?.('done', statSync(zipFile).size, statSync(zipFile).size);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }

  async extract(zipFile: string, stagingDir: string, progress?: BackupProgress): Promise<void> {
    let zip: yauzl.ZipFile;
    try {
      zip = await openZip(zipFile);
    } catch (err) {
      throw new Error(`not a zip archive (${(err as Error).message})`);
    }
    mkdirSync(stagingDir, { recursive: true });
    const root = resolve(stagingDir);
    let count = 0;
    await new Promise<void>((res, rej) => {
      const fail = (err: unknown) => {
        zip.close();
        rej(err);
      };
      zip.on('error', fail);
      zip.on('end', () => res());
      zip.on('entry', (entry: yauzl.Entry) => {
        const target = resolve(root, entry.fileName);
        if (!target.startsWith(root + sep) || /^[/\\]|^[a-zA-Z]:/.test(entry.fileName)) return fail(new Error(`unsafe path in archive: ${entry.fileName}`));
        if (entry.fileName.endsWith('/')) {
          mkdirSync(target, { recursive: true });
          zip.readEntry();
          return;
        }
        mkdirSync(dirname(target), { recursive: true });
        zip.openReadStream(entry, (err, stream) => {
          if (err) return fail(err);
          pipeline(stream, createWriteStream(target)).then(() => {
            if (++count % 500 === 0) progress?.('extract', count, zip.entryCount);
            zip.readEntry();
          }, fail);
        });
      });
      zip.readEntry();
    });
    const dataDb = join(stagingDir, 'data.db');
    if (!existsSync(dataDb)) throw new Error('the archive has no data.db');
    this.o.checkDataDb(dataDb);
  }

  async swapIn(stagingDir: string, backup: string): Promise<RestoreReport> {
    const { dataDir } = this.o;
    const previous = join(dataDir, `.plinth_pre_restore_${new Date().toISOString().replace(/[-:.]/g, '')}`);
    mkdirSync(previous);
    const moved: string[] = [];
    const restored: string[] = [];
    try {
      for (const name of readdirSync(dataDir)) {
        if (name === 'backups' || name.startsWith('.pb_temp_') || name.startsWith('.plinth_')) continue;
        renameSync(join(dataDir, name), join(previous, name));
        moved.push(name);
      }
      for (const name of readdirSync(stagingDir)) {
        if (isSkipped(name) && !DATABASES.includes(name)) continue;
        renameSync(join(stagingDir, name), join(dataDir, name));
        restored.push(name);
      }
    } catch (err) {
      // put everything back as it was
      for (const name of restored) rmSync(join(dataDir, name), { recursive: true, force: true });
      for (const name of moved) renameSync(join(previous, name), join(dataDir, name));
      rmSync(previous, { recursive: true, force: true });
      throw err;
    }
    return { backup, restored: restored.sort(), previousDataDir: previous };
  }
}
