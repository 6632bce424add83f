import type { RecordAction } from '../events/record-events.js';

/** The record actions a webhook can subscribe to. */
export const WEBHOOK_EVENTS: readonly RecordAction[] = ['create', 'update', 'delete'];

/** Where a delivery is: waiting (first try or a retry), being sent, delivered, or given up. */
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sending', 'delivered', 'failed'];

/** One signing secret; `expires` (epoch ms) is set on a previous secret kept during a rotation. */
export interface WebhookSecret {
  value: string;
  expires: number;
}

/** A webhook as stored (`_webhooks`). `secrets[0]` is the current one. */
export interface WebhookRow {
  id: string;
  name: string;
  url: string;
  collectionId: string;
  events: RecordAction[];
  enabled: boolean;
  secrets: WebhookSecret[];
  created: string;
  updated: string;
}

/** A new outbox row, written in the record write's transaction. */
export interface NewDelivery {
  /** The Standard Webhooks message id (`webhook-id`), the same for every attempt. */
  id: string;
  webhookId: string;
  event: RecordAction;
  collectionName: string;
  recordId: string;
  /** The exact request body; signed as it is on every attempt. */
  payload: string;
  nextAttempt: number;
  created: string;
}

/** A delivery as stored (`_webhookDeliveries`): the outbox row and its log. */
export interface DeliveryRow extends NewDelivery {
  status: DeliveryStatus;
  attempts: number;
  /** Epoch ms until which a worker holds a `sending` row; past it, another may take the row. */
  leaseUntil: number;
  /** The claim that the holding worker must present to record the outcome. */
  claimToken: string;
  /** HTTP status of the last attempt (0: no answer). */
  lastStatus: number;
  lastError: string;
  /** Time to the last answer, in ms. */
  lastDurationMs: number;
  deliveredAt: string;
  updated: string;
}

/** What one attempt changes on a claimed row. */
export interface DeliveryOutcome {
  status: DeliveryStatus;
  nextAttempt: number;
  lastStatus: number;
  lastError: string;
  lastDurationMs: number;
  deliveredAt: string;
  updated: string;
}

/** A webhook as the API shows it; `secret` only in the answers of create and rotate. */
export interface WebhookJson {
  id: string;
  name: string;
  url: string;
  collectionId: string;
  collectionName: string;
  events: RecordAction[];
  enabled: boolean;
  /** True while a previous secret still signs too (after a rotation with a grace period). */
  rotating: boolean;
  created: string;
  updated: string;
  secret?: string;
}

/** A delivery as the API shows it. */
export interface DeliveryJson {
  id: string;
  webhookId: string;
  event: RecordAction;
  collectionName: string;
  recordId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastStatus: number;
  lastError: string;
  lastDurationMs: number;
  deliveredAt: string;
  created: string;
  updated: string;
  payload: unknown;
}
