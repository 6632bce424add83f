import type { RateLimitStore } from './auth/auth-ports.js';
import type { AuthService } from './auth/auth-service.js';
import type { BatchService } from './batch/batch-service.js';
import type { Operations } from './operations.js';
import type { FileService } from './files/file-service.js';
import type { HookRegistry } from './hooks/hook-registry.js';
import type { CollectionService } from './collections/collection-service.js';
import type { SchemaRegistry } from './collections/schema-registry.js';
import type { RecordEvents } from './events/record-events.js';
import type { RealtimeBroker } from './realtime/realtime-broker.js';
import type { RecordService } from './records/record-service.js';
import type { SettingsService } from './settings/settings-service.js';
import type { WebhookService } from './webhooks/webhook-service.js';

/** A node of a cluster (`--redis`): its id and whether Redis answers. */
export interface ClusterInfo {
  readonly nodeId: string;
  redis(): 'up' | 'down';
}

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
  /** Committed record writes, for realtime, file cleanup, webhooks… (src/core/events). */
  readonly events: RecordEvents;
  /** The realtime broker the SSE and WebSocket transports register with. */
  readonly realtime: RealtimeBroker;
  /** File downloads, thumbs and file tokens (`/api/files`). */
  readonly files: FileService;
  /** `POST /api/batch`. */
  readonly batch: BatchService;
  /** Outbound webhooks and their delivery log (src/core/webhooks); absent in a bare app. */
  readonly webhooks?: WebhookService;
  /** Logs, crons, backups, SQL console, settings checks and metrics (src/core/operations.ts). */
  readonly ops: Operations;
  /** Set on a node of a cluster; absent on a single node. */
  readonly cluster?: ClusterInfo;
  /** Rate-limit counters shared by the cluster (Redis); absent: each node counts in memory. */
  readonly rateLimits?: RateLimitStore;
  /** The TypeScript hooks, custom routes and their cron jobs (src/core/hooks; docs/hooks.md). */
  readonly hooks: HookRegistry;
  close(): Promise<void>;
}
