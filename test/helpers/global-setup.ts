import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { makeWritable, removeDir, skipShm } from './fixture-copy.js';
import { dropRunDatabases } from './drop-run-databases.js';
import { fixtureDir } from './paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A writable copy of the PocketBase fixture, made once per run; '' when ../shared is missing. */
    fixtureTemplate: string;
    /** Part of the name of every PG schema / MySQL database this run creates (dropped at the end). */
    dbRunId: string;
  }
}

/**
 * Runs once in the main vitest process: copies the read-only shared fixture into a writable
 * template that every test server copies from, and removes it when the run ends; drops the PG
 * schemas and MySQL databases the run's workers left behind (templates, servers not closed) (worker processes
 * are stopped without running their exit handlers, so they cannot clean up a template themselves).
 */
export default function setup(project: TestProject): () => Promise<void> {
  const runId = randomBytes(3).toString('hex');
  project.provide('dbRunId', runId);
  const dropDatabases = () => dropRunDatabases(runId);
  if (!existsSync(fixtureDir())) {
    project.provide('fixtureTemplate', '');
    return dropDatabases;
  }
  const dir = mkdtempSync(join(tmpdir(), 'plinth-fixture-template-'));
  cpSync(fixtureDir(), dir, { recursive: true, filter: skipShm });
  makeWritable(dir);
  project.provide('fixtureTemplate', dir);
  return async () => {
    removeDir(dir);
    await dropDatabases();
  };
}
