import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PlinthApp } from '../core/app.js';
import { AuthService } from '../core/auth/auth-service.js';
import { CollectionService } from '../core/collections/collection-service.js';
import { SchemaRegistry } from '../core/collections/schema-registry.js';
import { RecordService } from '../core/records/record-service.js';
import { SettingsService } from '../core/settings/settings-service.js';
import { SqlCollectionRepository } from '../store/collections/sql-collection-repository.js';
import { SqlRecordRepository } from '../store/records/sql-record-repository.js';
import { bootstrapStore } from '../store/schema/bootstrap.js';
import { SqlSettingsRepository } from '../store/settings/sql-settings-repository.js';
import { SqliteDb } from '../store/sqlite/sqlite-db.js';
import { VERSION } from './version.js';

export interface AppOptions {
  /** Folder for the SQLite files and local state; created when missing. */
  dataDir: string;
}

/** The composition root: opens the store, bootstraps a new data dir, wires the core services. */
export async function createApp(options: AppOptions): Promise<PlinthApp> {
  mkdirSync(options.dataDir, { recursive: true });
  const db = new SqliteDb(join(options.dataDir, 'data.db'));
  try {
    await bootstrapStore(db);
    const schema = new SchemaRegistry();
    const collectionRepository = new SqlCollectionRepository(db);
    schema.replaceAll(await collectionRepository.loadAll());

    const settings = new SettingsService(new SqlSettingsRepository(db));
    await settings.load();
    const collections = new CollectionService(schema, collectionRepository);
    const records = new RecordService(schema, new SqlRecordRepository(db, schema));
    const auth = new AuthService(schema, records, settings);

    return {
      version: VERSION,
      dataDir: options.dataDir,
      schema,
      settings,
      collections,
      records,
      auth,
      close: () => db.close(),
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}
