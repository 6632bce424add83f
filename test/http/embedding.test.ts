/**
 * Embedding: one `createPlinth()` app mounted under `/pb` in a real Fastify server and a real
 * Express server on 127.0.0.1, sharing their listeners; the `pocketbase` SDK talks to the
 * prefixed URL (CRUD, auth, realtime over SSE) while the hosts keep their own routes.
 */
import type { AddressInfo } from 'node:net';
import { EventSource } from 'eventsource';
import express from 'express';
import Fastify from 'fastify';
import type { RecordModel } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlinth, type EmbeddedPlinth } from '../../src/cli/create-plinth.js';
import { copyFixture, removeDir } from '../helpers/fixture-copy.js';
import { sdkClient, sdkFailure, waitFor } from '../helpers/sdk-clients.js';
import { createTestDatabase, projectDialect, type TestDatabase } from '../helpers/test-databases.js';
import { superuserToken } from '../helpers/tokens.js';

(globalThis as { EventSource?: unknown }).EventSource ??= EventSource;

let plinth: EmbeddedPlinth;
let dataDir: string;
let database: TestDatabase | undefined;
const hosts: Array<{ name: string; url: string; close(): Promise<void> }> = [];

async function fastifyHost(): Promise<(typeof hosts)[number]> {
  // keep-alive sockets would hold close() for Fastify's 72 s keepAliveTimeout otherwise
  const host = Fastify({ forceCloseConnections: true });
  host.get('/', async () => ({ host: 'fastify' }));
  host.post('/echo', async (request) => ({ echoed: request.body }));
  await host.register(plinth.fastify, { prefix: '/pb' });
  await host.listen({ host: '127.0.0.1', port: 0 });
  return { name: 'fastify', url: `http://127.0.0.1:${(host.server.address() as AddressInfo).port}`, close: () => host.close() };
}

async function expressHost(): Promise<(typeof hosts)[number]> {
  const host = express();
  host.use('/pb', plinth.express);
  host.get('/', (_req, res) => void res.json({ host: 'express' }));
  host.post('/echo', express.json(), (req, res) => void res.json({ echoed: req.body }));
  const server = await new Promise<ReturnType<typeof host.listen>>((resolve) => {
    const s = host.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    name: 'express',
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

beforeAll(async () => {
  dataDir = copyFixture();
  const dialect = projectDialect();
  if (dialect !== 'sqlite') database = await createTestDatabase(dialect, { fixtureDataDir: dataDir });
  plinth = await createPlinth({ dataDir, db: database?.url, hooksDir: false });
  hosts.push(await fastifyHost(), await expressHost());
  await sdkClient(`${hosts[0]!.url}/pb`, superuserToken).collections.create({
    name: 'embedded_notes', type: 'base', listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '',
    fields: [{ type: 'text', name: 'text' }],
  });
});

afterAll(async () => {
  // Plinth first: it ends its realtime streams, which the hosts would otherwise wait for
  await plinth?.close();
  for (const host of hosts) await host.close();
  await database?.drop();
  if (dataDir) removeDir(dataDir);
});

describe.each(['fastify', 'express'])('mounted in %s under /pb', (name) => {
  const host = () => hosts.find((h) => h.name === name)!;

  it('answers the API under the prefix and leaves the host its own routes', async () => {
    expect(await (await fetch(`${host().url}/pb/api/health`)).json()).toEqual({ code: 200, message: 'API is healthy.', data: {} });
    expect(await (await fetch(`${host().url}/`)).json()).toEqual({ host: name });
    const echo = await fetch(`${host().url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    expect(await echo.json()).toEqual({ echoed: { a: 1 } });
    const missing = await fetch(`${host().url}/pb/api/nope`);
    expect([missing.status, await missing.json()]).toEqual([404, { status: 404, message: "The requested resource wasn't found.", data: {} }]);
  });

  it('serves the pocketbase SDK: auth, CRUD, errors and realtime over SSE', async () => {
    const pb = sdkClient(`${host().url}/pb`);
    const auth = await pb.collection('clients').authWithPassword('test@example.com', '1234567890');
    expect(auth.record.id).toBe('gk390qegs4y47wn');
    const events: Array<{ action: string; record: RecordModel }> = [];
    const unsubscribe = await pb.collection('embedded_notes').subscribe('*', (e) => void events.push(e));
    try {
      const note = await pb.collection('embedded_notes').create({ text: `from ${name}` });
      const updated = await pb.collection('embedded_notes').update(note.id, { text: 'changed' });
      expect(updated.text).toBe('changed');
      await waitFor(() => events.length >= 2, 'two realtime events');
      expect(events.map((e) => [e.action, e.record.id])).toEqual([['create', note.id], ['update', note.id]]);
      expect((await sdkFailure(pb.collection('embedded_notes').getOne('missing000000000'))).status).toBe(404);
      await pb.collection('embedded_notes').delete(note.id);
    } finally {
      await unsubscribe();
    }
  });
});
