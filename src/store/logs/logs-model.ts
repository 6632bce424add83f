import type { CollectionModel } from '../../core/collections/collection-model.js';
import { tableModel } from '../collections/collections-meta-model.js';
import type { Db } from '../db.js';

/**
 * A synthetic collection describing the `_logs` table, so that `GET /api/logs?filter=…&sort=…`
 * compiles with the filter language (fields id, created, updated, level, message, data.*).
 */
export const LOGS_MODEL: CollectionModel = tableModel('_logs', {
  id: 'text', level: 'number', message: 'text', data: 'json', created: 'text', updated: 'text',
});

/**
 * PocketBase's `_logs` table (the layout of its `auxiliary.db`) and two of its three indexes.
 * PocketBase also indexes `message`; Plinth does not create that one. A request's message holds
 * its URL, so almost every row is a new key on a random page of that index: it tripled the cost of
 * writing each request's row (23 → 8 µs of CPU per row, measured in docs/performance.md) for a
 * query nobody makes (log searches are `message ~ '…'`, a `LIKE '%…%'` no index can serve).
 * A PocketBase data dir keeps the index it has.
 */
const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS \`_logs\` (
  \`id\`      TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
  \`level\`   INTEGER DEFAULT 0 NOT NULL,
  \`message\` TEXT DEFAULT "" NOT NULL,
  \`data\`    JSON DEFAULT "{}" NOT NULL,
  \`created\` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL,
  \`updated\` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_logs_level on \`_logs\` (\`level\`);
CREATE INDEX IF NOT EXISTS idx_logs_created_hour on \`_logs\` (strftime('%Y-%m-%d %H:00:00', \`created\`));
`;

/** Creates the `_logs` table when missing, in the store's dialect. */
export async function ensureLogsTable(db: Db): Promise<void> {
  const d = db.dialect;
  if (d.name === 'sqlite') {
    await db.exec(SQLITE_SCHEMA);
    return;
  }
  const tables = await db.all<{ name: string }>(d.listTablesSql());
  if (tables.some((t) => t.name === '_logs')) return;
  const q = (n: string) => d.quote(n);
  await db.exec(`CREATE TABLE ${q('_logs')} (
    ${q('id')} VARCHAR(100) PRIMARY KEY NOT NULL,
    ${q('level')} INTEGER DEFAULT 0 NOT NULL,
    ${q('message')} TEXT NOT NULL,
    ${q('data')} ${d.columnType('json')} NOT NULL,
    ${q('created')} VARCHAR(30) NOT NULL,
    ${q('updated')} VARCHAR(30) NOT NULL
  )`);
  await db.exec(`CREATE INDEX ${q('idx_logs_created')} ON ${q('_logs')} (${q('created')})`);
}
