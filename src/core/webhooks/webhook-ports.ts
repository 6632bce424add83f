import type { RecordRepository } from '../records/record-repository.js';
import type { DeliveryOutcome, DeliveryRow, DeliveryStatus, NewDelivery, WebhookRow } from './webhook-model.js';

/** The webhooks and their outbox, in the database (see src/store/webhooks). */
export interface WebhookStore {
  listWebhooks(): Promise<WebhookRow[]>;
  findWebhook(id: string): Promise<WebhookRow | undefined>;
  insertWebhook(row: WebhookRow): Promise<void>;
  updateWebhook(row: WebhookRow): Promise<void>;
  /** Deletes the webhook and its deliveries. */
  deleteWebhook(id: string): Promise<void>;
  /**
   * Writes outbox rows with the connection of `tx`, a repository handed out by
   * `RecordRepository.transaction`: they commit or roll back with the record write.
   */
  enqueue(tx: RecordRepository, deliveries: readonly NewDelivery[]): Promise<void>;
  /** A page of one webhook's deliveries, newest first, optionally of one status. */
  listDeliveries(webhookId: string, options: { limit: number; offset: number; status?: DeliveryStatus }): Promise<{ items: DeliveryRow[]; total: number }>;
  findDelivery(id: string): Promise<DeliveryRow | undefined>;
  /**
   * Ids of deliveries of enabled webhooks that are due at `now`: pending with `nextAttempt <= now`,
   * or `sending` with an expired lease (a worker that died mid-attempt), oldest first.
   */
  due(now: number, limit: number): Promise<string[]>;
  /**
   * Takes a due delivery for one attempt (`sending`, `attempts + 1`, lease until `leaseUntil`,
   * `claimToken` set) with one guarded UPDATE; returns the row when this caller got it, undefined
   * when another worker was first or it is no longer due.
   */
  claim(id: string, now: number, leaseUntil: number, claimToken: string): Promise<DeliveryRow | undefined>;
  /** Records the outcome of an attempt, if `claimToken` still holds the row. */
  finish(id: string, claimToken: string, outcome: DeliveryOutcome): Promise<boolean>;
  /** Makes a delivery pending again, due at `now`, with its attempts reset; false when missing. */
  replay(id: string, now: number, updated: string): Promise<boolean>;
}

/** One HTTP attempt's answer: the status (0 when none came) and an error text when it failed. */
export interface SendResult {
  status: number;
  durationMs: number;
  error: string;
}

/** Sends one signed POST, refusing addresses the settings do not allow (see src/adapters/webhooks). */
export interface WebhookSender {
  send(url: string, headers: Readonly<Record<string, string>>, body: string, timeoutMs: number): Promise<SendResult>;
}
