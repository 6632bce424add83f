// Seeds a Plinth data dir for the benchmark. The schema, the superuser and the first user are made
// by Plinth itself (CLI + REST API); the bulk of the rows is then inserted with plain SQL into the
// tables Plinth created, in the formats Plinth writes (checked against the API-made rows).
import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort, plinthArgs, postJson, patchJson, ROOT, startChild } from './lib.js';

export const SUPERUSER = { email: 'bench@example.com', password: 'bench-password-123' };
export const USER_PASSWORD = 'bench-user-pass-123';
export const TAGS = ['news', 'tech', 'life', 'art', 'food', 'travel', 'music', 'sport'];
export const MAX_VIEWS = 1_000_000;

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomId(length = 15, chars = ID_CHARS): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += chars[(bytes[i] as number) % chars.length];
  return out;
}

/** PocketBase's date format: `2006-01-02 15:04:05.000Z`. */
export function pbDate(date: Date): string {
  return date.toISOString().replace('T', ' ');
}

function runCli(args: string[]): void {
  const res = spawnSync(process.execPath, [join(ROOT, 'bin/plinth.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`plinth ${args.join(' ')} failed:\n${res.stdout}\n${res.stderr}`);
}

export async function superuserToken(url: string): Promise<string> {
  const auth = await postJson<{ token: string }>(`${url}/api/collections/_superusers/auth-with-password`, {
    identity: SUPERUSER.email, password: SUPERUSER.password,
  });
  return auth.token;
}

/**
 * The load comes from one address: exempt 127.0.0.1 from the rate limits and the auth guard
 * (settings `rateLimits.excludedIPs`), or auth-with-password would measure 429s. Best effort on
 * versions without the settings API.
 */
async function excludeLoopbackFromRateLimits(url: string, token: string): Promise<void> {
  const res = await fetch(`${url}/api/settings`, { headers: { authorization: token } });
  if (!res.ok) return;
  const settings = (await res.json()) as { rateLimits?: Record<string, unknown> };
  if (!settings.rateLimits) return;
  await patchJson(`${url}/api/settings`, { rateLimits: { ...settings.rateLimits, excludedIPs: ['127.0.0.1'] } }, token);
}

/** A posts-like collection definition (as sent to `POST /api/collections`). */
export function postsCollection(name: string, usersId: string): Record<string, unknown> {
  return {
    name,
    type: 'base',
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: null,
    fields: [
      { name: 'title', type: 'text', required: true, max: 200 },
      { name: 'views', type: 'number', onlyInt: true, min: 0 },
      { name: 'author', type: 'relation', collectionId: usersId, maxSelect: 1, cascadeDelete: false },
      { name: 'tags', type: 'select', maxSelect: 5, values: TAGS },
      { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
    indexes: [`CREATE INDEX \`idx_${name}_views\` ON \`${name}\` (\`views\`)`],
  };
}

export interface SeedResult {
  dir: string;
  postIds: string[];
  userIds: string[];
  userEmails: string[];
  seedMs: number;
}

/**
 * Creates `dir` with Plinth, then bulk-inserts `users` users (same password, fresh tokenKeys) and
 * `records` posts. Returns samples of the ids for the load generator.
 */
export async function seedMain(dir: string, records: number, users: number): Promise<SeedResult> {
  const started = performance.now();
  runCli(['superuser', 'upsert', SUPERUSER.email, SUPERUSER.password, `--dir=${dir}`]);
  const port = await freePort();
  const server = await startChild('plinth-seed', plinthArgs(dir, port), port);
  try {
    const token = await superuserToken(server.url);
    await excludeLoopbackFromRateLimits(server.url, token);
    // public view of users, so that expand=author returns the author to guests
    await patchJson(`${server.url}/api/collections/users`, { listRule: '', viewRule: '' }, token);
    await postJson(`${server.url}/api/collections`, postsCollection('posts', '_pb_users_auth_'), token);
    const first = await postJson<{ id: string }>(`${server.url}/api/collections/users/records`, {
      email: 'user0@bench.local', password: USER_PASSWORD, passwordConfirm: USER_PASSWORD, name: 'User 0', verified: true,
    }, token);
    await postJson(`${server.url}/api/collections/posts/records`, { title: 'First post', views: 1, author: first.id, tags: ['news'] }, token);
  } finally {
    await server.stop();
  }

  const db = new Database(join(dir, 'data.db'));
  db.pragma('journal_mode = WAL');
  const userRow = db.prepare('SELECT * FROM `users` LIMIT 1').get() as Record<string, unknown>;
  const postRow = db.prepare('SELECT * FROM `posts` LIMIT 1').get() as Record<string, unknown>;
  const userColumns = Object.keys(userRow);
  const postColumns = Object.keys(postRow);
  const insertUser = db.prepare(`INSERT INTO \`users\` (${userColumns.map((c) => `\`${c}\``).join(', ')}) VALUES (${userColumns.map((c) => `@${c}`).join(', ')})`);
  const insertPost = db.prepare(`INSERT INTO \`posts\` (${postColumns.map((c) => `\`${c}\``).join(', ')}) VALUES (${postColumns.map((c) => `@${c}`).join(', ')})`);

  const userIds = [String(userRow.id)];
  const userEmails = [String(userRow.email)];
  const base = Date.parse('2025-01-01T00:00:00Z');
  db.transaction(() => {
    for (let i = 1; i < users; i++) {
      const id = randomId();
      const email = `user${i}@bench.local`;
      const created = pbDate(new Date(base + i * 60_000));
      insertUser.run({ ...userRow, id, email, tokenKey: randomId(50, TOKEN_CHARS), name: `User ${i}`, emailVisibility: 0, verified: 1, created, updated: created });
      userIds.push(id);
      userEmails.push(email);
    }
  })();
  const postIds: string[] = [String(postRow.id)];
  const sampleEvery = Math.max(1, Math.floor(records / 20_000));
  db.transaction(() => {
    for (let i = 1; i < records; i++) {
      const id = randomId();
      const tagCount = randomInt(0, 4);
      const tags: string[] = [];
      for (let t = 0; t < tagCount; t++) {
        const tag = TAGS[randomInt(0, TAGS.length)] as string;
        if (!tags.includes(tag)) tags.push(tag);
      }
      const created = pbDate(new Date(base + i * 1000));
      insertPost.run({
        ...postRow, id, title: `Post number ${i}: notes on a backend in a box`, views: randomInt(0, MAX_VIEWS),
        author: userIds[randomInt(0, userIds.length)], tags: JSON.stringify(tags), created, updated: created,
      });
      if (i % sampleEvery === 0) postIds.push(id);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return { dir, postIds, userIds, userEmails, seedMs: performance.now() - started };
}

/** A data dir with `count` posts-like collections (schema only), made through Plinth's REST API. */
export async function seedCollections(dir: string, count: number): Promise<void> {
  runCli(['superuser', 'upsert', SUPERUSER.email, SUPERUSER.password, `--dir=${dir}`]);
  const port = await freePort();
  const server = await startChild('plinth-seed-collections', plinthArgs(dir, port), port);
  try {
    const token = await superuserToken(server.url);
    for (let i = 0; i < count; i++) {
      await postJson(`${server.url}/api/collections`, postsCollection(`posts_${i}`, '_pb_users_auth_'), token);
    }
  } finally {
    await server.stop();
  }
}
