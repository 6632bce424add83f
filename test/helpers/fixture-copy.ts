import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { fixtureDir } from './paths.js';

/** Creates a fresh, empty temp folder for one test server's data. */
export function makeTempDir(prefix = 'plinth-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a temp folder now, ignoring errors (a server may still hold a file on some platforms). */
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

const pendingRemovals = new Map<string, Promise<void>>();

/**
 * Starts removing a temp folder in the background. Deleting files is slow on this machine's disk
 * (about 55 ms for a fixture copy), so a suite that starts hundreds of servers overlaps it with the
 * next test; it must `await flushRemovals()` in `afterAll` (vitest stops its workers without
 * running exit handlers, so nothing else would finish the job).
 */
export function removeDirLater(dir: string): void {
  const removal = rm(dir, { recursive: true, force: true, maxRetries: 3 })
    .catch(() => undefined)
    .finally(() => pendingRemovals.delete(dir));
  pendingRemovals.set(dir, removal);
}

/** Waits for every removal started with {@link removeDirLater}. */
export async function flushRemovals(): Promise<void> {
  await Promise.all(pendingRemovals.values());
}

/** Gives the owner write access to everything under `path` (the shared fixture is read-only). */
export function makeWritable(path: string): void {
  const stat = statSync(path);
  chmodSync(path, stat.mode | (stat.isDirectory() ? 0o700 : 0o600));
  if (stat.isDirectory()) for (const entry of readdirSync(path)) makeWritable(join(path, entry));
}

/** SQLite's shared-memory index belongs to whoever had the database open: never copy it. */
export const skipShm = (source: string) => !source.endsWith('-shm');

/**
 * Copies the PocketBase fixture into a new writable temp folder and returns its path. Copies the
 * template made by global-setup.ts when there is one, else the shared folder itself.
 */
export function copyFixture(): string {
  if (!existsSync(fixtureDir())) {
    throw new Error(`PocketBase fixture not found at ${fixtureDir()}: guard the suite with requireShared()`);
  }
  const dir = makeTempDir();
  const template = providedTemplate();
  if (template) {
    cpSync(template, dir, { recursive: true });
  } else {
    cpSync(fixtureDir(), dir, { recursive: true, filter: skipShm });
    makeWritable(dir);
  }
  return dir;
}

function providedTemplate(): string {
  try {
    return inject('fixtureTemplate') || '';
  } catch {
    return ''; // not inside a vitest worker
  }
}
