import type { SchemaRegistry } from '../collections/schema-registry.js';
import { nowDateTime } from '../collections/collection-ids.js';
import { requireSuperuser } from '../auth/superuser-guard.js';
import { errors } from '../errors/plinth-error.js';
import type { RecordEvent, RecordEvents, Unsubscribe } from '../events/record-events.js';
import { err } from '../fields/field-errors.js';
import { newRecordId, randomString } from '../fields/random.js';
import type { RecordRepository } from '../records/record-repository.js';
import { serializeRecord } from '../records/record-serializer.js';
import type { RequestInfo } from '../request-info.js';
import { readSecret, readWebhookForm } from './webhook-form.js';
import { DELIVERY_STATUSES, type DeliveryJson, type DeliveryRow, type DeliveryStatus, type NewDelivery, type WebhookJson, type WebhookRow } from './webhook-model.js';
import type { WebhookStore } from './webhook-ports.js';
import { newWebhookSecret } from './webhook-signature.js';

type Caller = Pick<RequestInfo, 'auth'>;

const MESSAGE = 'Only superusers can manage webhooks.';
const EVENT_TYPES = { create: 'record.created', update: 'record.updated', delete: 'record.deleted' } as const;
/** How long a rotated-out secret keeps signing unless the caller says otherwise (24 h). */
const DEFAULT_GRACE_SECONDS = 86_400;
const MAX_GRACE_SECONDS = 7 * 86_400;

/** A page of deliveries, in PocketBase's list shape. */
export interface DeliveryPage {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: DeliveryJson[];
}

/**
 * Outbound webhooks (a Plinth extension): superusers configure a URL per collection and record
 * action; every matching write adds an outbox row *inside its own transaction* (an in-transaction
 * hook on the record events), so a write that rolls back sends nothing and a committed one is
 * never lost; the {@link WebhookWorker} delivers the rows. The payload is the record as a
 * superuser sees it minus hidden fields (never `password` or `tokenKey`).
 *
 * The webhooks are kept in memory for the write path and re-read every `refreshMs` (changes made
 * on another node apply within that time) and at once after a change made through this node.
 */
export class WebhookService {
  #byCollection = new Map<string, WebhookRow[]>();
  #refreshTimer: NodeJS.Timeout | undefined;
  /** Called after this node changed a webhook (the cluster sync tells the other nodes to {@link refresh}). */
  onChange: (() => void) | undefined;
  #started = false;
  /** The hooks into the record writes, registered only while some webhook is enabled. */
  #hooked: Unsubscribe[] = [];

  constructor(
    private readonly schema: SchemaRegistry,
    private readonly store: WebhookStore,
    private readonly events: RecordEvents,
    /** Called after a commit that enqueued deliveries (the worker's nudge). */
    private readonly enqueued: () => void = () => undefined,
  ) {}

  /**
   * Loads the webhooks and re-reads them every `refreshMs`. While at least one is enabled, the
   * service hooks into the record writes; with none, writes run exactly as without webhooks.
   */
  async start(refreshMs = 5000): Promise<void> {
    this.#started = true;
    await this.refresh();
    this.onChange?.();
    this.#refreshTimer = setInterval(() => {
      this.refresh().catch((e: unknown) => console.error('webhooks: reading the webhooks failed', e));
    }, refreshMs);
    this.#refreshTimer.unref();
  }

  stop(): void {
    this.#started = false;
    clearInterval(this.#refreshTimer);
    this.#hook(false);
  }

  /** Re-reads the webhooks from the store. */
  async refresh(): Promise<void> {
    const next = new Map<string, WebhookRow[]>();
    for (const row of await this.store.listWebhooks()) {
      if (!row.enabled) continue;
      next.set(row.collectionId, [...(next.get(row.collectionId) ?? []), row]);
    }
    this.#byCollection = next;
    this.#hook(this.#started && next.size > 0);
  }

  #hook(on: boolean): void {
    if (on && this.#hooked.length === 0) {
      this.#hooked = [
        this.events.onWriting((events, tx) => this.#enqueue(events, tx)),
        this.events.on((event) => {
          if (this.#matching(event).length > 0) this.enqueued();
        }),
      ];
    } else if (!on) {
      for (const off of this.#hooked.splice(0)) off();
    }
  }

  // --- management API (superusers only) --------------------------------------------------------

  async list(caller: Caller): Promise<WebhookJson[]> {
    requireSuperuser(caller, MESSAGE);
    return (await this.store.listWebhooks()).map((row) => this.#json(row));
  }

  async view(caller: Caller, id: string): Promise<WebhookJson> {
    requireSuperuser(caller, MESSAGE);
    return this.#json(await this.#find(id));
  }

  /** Creates a webhook; the answer carries its signing secret (`secret`), generated unless given. */
  async create(caller: Caller, body: Record<string, unknown>): Promise<WebhookJson> {
    requireSuperuser(caller, MESSAGE);
    const form = readWebhookForm(this.schema, body, false);
    const now = nowDateTime();
    const secret = form.secret ?? newWebhookSecret();
    const row: WebhookRow = {
      id: newRecordId(), name: form.name ?? '', url: form.url ?? '', collectionId: form.collection?.id ?? '',
      events: form.events ?? [], enabled: form.enabled ?? true, secrets: [{ value: secret, expires: 0 }],
      created: now, updated: now,
    };
    await this.store.insertWebhook(row);
    await this.refresh();
    this.onChange?.();
    return { ...this.#json(row), secret };
  }

  /** Changes name, url, collection, events or enabled (the secret changes only by rotation). */
  async update(caller: Caller, id: string, body: Record<string, unknown>): Promise<WebhookJson> {
    requireSuperuser(caller, MESSAGE);
    const existing = await this.#find(id);
    if (body.secret !== undefined) throw errors.validation({ secret: err('validation_secret_rotation', 'use the rotate-secret action to change the secret') });
    const form = readWebhookForm(this.schema, body, true);
    const row: WebhookRow = {
      ...existing,
      name: form.name ?? existing.name,
      url: form.url ?? existing.url,
      collectionId: form.collection?.id ?? existing.collectionId,
      events: form.events ?? existing.events,
      enabled: form.enabled ?? existing.enabled,
      updated: nowDateTime(),
    };
    await this.store.updateWebhook(row);
    await this.refresh();
    this.onChange?.();
    return this.#json(row);
  }

  async delete(caller: Caller, id: string): Promise<void> {
    requireSuperuser(caller, MESSAGE);
    await this.#find(id);
    await this.store.deleteWebhook(id);
    await this.refresh();
    this.onChange?.();
  }

  /**
   * Replaces the signing secret (a new random one, or `body.secret`); the previous one keeps
   * signing beside it for `body.graceSeconds` (default 24 h, 0 drops it at once), so receivers
   * can switch without losing a delivery. Answers the webhook with the new `secret`.
   */
  async rotateSecret(caller: Caller, id: string, body: Record<string, unknown>): Promise<WebhookJson> {
    requireSuperuser(caller, MESSAGE);
    const existing = await this.#find(id);
    const grace = body.graceSeconds ?? DEFAULT_GRACE_SECONDS;
    const data: Record<string, ReturnType<typeof err>> = {};
    if (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
      data.graceSeconds = err('validation_invalid_grace', `must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS}`);
    }
    const secretError = body.secret === undefined ? null : readSecret(body.secret);
    if (secretError) data.secret = secretError;
    if (Object.keys(data).length > 0) throw errors.validation(data);
    const now = Date.now();
    const secret = typeof body.secret === 'string' ? body.secret : newWebhookSecret();
    const kept = existing.secrets
      .map((s, i) => (i === 0 ? { ...s, expires: now + (grace as number) * 1000 } : s))
      .filter((s) => s.expires > now);
    const row: WebhookRow = { ...existing, secrets: [{ value: secret, expires: 0 }, ...kept].slice(0, 3), updated: nowDateTime() };
    await this.store.updateWebhook(row);
    await this.refresh();
    this.onChange?.();
    return { ...this.#json(row), secret };
  }

  /** A page of a webhook's delivery log, newest first (`status` narrows it). */
  async deliveries(caller: Caller, id: string, query: { page?: unknown; perPage?: unknown; status?: unknown }): Promise<DeliveryPage> {
    requireSuperuser(caller, MESSAGE);
    await this.#find(id);
    const page = positive(query.page, 1, 'page');
    const perPage = Math.min(positive(query.perPage, 30, 'perPage'), 500);
    const status = query.status === undefined || query.status === '' ? undefined : String(query.status);
    if (status !== undefined && !DELIVERY_STATUSES.includes(status as DeliveryStatus)) {
      throw errors.validation({ status: err('validation_in_invalid', `must be one of ${DELIVERY_STATUSES.join(', ')}`) });
    }
    const { items, total } = await this.store.listDeliveries(id, { limit: perPage, offset: (page - 1) * perPage, status: status as DeliveryStatus | undefined });
    return { page, perPage, totalItems: total, totalPages: Math.ceil(total / perPage), items: items.map(deliveryJson) };
  }

  async delivery(caller: Caller, id: string): Promise<DeliveryJson> {
    requireSuperuser(caller, MESSAGE);
    const row = await this.store.findDelivery(id);
    if (!row) throw errors.notFound();
    return deliveryJson(row);
  }

  /** Sends a delivery again (same `webhook-id`, attempts counted from zero); answers it as it is now. */
  async replay(caller: Caller, id: string): Promise<DeliveryJson> {
    requireSuperuser(caller, MESSAGE);
    const row = await this.store.findDelivery(id);
    if (!row) throw errors.notFound();
    if (row.status === 'sending' || !(await this.store.replay(id, Date.now(), nowDateTime()))) {
      throw errors.badRequest('The delivery is being sent; replay it once this attempt is over.');
    }
    this.enqueued();
    return this.delivery(caller, id);
  }

  // --- the write path --------------------------------------------------------------------------

  #matching(event: RecordEvent): WebhookRow[] {
    const hooks = this.#byCollection.get(event.collection.id);
    return hooks ? hooks.filter((h) => h.events.includes(event.action)) : [];
  }

  #enqueue(events: readonly RecordEvent[], tx: RecordRepository): Promise<void> | void {
    if (this.#byCollection.size === 0) return;
    const rows: NewDelivery[] = [];
    const created = nowDateTime();
    const due = Date.now();
    for (const event of events) {
      const hooks = this.#matching(event);
      if (hooks.length === 0) continue;
      const { collection, record } = event;
      const payload = JSON.stringify({
        type: EVENT_TYPES[event.action],
        timestamp: new Date().toISOString(),
        data: {
          action: event.action,
          collection: { id: collection.id, name: collection.name },
          record: serializeRecord(collection, record, { showEmail: true, showHidden: false }),
        },
      });
      for (const hook of hooks) {
        rows.push({
          id: `msg_${randomString(24, ID_CHARS)}`, webhookId: hook.id, event: event.action,
          collectionName: collection.name, recordId: record.id, payload, nextAttempt: due, created,
        });
      }
    }
    if (rows.length > 0) return this.store.enqueue(tx, rows);
  }

  async #find(id: string): Promise<WebhookRow> {
    const row = await this.store.findWebhook(id);
    if (!row) throw errors.notFound();
    return row;
  }

  #json(row: WebhookRow): WebhookJson {
    const now = Date.now();
    return {
      id: row.id, name: row.name, url: row.url, collectionId: row.collectionId,
      collectionName: this.schema.find(row.collectionId)?.name ?? '',
      events: row.events, enabled: row.enabled,
      rotating: row.secrets.slice(1).some((s) => s.expires > now),
      created: row.created, updated: row.updated,
    };
  }
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function positive(value: unknown, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw errors.validation({ [name]: err('validation_min_greater_equal_than_required', 'must be a whole number no less than 1') });
  return n;
}

function deliveryJson(row: DeliveryRow): DeliveryJson {
  let payload: unknown = null;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    payload = row.payload;
  }
  return {
    id: row.id, webhookId: row.webhookId, event: row.event, collectionName: row.collectionName, recordId: row.recordId,
    status: row.status, attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' && row.nextAttempt > 0 ? new Date(row.nextAttempt).toISOString().replace('T', ' ') : '',
    lastStatus: row.lastStatus, lastError: row.lastError, lastDurationMs: row.lastDurationMs,
    deliveredAt: row.deliveredAt, created: row.created, updated: row.updated, payload,
  };
}

