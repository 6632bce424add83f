import { randomBytes } from 'node:crypto';
import { nowDateTime } from '../collections/collection-ids.js';
import type { DeliveryOutcome, DeliveryRow } from './webhook-model.js';
import type { WebhookSender, WebhookStore } from './webhook-ports.js';
import { signWebhook } from './webhook-signature.js';

/** When to try again: exponential backoff from `baseDelayMs`, capped at `maxDelayMs`. */
export interface RetryPolicy {
  /** Attempts in all, the first included; the delivery is `failed` after the last one. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface WebhookWorkerOptions {
  /** How often the outbox is read when nothing nudged the worker (default 2 s). */
  pollIntervalMs: number;
  /** Deliveries sent at once (default 10). */
  batchSize: number;
  /** Time allowed for one receiver's answer (default 10 s). */
  timeoutMs: number;
  /** How long a claim holds a row before another worker may take it again (default 60 s). */
  leaseMs: number;
  retry: RetryPolicy;
}

/**
 * The default schedule: 10 attempts, 5 s, 10 s, 20 s … apart (at most 1 h): the last retry comes
 * about 42 minutes after the first attempt, so a receiver down for 10 minutes loses nothing.
 */
export const DEFAULT_WEBHOOK_WORKER: WebhookWorkerOptions = {
  pollIntervalMs: 2000,
  batchSize: 10,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  retry: { maxAttempts: 10, baseDelayMs: 5000, maxDelayMs: 3_600_000 },
};

/** The wait after failed attempt number `attempt` (1-based) before the next one. */
export function retryDelay(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempt - 1), policy.maxDelayMs);
}

/** Where unexpected worker errors go. */
export type WorkerErrorLog = (message: string, error: unknown) => void;

/**
 * Delivers the outbox: reads due rows, claims each with a guarded UPDATE (so that on several
 * nodes one worker sends a row), signs it per Standard Webhooks and sends it; a 2xx marks it
 * delivered, anything else schedules a retry with {@link retryDelay} until `maxAttempts`, then
 * `failed`. The `webhook-id` is the row's id on every attempt (at-least-once with a stable id).
 * Pending rows survive restarts: a new worker picks them up on its first read.
 */
export class WebhookWorker {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  #notBefore = 0;

  constructor(
    private readonly store: WebhookStore,
    private readonly sender: WebhookSender,
    private readonly options: WebhookWorkerOptions = DEFAULT_WEBHOOK_WORKER,
    private readonly logError: WorkerErrorLog = (message, error) => console.error(message, error),
  ) {}

  /** Starts polling, the first read after `delayMs`. */
  start(delayMs = 0): void {
    this.#stopped = false;
    this.#notBefore = Date.now() + delayMs;
    this.#schedule(delayMs);
  }

  /** Reads the outbox soon (a write just enqueued something). */
  nudge(): void {
    if (this.#stopped) return;
    if (this.#running) this.#again = true;
    else this.#schedule(Math.max(0, this.#notBefore - Date.now()));
  }

  /** Stops polling and waits for the attempts in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#stopped || this.#running) return;
    this.#running = this.runOnce().catch((err: unknown) => this.logError('webhook worker failed', err));
    await this.#running;
    this.#running = undefined;
    if (this.#stopped) return;
    const again = this.#again;
    this.#again = false;
    this.#schedule(again ? 0 : this.options.pollIntervalMs);
  }

  /** One pass: sends every due delivery (in batches); resolves when all were recorded. */
  async runOnce(): Promise<void> {
    for (;;) {
      const ids = await this.store.due(Date.now(), this.options.batchSize);
      if (ids.length === 0 || this.#stopped) return;
      const sent = await Promise.all(ids.map((id) => this.#attempt(id)));
      if (!sent.some(Boolean)) return;
    }
  }

  async #attempt(id: string): Promise<boolean> {
    const now = Date.now();
    const token = randomBytes(12).toString('hex');
    const row = await this.store.claim(id, now, now + this.options.leaseMs, token);
    if (!row) return false;
    const outcome = await this.#send(row);
    await this.store.finish(id, token, outcome);
    return true;
  }

  async #send(row: DeliveryRow): Promise<DeliveryOutcome> {
    const webhook = await this.store.findWebhook(row.webhookId);
    const base = { nextAttempt: 0, deliveredAt: '', updated: nowDateTime() };
    if (!webhook) return { ...base, status: 'failed', lastStatus: 0, lastError: 'the webhook was deleted', lastDurationMs: 0 };
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'Plinth-Webhooks',
      'webhook-id': row.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(webhook.secrets, row.id, timestamp, row.payload),
    };
    let result;
    try {
      result = await this.sender.send(webhook.url, headers, row.payload, this.options.timeoutMs);
    } catch (err) {
      result = { status: 0, durationMs: 0, error: err instanceof Error ? err.message : String(err) };
    }
    const attempt = { lastStatus: result.status, lastError: result.error, lastDurationMs: Math.round(result.durationMs) };
    if (result.error === '' && result.status >= 200 && result.status < 300) {
      return { ...base, ...attempt, status: 'delivered', deliveredAt: base.updated };
    }
    const { retry } = this.options;
    if (row.attempts >= retry.maxAttempts) return { ...base, ...attempt, status: 'failed' };
    return { ...base, ...attempt, status: 'pending', nextAttempt: Date.now() + retryDelay(retry, row.attempts) };
  }
}
