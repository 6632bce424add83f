import type { AuthService } from './auth/auth-service.js';
import type { CollectionService } from './collections/collection-service.js';
import type { SchemaRegistry } from './collections/schema-registry.js';
import type { RecordService } from './records/record-service.js';
import type { SettingsService } from './settings/settings-service.js';

/**
 * The running application as the transports see it: core services only. The composition root
 * (src/cli/create-app.ts) builds it from a store and adapters.
 */
export interface PlinthApp {
  readonly version: string;
  /** Folder for local state and files (`pb_data`). */
  readonly dataDir: string;
  readonly schema: SchemaRegistry;
  readonly settings: SettingsService;
  readonly collections: CollectionService;
  readonly records: RecordService;
  readonly auth: AuthService;
  close(): Promise<void>;
}
