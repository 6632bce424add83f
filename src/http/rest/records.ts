import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { buildRequestInfo } from '../request-info.js';
import { readRequestBody } from '../request-body.js';
import { mergeUploads } from '../../core/records/record-files.js';
import { incomingFiles } from './files.js';

interface CollectionParams {
  collection: string;
}
interface RecordParams extends CollectionParams {
  id: string;
}
type Query = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function outputParams(request: FastifyRequest) {
  const query = request.query as Query;
  return { expand: first(query['expand']), fields: first(query['fields']) };
}

/** The records CRUD endpoints: a thin transport over `app.records` (which applies every rule). */
export function recordsRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.get<{ Params: CollectionParams }>('/api/collections/:collection/records', async (request) => {
    const query = request.query as Query;
    return app.records.list(request.params.collection, buildRequestInfo(request), {
      page: first(query['page']),
      perPage: first(query['perPage']),
      sort: first(query['sort']),
      filter: first(query['filter']),
      skipTotal: first(query['skipTotal']),
      expand: first(query['expand']),
      fields: first(query['fields']),
    });
  });

  server.get<{ Params: RecordParams }>('/api/collections/:collection/records/:id', async (request) => {
    return app.records.view(request.params.collection, request.params.id, buildRequestInfo(request), outputParams(request));
  });

  server.post<{ Params: CollectionParams }>('/api/collections/:collection/records', async (request) => {
    const collection = app.records.collection(request.params.collection);
    const body = await readRequestBody(request);
    const data = await mergeUploads(collection, body.data, incomingFiles(body.files));
    return app.records.create(request.params.collection, data, buildRequestInfo(request, body.data), outputParams(request));
  });

  server.patch<{ Params: RecordParams }>('/api/collections/:collection/records/:id', async (request) => {
    const collection = app.records.collection(request.params.collection);
    const body = await readRequestBody(request);
    const data = await mergeUploads(collection, body.data, incomingFiles(body.files));
    return app.records.update(request.params.collection, request.params.id, data, buildRequestInfo(request, body.data), outputParams(request));
  });

  server.delete<{ Params: RecordParams }>('/api/collections/:collection/records/:id', async (request, reply) => {
    await app.records.delete(request.params.collection, request.params.id, buildRequestInfo(request));
    return reply.status(204).send();
  });
}
