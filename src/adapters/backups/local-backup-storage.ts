import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, copyFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupInfo, BackupStorage } from '../../core/backups/backup-ports.js';

/** Backups as files of `<dataDir>/backups`, like PocketBase. */
export class LocalBackupStorage implements BackupStorage {
  constructor(private readonly dir: string) {}

  #path(key: string): string | null {
    if (key === '' || key.includes('/') || key.includes('\\') || key === '.' || key === '..') return null;
    return join(this.dir, key);
  }

  async list(): Promise<BackupInfo[]> {
    if (!existsSync(this.dir)) return [];
    const out: BackupInfo[] = [];
    for (const entry of readdirSync(this.dir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const st = statSync(join(this.dir, entry.name));
      out.push({ key: entry.name, size: st.size, modified: st.mtime.toISOString().replace('T', ' ') });
    }
    return out.sort((a, b) => (a.modified < b.modified ? 1 : -1));
  }

  async exists(key: string): Promise<boolean> {
    const path = this.#path(key);
    return path !== null && existsSync(path) && statSync(path).isFile();
  }

  async put(key: string, sourceFile: string): Promise<void> {
    const path = this.#path(key);
    if (!path) throw new Error(`invalid backup key "${key}"`);
    mkdirSync(this.dir, { recursive: true });
    const temp = `${path}.partial`;
    try {
      renameSync(sourceFile, temp);
    } catch {
      copyFileSync(sourceFile, temp);
    }
    renameSync(temp, path);
  }

  async read(key: string): Promise<{ stream: AsyncIterable<Uint8Array>; size: number } | null> {
    if (!(await this.exists(key))) return null;
    const path = this.#path(key) ?? '';
    return { stream: createReadStream(path), size: statSync(path).size };
  }

  async localCopy(key: string): Promise<string | null> {
    return (await this.exists(key)) ? this.#path(key) : null;
  }

  async delete(key: string): Promise<void> {
    const path = this.#path(key);
    if (path) rmSync(path, { force: true });
  }
}
