import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazySchemaCompilers } from '../../src/http/server.js';

// Plinth's server loads Fastify's Ajv and fast-json-stringify compilers on first use only: a
// route with a schema (a plugin's, a hook's) must still be validated and serialised.
describe('lazy Fastify schema compilers', () => {
  it('validate a body and serialise a reply when a route has a schema', async () => {
    const server = Fastify({ schemaController: { compilersFactory: lazySchemaCompilers as never } });
    server.post('/echo', {
      schema: {
        body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
        response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
      },
    }, async (request) => ({ n: (request.body as { n: number }).n, dropped: true }));
    const ok = await server.inject({ method: 'POST', url: '/echo', payload: { n: 3 } });
    expect(ok.json()).toEqual({ n: 3 });
    const bad = await server.inject({ method: 'POST', url: '/echo', payload: { n: 'x' } });
    expect(bad.statusCode).toBe(400);
    await server.close();
  });
});
