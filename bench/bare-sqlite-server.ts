// The "bare" baseline: Fastify 5 + better-sqlite3 with hand-written handlers for the benchmark's
// routes only. It runs the same SQL text Plinth runs for these requests (same tables, same
// aliases, same LIMIT/OFFSET form) and answers the same JSON shapes, with none of Plinth's
// generality (no rules engine, no field registry, no plugins, no hooks).
//
//   node --import tsx bench/bare-sqlite-server.ts --dir=DATA_DIR --http=127.0.0.1:PORT
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import bcrypt from 'bcrypt';
import Database from 'better-sqlite3';
import Fastify, { type FastifyReply } from 'fastify';
import { SignJWT, decodeJwt, jwtVerify } from 'jose';

const { values } = parseArgs({ options: { dir: { type: 'string' }, http: { type: 'string', default: '127.0.0.1:8091' } } });
if (!values.dir) throw new Error('--dir is required');
const [host = '127.0.0.1', portText = '8091'] = (values.http ?? '').split(':');

const db = new Database(join(values.dir, 'data.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 10000');
db.pragma('foreign_keys = ON');

type Row = Record<string, unknown>;
interface Meta { id: string; options: Record<string, unknown> }
const meta = (name: string): Meta => {
  const row = db.prepare('SELECT id, options FROM _collections WHERE name = ?').get(name) as { id: string; options: string };
  return { id: row.id, options: JSON.parse(row.options) as Record<string, unknown> };
};
const POSTS = meta('posts');
const USERS = meta('users');
const authToken = USERS.options.authToken as { secret: string; duration: number };

// --- the SQL Plinth runs for these requests --------------------------------------------------------
const selectPost = db.prepare('SELECT __pb_main.* FROM `posts` __pb_main WHERE __pb_main.`id` IN (?) LIMIT 1 OFFSET 0');
const listPosts = db.prepare('SELECT __pb_main.* FROM `posts` __pb_main WHERE (`__pb_main`.`views` > ?) ORDER BY `__pb_main`.`views` DESC LIMIT 20 OFFSET 0');
const selectUser = db.prepare('SELECT __pb_main.* FROM `users` __pb_main WHERE __pb_main.`id` IN (?) LIMIT 1 OFFSET 0');
const userExists = db.prepare('SELECT `id` FROM `users` WHERE `id` IN (?)');
const userByEmail = db.prepare('SELECT __pb_main.* FROM `users` __pb_main WHERE __pb_main.`email` = ? LIMIT 1 OFFSET 0');
const insertPost = db.prepare('INSERT INTO `posts` (`id`, `title`, `views`, `author`, `tags`, `created`, `updated`) VALUES (?, ?, ?, ?, ?, ?, ?)');
const updatePost = db.prepare('UPDATE `posts` SET `title` = ?, `views` = ?, `author` = ?, `tags` = ?, `created` = ?, `updated` = ? WHERE `id` = ?');
const usersByIds = new Map<number, Database.Statement>();
function usersIn(ids: string[]): Row[] {
  let stmt = usersByIds.get(ids.length);
  if (!stmt) {
    stmt = db.prepare(`SELECT __pb_main.* FROM \`users\` __pb_main WHERE __pb_main.\`id\` IN (${ids.map(() => '?').join(', ')})`);
    usersByIds.set(ids.length, stmt);
  }
  return stmt.all(...ids) as Row[];
}
const begin = db.prepare('BEGIN IMMEDIATE');
const commit = db.prepare('COMMIT');
const rollback = db.prepare('ROLLBACK');
function tx<T>(fn: () => T): T {
  begin.run();
  try {
    const out = fn();
    commit.run();
    return out;
  } catch (err) {
    if (db.inTransaction) rollback.run();
    throw err;
  }
}

// --- the JSON shapes --------------------------------------------------------------------------------
function postJson(row: Row): Row {
  let tags: unknown = [];
  try {
    tags = JSON.parse(String(row.tags || '[]'));
  } catch {
    tags = [];
  }
  return {
    collectionId: POSTS.id, collectionName: 'posts', id: row.id, title: row.title ?? '', views: Number(row.views ?? 0),
    author: row.author ?? '', tags, created: row.created ?? '', updated: row.updated ?? '',
  };
}

function userJson(row: Row, showEmail: boolean): Row {
  const out: Row = { collectionId: USERS.id, collectionName: 'users', id: row.id };
  const emailVisibility = row.emailVisibility === 1;
  if (showEmail || emailVisibility) out.email = row.email;
  out.emailVisibility = emailVisibility;
  out.verified = row.verified === 1;
  out.name = row.name ?? '';
  out.avatar = row.avatar ?? '';
  out.created = row.created ?? '';
  out.updated = row.updated ?? '';
  return out;
}

function fail(reply: FastifyReply, status: number, message: string, data: Row = {}) {
  return reply.status(status).send({ status, message, data });
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
function newId(): string {
  const bytes = randomBytes(15);
  let out = '';
  for (let i = 0; i < 15; i++) out += ID_CHARS[(bytes[i] as number) % 36];
  return out;
}
const now = () => new Date().toISOString().replace('T', ' ');

interface PostBody { title?: unknown; views?: unknown; author?: unknown; tags?: unknown }
/** The record with the body applied, or field errors (the checks the benchmark's bodies exercise). */
function applyBody(current: Row, body: PostBody): { row: Row; errors: Row } {
  const row = { ...current };
  const errors: Row = {};
  if (body.title !== undefined) row.title = String(body.title);
  if (body.views !== undefined) row.views = Number(body.views);
  if (body.author !== undefined) row.author = String(body.author);
  if (body.tags !== undefined) row.tags = JSON.stringify(Array.isArray(body.tags) ? body.tags : [body.tags]);
  if (typeof row.title !== 'string' || row.title === '') errors.title = { code: 'validation_required', message: 'Cannot be blank.' };
  if (!Number.isInteger(row.views) || (row.views as number) < 0) errors.views = { code: 'validation_invalid_number', message: 'Invalid number.' };
  if (row.author && !userExists.get(row.author)) errors.author = { code: 'validation_missing_rel_records', message: 'Failed to find all relation records with the provided ids.' };
  return { row, errors };
}

// --- tokens -----------------------------------------------------------------------------------------
const encoder = new TextEncoder();
function signToken(user: Row): Promise<string> {
  const exp = Math.floor(Date.now() / 1000) + authToken.duration;
  return new SignJWT({ collectionId: USERS.id, id: String(user.id), refreshable: true, type: 'auth', exp })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(encoder.encode(String(user.tokenKey) + authToken.secret));
}

async function userFromToken(header: string | undefined): Promise<Row | null> {
  if (!header) return null;
  const token = header.toLowerCase().startsWith('bearer ') ? header.slice(7) : header;
  try {
    const claims = decodeJwt(token);
    if (claims.type !== 'auth' || claims.collectionId !== USERS.id || typeof claims.id !== 'string') return null;
    const user = selectUser.get(claims.id) as Row | undefined;
    if (!user) return null;
    await jwtVerify(token, encoder.encode(String(user.tokenKey) + authToken.secret), { algorithms: ['HS256'], requiredClaims: ['exp'] });
    return user;
  } catch {
    return null;
  }
}

// --- routes -----------------------------------------------------------------------------------------
const server = Fastify({ logger: false });

server.get('/api/health', async () => ({ code: 200, message: 'API is healthy.', data: {} }));

server.get<{ Params: { id: string } }>('/api/collections/posts/records/:id', async (request, reply) => {
  const row = selectPost.get(request.params.id) as Row | undefined;
  if (!row) return fail(reply, 404, "The requested resource wasn't found.");
  return postJson(row);
});

server.get<{ Querystring: Record<string, string> }>('/api/collections/posts/records', async (request) => {
  const q = request.query;
  const min = Number(/^views>(\d+)$/.exec(q.filter ?? '')?.[1] ?? -1);
  const rows = listPosts.all(min) as Row[];
  const items = rows.map(postJson);
  if (q.expand === 'author') {
    const ids = [...new Set(rows.map((r) => String(r.author)).filter((id) => id !== ''))];
    const users = new Map<string, Row>();
    if (ids.length > 0) for (const u of usersIn(ids)) users.set(String(u.id), userJson(u, false));
    items.forEach((item) => {
      const author = users.get(String(item.author));
      item.expand = author ? { author } : {};
    });
  }
  const skipTotal = q.skipTotal === '1' || q.skipTotal === 'true';
  return { page: 1, perPage: 20, totalItems: skipTotal ? -1 : 0, totalPages: skipTotal ? -1 : 0, items };
});

server.post<{ Body: PostBody }>('/api/collections/posts/records', async (request, reply) => {
  const stamp = now();
  const blank: Row = { id: newId(), title: '', views: 0, author: '', tags: '[]', created: stamp, updated: stamp };
  const { row, errors } = applyBody(blank, request.body ?? {});
  if (Object.keys(errors).length > 0) return fail(reply, 400, 'Failed to create record.', errors);
  tx(() => insertPost.run(row.id, row.title, row.views, row.author, row.tags, row.created, row.updated));
  return postJson(row);
});

server.patch<{ Params: { id: string }; Body: PostBody }>('/api/collections/posts/records/:id', async (request, reply) => {
  const existing = selectPost.get(request.params.id) as Row | undefined;
  if (!existing) return fail(reply, 404, "The requested resource wasn't found.");
  const { row, errors } = applyBody(existing, request.body ?? {});
  if (Object.keys(errors).length > 0) return fail(reply, 400, 'Failed to update record.', errors);
  row.updated = now();
  tx(() => updatePost.run(row.title, row.views, row.author, row.tags, row.created, row.updated, row.id));
  return postJson(row);
});

server.post<{ Body: { identity?: string; password?: string } }>('/api/collections/users/auth-with-password', async (request, reply) => {
  const { identity = '', password = '' } = request.body ?? {};
  const user = userByEmail.get(identity) as Row | undefined;
  const ok = user ? await bcrypt.compare(password, String(user.password)) : false;
  if (!user || !ok) return fail(reply, 400, 'Failed to authenticate.');
  return { record: userJson(user, true), token: await signToken(user) };
});

server.post('/api/collections/users/auth-refresh', async (request, reply) => {
  const user = await userFromToken(request.headers.authorization);
  if (!user) return fail(reply, 401, 'The request requires valid record authorization token.');
  return { record: userJson(user, true), token: await signToken(user) };
});

await server.listen({ host, port: Number(portText) });
const shutdown = () => {
  void server.close().then(() => {
    db.close();
    process.exit(0);
  });
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
