import type { Db } from '../db.js';
import type { Dialect } from '../dialect.js';

export const WEBHOOKS_TABLE = '_webhooks';
export const DELIVERIES_TABLE = '_webhookDeliveries';

/**
 * The webhook tables in a dialect: `_webhooks` (configuration, secrets as JSON text) and
 * `_webhookDeliveries` (the outbox and delivery log; times to compare as epoch-ms integers,
 * dates shown as PocketBase's text). Strings that are keys or indexed are VARCHAR on MySQL,
 * which cannot index TEXT; nothing relies on column defaults (every insert sets every column).
 */
export function webhookTablesSql(d: Dialect): string[] {
  const q = (n: string) => d.quote(n);
  const key = d.name === 'mysql' ? 'VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : d.name === 'postgres' ? 'TEXT COLLATE "C"' : 'TEXT';
  const text = d.name === 'mysql' ? 'LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin' : 'TEXT';
  const int = d.name === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const col = (name: string, type: string) => `${q(name)} ${type} NOT NULL`;
  const webhooks = [
    `${q('id')} ${key} PRIMARY KEY NOT NULL`,
    col('name', text), col('url', text), col('collectionId', key), col('events', text),
    col('enabled', int), col('secrets', text), col('created', key), col('updated', key),
  ];
  const deliveries = [
    `${q('id')} ${key} PRIMARY KEY NOT NULL`,
    col('webhookId', key), col('event', key), col('collectionName', text), col('recordId', key),
    col('payload', text), col('status', key), col('attempts', int), col('nextAttempt', int),
    col('leaseUntil', int), col('claimToken', key), col('lastStatus', int), col('lastError', text),
    col('lastDurationMs', int), col('deliveredAt', key), col('created', key), col('updated', key),
  ];
  const dueIndex = ['idx__webhookDeliveries_due', `${q('status')}, ${q('nextAttempt')}`] as const;
  const logIndex = ['idx__webhookDeliveries_log', `${q('webhookId')}, ${q('created')}`] as const;
  if (d.name === 'mysql') {
    deliveries.push(`INDEX ${q(dueIndex[0])} (${dueIndex[1]})`, `INDEX ${q(logIndex[0])} (${logIndex[1]})`);
  }
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${q(WEBHOOKS_TABLE)} (${webhooks.join(', ')})`,
    `CREATE TABLE IF NOT EXISTS ${q(DELIVERIES_TABLE)} (${deliveries.join(', ')})`,
  ];
  if (d.name !== 'mysql') {
    for (const [name, columns] of [dueIndex, logIndex]) statements.push(`CREATE INDEX IF NOT EXISTS ${q(name)} ON ${q(DELIVERIES_TABLE)} (${columns})`);
  }
  return statements;
}

/** Whether the webhook tables exist (they are created with the first webhook). */
export async function hasWebhookTables(db: Db): Promise<boolean> {
  const row = await db.get(`SELECT 1 AS x FROM (${db.dialect.listTablesSql()}) t WHERE name = ?`, [DELIVERIES_TABLE]);
  return row !== undefined;
}

/** Creates the webhook tables when missing (idempotent, safe when several nodes race). */
export async function createWebhookTables(db: Db): Promise<void> {
  for (const sql of webhookTablesSql(db.dialect)) await db.exec(sql);
}
