import type { FastifyInstance } from 'fastify';
import type { PlinthApp } from '../../core/app.js';
import { RuleExplainer } from '../../core/rules/rule-explainer.js';
import { readRequestBody } from '../request-body.js';

/**
 * The rule tester (a Plinth extension, superusers only): `POST /api/plinth/rules/explain
 * {collection, action, auth: {collection, id} | null, record?, body?, rule?}` answers whether that
 * caller may, and the rule clause by clause with the values it compared.
 */
export function rulesRoutes(server: FastifyInstance, app: PlinthApp): void {
  const explainer = new RuleExplainer(app.schema, app.records);
  server.post('/api/plinth/rules/explain', async (request) => {
    const { data } = await readRequestBody(request);
    return explainer.explain({ auth: request.auth }, data);
  });
}
