import type { SchemaRegistry } from '../core/collections/schema-registry.js';
import type { RecordEvents } from '../core/events/record-events.js';
import type { SettingsService } from '../core/settings/settings-service.js';
import { WebhookService } from '../core/webhooks/webhook-service.js';
import { DEFAULT_WEBHOOK_WORKER, WebhookWorker, type WebhookWorkerOptions } from '../core/webhooks/webhook-worker.js';
import { UndiciWebhookSender } from '../adapters/webhooks/undici-webhook-sender.js';
import type { Db } from '../store/db.js';
import { SqlWebhookStore } from '../store/webhooks/sql-webhook-store.js';

/** Webhook timings; every field is optional (see DEFAULT_WEBHOOK_WORKER) and tests shorten them. */
export interface WebhookOptions extends Partial<Omit<WebhookWorkerOptions, 'retry'>> {
  retry?: Partial<WebhookWorkerOptions['retry']>;
  /** Delay before the worker's first read of the outbox (default 0). */
  startDelayMs?: number;
  /** How often the webhook list is re-read for changes made on other nodes (default 5 s). */
  refreshMs?: number;
}

/** Reads the PLINTH_WEBHOOK_* variables (for `plinth serve`); unset ones are left out. */
export function webhookOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookOptions {
  const n = (name: string): number | undefined => {
    const text = env[`PLINTH_WEBHOOK_${name}`];
    const value = text === undefined || text === '' ? NaN : Number(text);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  return {
    startDelayMs: n('START_DELAY_MS'), pollIntervalMs: n('POLL_MS'), timeoutMs: n('TIMEOUT_MS'),
    retry: { maxAttempts: n('MAX_ATTEMPTS'), baseDelayMs: n('RETRY_BASE_MS'), maxDelayMs: n('RETRY_MAX_MS') },
  };
}

const defined = <T extends object>(value: T | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The SSRF allow-list from the settings (`webhooks.allowedHosts`, empty by default). */
function allowedHosts(settings: SettingsService): string[] {
  const group = settings.get().webhooks as { allowedHosts?: unknown } | undefined;
  return Array.isArray(group?.allowedHosts) ? group.allowedHosts.filter((h): h is string => typeof h === 'string') : [];
}

/** Builds and starts the webhook service and its delivery worker; returns them and their `close`. */
export async function startWebhooks(deps: { db: Db; schema: SchemaRegistry; events: RecordEvents; settings: SettingsService; options?: WebhookOptions }): Promise<{ service: WebhookService; close(): Promise<void> }> {
  const env = webhookOptionsFromEnv();
  const options: WebhookOptions = { ...defined(env), ...defined(deps.options) };
  const workerOptions: WebhookWorkerOptions = {
    ...DEFAULT_WEBHOOK_WORKER,
    ...defined({ pollIntervalMs: options.pollIntervalMs, batchSize: options.batchSize, timeoutMs: options.timeoutMs, leaseMs: options.leaseMs }),
    retry: { ...DEFAULT_WEBHOOK_WORKER.retry, ...defined(env.retry), ...defined(deps.options?.retry) },
  };
  const store = new SqlWebhookStore(deps.db);
  const sender = new UndiciWebhookSender(() => allowedHosts(deps.settings));
  const worker = new WebhookWorker(store, sender, workerOptions);
  const service = new WebhookService(deps.schema, store, deps.events, () => worker.nudge());
  await service.start(options.refreshMs ?? 5000);
  worker.start(options.startDelayMs ?? 0);
  return {
    service,
    close: async () => {
      service.stop();
      await worker.stop();
      await sender.close();
    },
  };
}
