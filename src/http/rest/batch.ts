import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { BatchItemError } from '../../core/batch/batch-service.js';
import { errors } from '../../core/errors/plinth-error.js';
import { errorEnvelope } from '../error-status.js';
import { readRequestBody } from '../request-body.js';
import { buildRequestInfo } from '../request-info.js';
import { incomingFiles } from './files.js';

/** Batch bodies may be larger than single requests (`batch.maxBodySize`, 128 MiB by default). */
const BATCH_ROUTE_BODY_LIMIT = 128 << 20;

/**
 * `POST /api/batch` (JSON, or multipart with `@jsonPayload` and files under `requests.N.<field>`).
 * Answers `[{"body":…,"status":200|204}]`, or 400 with the failed index under `data.requests`.
 */
export function batchRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.post('/api/batch', { bodyLimit: BATCH_ROUTE_BODY_LIMIT }, async (request, reply) => {
    const config = app.batch.checkEnabled();
    const length = Number(request.headers['content-length'] ?? 0);
    if (Number.isFinite(length) && length > config.maxBodySize) throw errors.tooLarge();
    const body = await readRequestBody(request);
    try {
      const results = await app.batch.run(body.data, incomingFiles(body.files), buildRequestInfo(request, body.data));
      return results.map((r) => (r.kind === 'record' ? { body: r.body, status: 200 } : { body: null, status: 204 }));
    } catch (err) {
      if (!(err instanceof BatchItemError)) throw err;
      const data = {
        requests: {
          [String(err.index)]: { code: 'batch_request_failed', message: 'Batch request failed.', response: errorEnvelope(err.failure) },
        },
      };
      const envelope = errorEnvelope(err);
      return reply.status(envelope.status).type('application/json').send({ ...envelope, data });
    }
  });
}
