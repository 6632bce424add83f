import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupArchiver, BackupInfo, BackupStorage } from '../../../src/core/backups/backup-ports.js';
import { BackupService } from '../../../src/core/backups/backup-service.js';

/** Storage in memory: the keys put, no files kept. */
function memoryStorage(): BackupStorage {
  const keys = new Set<string>();
  return {
    list: async () => [...keys].map((key): BackupInfo => ({ key, size: 0, modified: '' })),
    exists: async (key) => keys.has(key),
    put: async (key) => void keys.add(key),
    read: async () => null,
    localCopy: async () => null,
    delete: async (key) => void keys.delete(key),
  };
}

/** An archiver whose `create` waits until `release()` is called. */
function gatedArchiver(): BackupArchiver & { release: () => void; started: Promise<void> } {
  let release = (): void => undefined;
  let started = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const startedP = new Promise<void>((resolve) => (started = resolve));
  return {
    release: () => release(),
    started: startedP,
    create: async () => {
      started();
      await gate;
    },
    extract: async () => undefined,
    swapIn: async () => ({ backup: '', restored: [], previousDataDir: '' }),
  };
}

describe('BackupService', () => {
  const dirs: string[] = [];
  const dataDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'plinth-backups-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('reports the backup in progress as active, and nothing once it is done', async () => {
    const archiver = gatedArchiver();
    const service = new BackupService({ dataDir: dataDir(), storage: memoryStorage(), archiver, appName: () => 'Acme' });
    expect(service.active).toBeNull();
    const creating = service.create('slow.zip');
    await archiver.started;
    expect(service.active).toBe('slow.zip');
    // a second one is refused while the first runs
    await expect(service.create('second.zip')).rejects.toMatchObject({ code: 'bad_request' });
    archiver.release();
    await expect(creating).resolves.toBe('slow.zip');
    expect(service.active).toBeNull();
    expect((await service.list()).map((b) => b.key)).toEqual(['slow.zip']);
  });

  it('says why a store without an archiver (PostgreSQL, MySQL) cannot be backed up, and refuses with that message', async () => {
    const withArchiver = new BackupService({ dataDir: dataDir(), storage: memoryStorage(), archiver: gatedArchiver(), appName: () => 'Acme' });
    expect(withArchiver.unsupportedReason).toBeNull();
    const networked = new BackupService({ dataDir: dataDir(), storage: memoryStorage(), archiver: null, appName: () => 'Acme' });
    expect(networked.unsupportedReason).toMatch(/pg_dump, mysqldump/);
    await expect(networked.create('x.zip')).rejects.toMatchObject({ code: 'bad_request', message: networked.unsupportedReason });
  });
});
