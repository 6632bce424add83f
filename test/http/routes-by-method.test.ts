import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { routesByMethod } from '../../src/http/rest/routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    inBodyScope?: boolean;
  }
}

/** A root with a child scope whose hook marks requests (as @fastify/multipart's hooks run there). */
async function serverWithScopes(register: (routes: ReturnType<typeof routesByMethod>) => void) {
  const server = Fastify();
  server.decorateRequest('inBodyScope', false);
  await server.register(async (bodies) => {
    bodies.addHook('onRequest', (request, _reply, done) => {
      request.inBodyScope = true;
      done();
    });
    register(routesByMethod(server, bodies));
  });
  return server;
}

const answer = async (request: FastifyRequest) => ({ inBodyScope: request.inBodyScope });

describe('routesByMethod (the body scope stays off GET routes)', () => {
  it.each([
    ['GET', '/a', false],
    ['HEAD', '/a', false],
    ['POST', '/a', true],
    ['PATCH', '/a', true],
    ['DELETE', '/a', true],
    ['GET', '/r', false],
    ['PUT', '/r', true],
  ] as const)('%s %s in the body scope: %s', async (method, url, expected) => {
    const server = await serverWithScopes((routes) => {
      routes.get('/a', answer);
      routes.post('/a', answer);
      routes.patch('/a', answer);
      routes.delete('/a', answer);
      routes.route({ method: ['GET'], url: '/r', handler: answer });
      routes.route({ method: 'PUT', url: '/r', handler: answer });
    });
    const res = await server.inject({ method, url });
    expect(res.statusCode).toBe(200);
    if (method !== 'HEAD') expect(res.json()).toEqual({ inBodyScope: expected });
    await server.close();
  });

  it('hands everything but routes to the body scope', async () => {
    let scopeHooked = false;
    const server = await serverWithScopes((routes) => {
      routes.addHook('preHandler', (_request, _reply, done) => {
        scopeHooked = true;
        done();
      });
      routes.get('/a', answer);
    });
    await server.inject({ method: 'GET', url: '/a' });
    expect(scopeHooked).toBe(false);
    await server.close();
  });
});
