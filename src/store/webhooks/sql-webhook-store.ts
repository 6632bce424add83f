import type { RecordAction } from '../../core/events/record-events.js';
import type { RecordRepository } from '../../core/records/record-repository.js';
import type { DeliveryOutcome, DeliveryRow, DeliveryStatus, NewDelivery, WebhookRow, WebhookSecret } from '../../core/webhooks/webhook-model.js';
import type { WebhookStore } from '../../core/webhooks/webhook-ports.js';
import type { Db, SqlValue } from '../db.js';
import { valuesRows } from '../dialect.js';
import { SqlRecordRepository } from '../records/sql-record-repository.js';
import { createWebhookTables, DELIVERIES_TABLE, hasWebhookTables, WEBHOOKS_TABLE } from './webhook-tables.js';

type Row = Record<string, unknown>;

const WEBHOOK_COLUMNS = ['id', 'name', 'url', 'collectionId', 'events', 'enabled', 'secrets', 'created', 'updated'] as const;
const NEW_DELIVERY_COLUMNS = [
  'id', 'webhookId', 'event', 'collectionName', 'recordId', 'payload', 'status', 'attempts', 'nextAttempt',
  'leaseUntil', 'claimToken', 'lastStatus', 'lastError', 'lastDurationMs', 'deliveredAt', 'created', 'updated',
] as const;

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
/** BIGINT arrives as a string from `pg` and may from mysql2. */
const int = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0) || 0);

function parseJson<T>(text: unknown, fallback: T): T {
  try {
    const value: unknown = JSON.parse(str(text));
    return (value ?? fallback) as T;
  } catch {
    return fallback;
  }
}

function toWebhook(row: Row): WebhookRow {
  return {
    id: str(row.id), name: str(row.name), url: str(row.url), collectionId: str(row.collectionId),
    events: parseJson<RecordAction[]>(row.events, []), enabled: int(row.enabled) === 1,
    secrets: parseJson<WebhookSecret[]>(row.secrets, []), created: str(row.created), updated: str(row.updated),
  };
}

function toDelivery(row: Row): DeliveryRow {
  return {
    id: str(row.id), webhookId: str(row.webhookId), event: str(row.event) as RecordAction,
    collectionName: str(row.collectionName), recordId: str(row.recordId), payload: str(row.payload),
    status: str(row.status) as DeliveryStatus, attempts: int(row.attempts), nextAttempt: int(row.nextAttempt),
    leaseUntil: int(row.leaseUntil), claimToken: str(row.claimToken), lastStatus: int(row.lastStatus),
    lastError: str(row.lastError), lastDurationMs: int(row.lastDurationMs), deliveredAt: str(row.deliveredAt),
    created: str(row.created), updated: str(row.updated),
  };
}

/**
 * The webhooks and their outbox in the app's database, any dialect. The tables are created with
 * the first webhook, so a data dir without webhooks (a PocketBase `pb_data`) is left as it is.
 * A delivery is claimed with one guarded UPDATE (`… WHERE id = ? AND status = 'pending' …`), so
 * that when several nodes read the same due rows, each row goes to one of them.
 */
export class SqlWebhookStore implements WebhookStore {
  #ready = false;

  constructor(private readonly db: Db) {}

  #q(name: string): string {
    return this.db.dialect.quote(name);
  }

  /** Whether the tables exist (re-checked until they do: another node may create them). */
  async #exists(): Promise<boolean> {
    if (!this.#ready) this.#ready = await hasWebhookTables(this.db);
    return this.#ready;
  }

  async listWebhooks(): Promise<WebhookRow[]> {
    if (!(await this.#exists())) return [];
    return (await this.db.all(`SELECT * FROM ${this.#q(WEBHOOKS_TABLE)} ORDER BY ${this.#q('created')}, ${this.#q('id')}`)).map(toWebhook);
  }

  async findWebhook(id: string): Promise<WebhookRow | undefined> {
    if (!(await this.#exists())) return undefined;
    const row = await this.db.get(`SELECT * FROM ${this.#q(WEBHOOKS_TABLE)} WHERE ${this.#q('id')} = ?`, [id]);
    return row ? toWebhook(row) : undefined;
  }

  async insertWebhook(row: WebhookRow): Promise<void> {
    if (!(await this.#exists())) {
      await createWebhookTables(this.db);
      this.#ready = true;
    }
    const columns = WEBHOOK_COLUMNS.map((c) => this.#q(c)).join(', ');
    await this.db.run(`INSERT INTO ${this.#q(WEBHOOKS_TABLE)} (${columns}) VALUES ${valuesRows(WEBHOOK_COLUMNS.length, 1)}`, webhookValues(row));
  }

  async updateWebhook(row: WebhookRow): Promise<void> {
    const columns = WEBHOOK_COLUMNS.filter((c) => c !== 'id');
    const values = webhookValues(row).slice(1);
    await this.db.run(`UPDATE ${this.#q(WEBHOOKS_TABLE)} SET ${columns.map((c) => `${this.#q(c)} = ?`).join(', ')} WHERE ${this.#q('id')} = ?`, [...values, row.id]);
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`DELETE FROM ${this.#q(DELIVERIES_TABLE)} WHERE ${this.#q('webhookId')} = ?`, [id]);
      await tx.run(`DELETE FROM ${this.#q(WEBHOOKS_TABLE)} WHERE ${this.#q('id')} = ?`, [id]);
    });
  }

  async enqueue(tx: RecordRepository, deliveries: readonly NewDelivery[]): Promise<void> {
    if (!(tx instanceof SqlRecordRepository)) throw new Error('webhook outbox: not a transaction of this store');
    if (deliveries.length === 0) return;
    const values: SqlValue[] = [];
    for (const d of deliveries) {
      values.push(d.id, d.webhookId, d.event, d.collectionName, d.recordId, d.payload, 'pending', 0, d.nextAttempt, 0, '', 0, '', 0, '', d.created, d.created);
    }
    const columns = NEW_DELIVERY_COLUMNS.map((c) => this.#q(c)).join(', ');
    await tx.connection.run(`INSERT INTO ${this.#q(DELIVERIES_TABLE)} (${columns}) VALUES ${valuesRows(NEW_DELIVERY_COLUMNS.length, deliveries.length)}`, values);
  }

  async listDeliveries(webhookId: string, options: { limit: number; offset: number; status?: DeliveryStatus }): Promise<{ items: DeliveryRow[]; total: number }> {
    if (!(await this.#exists())) return { items: [], total: 0 };
    const params: SqlValue[] = [webhookId];
    let where = `${this.#q('webhookId')} = ?`;
    if (options.status) {
      where += ` AND ${this.#q('status')} = ?`;
      params.push(options.status);
    }
    const table = this.#q(DELIVERIES_TABLE);
    const items = await this.db.all(
      `SELECT * FROM ${table} WHERE ${where} ORDER BY ${this.#q('created')} DESC, ${this.#q('id')} DESC ${this.db.dialect.limitOffset(options.limit, options.offset)}`,
      params,
    );
    const count = await this.db.get<{ total: unknown }>(`SELECT COUNT(*) AS total FROM ${table} WHERE ${where}`, params);
    return { items: items.map(toDelivery), total: int(count?.total) };
  }

  async findDelivery(id: string): Promise<DeliveryRow | undefined> {
    if (!(await this.#exists())) return undefined;
    const row = await this.db.get(`SELECT * FROM ${this.#q(DELIVERIES_TABLE)} WHERE ${this.#q('id')} = ?`, [id]);
    return row ? toDelivery(row) : undefined;
  }

  async due(now: number, limit: number): Promise<string[]> {
    if (!(await this.#exists())) return [];
    const q = (n: string) => this.#q(n);
    const rows = await this.db.all<{ id: unknown }>(
      `SELECT d.${q('id')} AS id FROM ${q(DELIVERIES_TABLE)} d JOIN ${q(WEBHOOKS_TABLE)} w ON w.${q('id')} = d.${q('webhookId')}`
      + ` WHERE w.${q('enabled')} = 1 AND ((d.${q('status')} = 'pending' AND d.${q('nextAttempt')} <= ?)`
      + ` OR (d.${q('status')} = 'sending' AND d.${q('leaseUntil')} < ?))`
      + ` ORDER BY d.${q('nextAttempt')}, d.${q('created')} ${this.db.dialect.limitOffset(limit, 0)}`,
      [now, now],
    );
    return rows.map((r) => str(r.id));
  }

  async claim(id: string, now: number, leaseUntil: number, claimToken: string): Promise<DeliveryRow | undefined> {
    const q = (n: string) => this.#q(n);
    const result = await this.db.run(
      `UPDATE ${q(DELIVERIES_TABLE)} SET ${q('status')} = 'sending', ${q('attempts')} = ${q('attempts')} + 1, ${q('leaseUntil')} = ?, ${q('claimToken')} = ?`
      + ` WHERE ${q('id')} = ? AND ((${q('status')} = 'pending' AND ${q('nextAttempt')} <= ?) OR (${q('status')} = 'sending' AND ${q('leaseUntil')} < ?))`,
      [leaseUntil, claimToken, id, now, now],
    );
    if (result.changes !== 1) return undefined;
    return this.findDelivery(id);
  }

  async finish(id: string, claimToken: string, outcome: DeliveryOutcome): Promise<boolean> {
    const q = (n: string) => this.#q(n);
    const result = await this.db.run(
      `UPDATE ${q(DELIVERIES_TABLE)} SET ${q('status')} = ?, ${q('nextAttempt')} = ?, ${q('leaseUntil')} = 0, ${q('claimToken')} = '', ${q('lastStatus')} = ?,`
      + ` ${q('lastError')} = ?, ${q('lastDurationMs')} = ?, ${q('deliveredAt')} = ?, ${q('updated')} = ? WHERE ${q('id')} = ? AND ${q('claimToken')} = ?`,
      [outcome.status, outcome.nextAttempt, outcome.lastStatus, outcome.lastError.slice(0, 1000), outcome.lastDurationMs, outcome.deliveredAt, outcome.updated, id, claimToken],
    );
    return result.changes === 1;
  }

  async replay(id: string, now: number, updated: string): Promise<boolean> {
    if (!(await this.#exists())) return false;
    const q = (n: string) => this.#q(n);
    const result = await this.db.run(
      `UPDATE ${q(DELIVERIES_TABLE)} SET ${q('status')} = 'pending', ${q('attempts')} = 0, ${q('nextAttempt')} = ?, ${q('leaseUntil')} = 0,`
      + ` ${q('claimToken')} = '', ${q('updated')} = ? WHERE ${q('id')} = ? AND ${q('status')} <> 'sending'`,
      [now, updated, id],
    );
    return result.changes === 1;
  }
}

function webhookValues(row: WebhookRow): SqlValue[] {
  return [row.id, row.name, row.url, row.collectionId, JSON.stringify(row.events), row.enabled ? 1 : 0, JSON.stringify(row.secrets), row.created, row.updated];
}
