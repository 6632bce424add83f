import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { deepMerge } from '../../core/collections/auth-options.js';
import { generateAppleClientSecret } from '../../core/settings/apple-client-secret.js';
import { redactSettings, validateSettings } from '../../core/settings/settings-validator.js';
import { readRequestBody } from '../request-body.js';
import { requireSuperuser } from '../../core/auth/superuser-guard.js';

/**
 * `/api/settings` (superusers only): GET, PATCH (merged like PocketBase: nested objects key by
 * key, arrays replaced; the whole result validated), the email and S3 checks, and Apple's client
 * secret generator. Secrets (`smtp.password`, `s3.secret`, `backups.s3.secret`) are write-only.
 */
export function settingsRoutes(server: FastifyInstance, app: PlinthApp): void {
  server.get('/api/settings', async (request) => {
    requireSuperuser(request);
    return redactSettings(app.settings.get());
  });

  server.patch('/api/settings', async (request) => {
    requireSuperuser(request);
    const { data } = await readRequestBody(request);
    validateSettings(deepMerge(app.settings.get(), data));
    const saved = await app.settings.save(data);
    app.ops.settingsChanged();
    return redactSettings(saved);
  });

  server.post('/api/settings/test/email', async (request, reply) => {
    requireSuperuser(request);
    const { data } = await readRequestBody(request);
    await app.ops.settingsChecks.testEmail(data);
    return reply.status(204).send();
  });

  server.post('/api/settings/test/s3', async (request, reply) => {
    requireSuperuser(request);
    const { data } = await readRequestBody(request);
    await app.ops.settingsChecks.testS3(data);
    return reply.status(204).send();
  });

  server.post('/api/settings/apple/generate-client-secret', async (request) => {
    requireSuperuser(request);
    const { data } = await readRequestBody(request);
    return { secret: await generateAppleClientSecret(data) };
  });
}
