import { mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type PocketBase from 'pocketbase';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClient, sdkFailure } from '../helpers/sdk-clients.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { superuserToken, userToken } from '../helpers/tokens.js';

type PromFamily = { name: string; type: string; metrics: Array<{ labels?: Record<string, string>; value?: string; buckets?: Record<string, string> }> };
const parsePrometheus = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[];

let server: TestServer;

const client = (token?: string): PocketBase => sdkClient(server.url, token);

function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

async function sql<T>(query: string): Promise<T[]> {
  const db = await server.openDb();
  try {
    return await db.all<T>(query);
  } finally {
    await db.close();
  }
}

describe('operations API through the pocketbase SDK', () => {
  beforeAll(async () => {
    server = await startTestServer({ fixture: true, metricsKey: 'test-metrics-key' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('never sends a secret back, in GET or PATCH', async () => {
    const pb = client(superuserToken);
    const saved = await pb.settings.update({
      meta: { appName: 'ops_test' },
      smtp: { password: 'smtp-pass-xyz' },
      s3: { secret: 's3-secret-xyz' },
      backups: { s3: { secret: 'backup-secret-xyz' } },
    });
    const listed = await pb.settings.getAll();
    for (const body of [JSON.stringify(saved), JSON.stringify(listed)]) {
      expect(body).toContain('"appName":"ops_test"');
      expect(body).not.toMatch(/xyz|"password"|"secret"/);
    }
    // a later PATCH without them keeps the stored secrets
    await pb.settings.update({ meta: { appName: 'ops_test2' } });
    const stored = server.app.settings.get() as { smtp: { password: string } };
    expect(stored.smtp.password).toBe('smtp-pass-xyz');
  });

  it('validates every group: a bad cron, rate limit label or URL is a field error', async () => {
    const err = await sdkFailure(client(superuserToken).settings.update({
      meta: { appURL: 'not a url' },
      backups: { cron: 'every day' },
      rateLimits: { rules: [{ label: 'bad label!', maxRequests: 0, duration: 1 }] },
    }));
    expect(err.status).toBe(400);
    const data = err.response.data as Record<string, Record<string, unknown>>;
    expect(data.meta?.appURL).toBeDefined();
    expect((data.backups?.cron as { code: string }).code).toBe('validation_invalid_cron');
    expect(data.rateLimits?.rules).toBeDefined();
  });

  it('logs requests in auxiliary.db, filterable with the filter language', async () => {
    await fetch(`${server.url}/api/health?probe=logs-test`);
    const pb = client(superuserToken);
    const page = await pb.logs.getList(1, 10, { filter: `data.url ~ "logs-test" && data.status = 200` });
    expect(page.totalItems).toBe(1);
    expect(page.items[0]?.data).toMatchObject({ method: 'GET', status: 200, type: 'request' });
    expect(await pb.logs.getOne(page.items[0]?.id ?? '')).toMatchObject({ message: 'GET /api/health?probe=logs-test' });
    const stats = await pb.logs.getStats({ filter: 'message = "GET /api/health?probe=logs-test"' });
    expect(stats.reduce((n, s) => n + s.total, 0)).toBe(1);
    const perMinute = await pb.logs.getStats({ filter: 'message = "GET /api/health?probe=logs-test"', query: { interval: 'minute' } });
    expect(perMinute).toHaveLength(1);
    expect(perMinute[0]?.date).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:00\.000Z$/);
    const badInterval = await sdkFailure(pb.logs.getStats({ query: { interval: 'week' } }));
    expect(badInterval.status).toBe(400);
    const aux = readFileSync(join(server.dataDir, 'auxiliary.db'));
    expect(aux.length).toBeGreaterThan(0);
  });

  it('lists the maintenance crons and runs one on demand', async () => {
    const pb = client(superuserToken);
    const ids = (await pb.crons.getFullList()).map((j) => j.id);
    expect(ids).toEqual(expect.arrayContaining(['__pbLogsCleanup__', '__pbDBOptimize__', '__pbMFACleanup__', '__pbOTPCleanup__']));
    expect(await pb.crons.run('__pbDBOptimize__')).toBe(true);
    expect((await sdkFailure(pb.crons.run('missing'))).status).toBe(404);
  });

  it('runs SQL for superusers only, in PocketBase\'s shape', async () => {
    const result = await client(superuserToken).send('/api/sql', { method: 'POST', body: { query: 'select id, email from _superusers limit 1' } });
    expect(result).toMatchObject({ affectedRows: 0, columns: [{ name: 'id', type: 'TEXT', nullable: true }, { name: 'email' }] });
    expect((await sdkFailure(client(userToken).send('/api/sql', { method: 'POST', body: { query: 'select 1' } }))).status).toBe(403);
  });

  it('serves Prometheus metrics that a text-format parser reads', async () => {
    expect((await fetch(`${server.url}/api/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/metrics`, { headers: { authorization: userToken } })).status).toBe(403);
    const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: 'Bearer test-metrics-key' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const families = parsePrometheus(await res.text());
    const names = new Set(families.map((f) => f.name));
    for (const name of ['plinth_http_requests_total', 'plinth_http_request_duration_seconds', 'plinth_db_query_duration_seconds',
      'plinth_realtime_connections', 'plinth_process_resident_memory_bytes', 'plinth_nodejs_eventloop_lag_seconds']) {
      expect(names, name).toContain(name);
    }
    const requests = families.find((f) => f.name === 'plinth_http_requests_total');
    expect(requests?.metrics.some((m) => m.labels?.route === '/api/health' && m.labels.status === '200')).toBe(true);
    const superuser = await fetch(`${server.url}/api/metrics`, { headers: { authorization: superuserToken } });
    expect(superuser.status).toBe(200);
  });

  it('refuses a corrupted or foreign zip with a clear error and leaves the data untouched', async () => {
    const pb = client(superuserToken);
    const before = await sql<{ n: number }>('SELECT COUNT(*) AS n FROM _collections');
    const foreign = await zipOf({ 'readme.txt': 'not a backup' });
    const err1 = await sdkFailure(pb.backups.upload({ file: new File([foreign], 'foreign.zip', { type: 'application/zip' }) }));
    expect(err1.status).toBe(400);
    expect(err1.message).toContain('has no data.db');
    const notSqlite = await zipOf({ 'data.db': 'garbage that is not sqlite' });
    mkdirSync(join(server.dataDir, 'backups'), { recursive: true });
    writeFileSync(join(server.dataDir, 'backups', 'corrupt.zip'), Buffer.from('PK\u0003\u0004 truncated nonsense'));
    const err2 = await sdkFailure(pb.backups.upload({ file: new File([notSqlite], 'notsqlite.zip', { type: 'application/zip' }) }));
    expect(err2.message).toContain('data.db');
    const err3 = await sdkFailure(pb.backups.restore('corrupt.zip'));
    expect(err3.status).toBe(400);
    expect(err3.message).toContain('not a zip archive');
    expect(await sql('SELECT COUNT(*) AS n FROM _collections')).toEqual(before);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    await pb.backups.delete('corrupt.zip');
  });

  it('takes a consistent backup during concurrent writes and restores it', async () => {
    const pb = client(superuserToken);
    await pb.send('/api/sql', { method: 'POST', body: { query: 'CREATE TABLE ledger (id INTEGER PRIMARY KEY, a INT, b INT); CREATE TABLE moves (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT); INSERT INTO ledger VALUES (1, 100000, 0)' } });
    // a writer of its own moves one unit per transaction: a + b = 100000 and b = COUNT(moves) always
    const writer = await server.openDb();
    let stop = false;
    let moves = 0;
    const writing = (async () => {
      while (!stop) {
        await writer.transaction(async (tx) => {
          await tx.run('UPDATE ledger SET a = a - 1, b = b + 1 WHERE id = 1');
          await tx.run("INSERT INTO moves (at) VALUES (datetime('now'))");
        });
        moves++;
        if (moves % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const atStart = moves;
    await pb.backups.create('during-writes.zip');
    const atEnd = moves;
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop = true;
    await writing;
    await writer.close();
    expect(atEnd).toBeGreaterThan(atStart); // writes really continued during the backup

    const listed = await pb.backups.getFullList();
    expect(listed.map((b) => b.key)).toContain('during-writes.zip');
    const token = await pb.files.getToken();
    const download = await fetch(pb.backups.getDownloadURL(token, 'during-writes.zip'));
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer()).toString('latin1');
    expect(bytes).toContain('data.db');
    expect(bytes).toContain('auxiliary.db');

    expect(await pb.backups.restore('during-writes.zip')).toBe(true);
    // the server stops, swaps the data in (keeping the old data in .plinth_pre_restore_*) and restarts
    const swapped = () => readdirSync(server.dataDir).some((n) => n.startsWith('.plinth_pre_restore_'));
    for (let i = 0; i < 200 && !swapped(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(swapped()).toBe(true);
    let healthy = false;
    for (let i = 0; i < 200 && !healthy; i++) {
      healthy = await fetch(`${server.url}/api/health`).then((r) => r.ok, () => false);
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(healthy).toBe(true);
    const [ledger] = await sql<{ a: number; b: number }>('SELECT a, b FROM ledger');
    const [count] = await sql<{ n: number }>('SELECT COUNT(*) AS n FROM moves');
    const [check] = await sql<{ integrity_check: string }>('PRAGMA integrity_check');
    expect(check?.integrity_check).toBe('ok');
    expect((ledger?.a ?? 0) + (ledger?.b ?? 0)).toBe(100000);
    expect(ledger?.b).toBe(count?.n);
    expect(count?.n).toBeGreaterThanOrEqual(atStart);
    expect(count?.n).toBeLessThanOrEqual(atEnd);
    // the restarted server serves the restored data on the same address
    expect((await client(superuserToken).backups.getFullList()).length).toBeGreaterThan(0);
  });
});
