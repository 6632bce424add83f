import type { FastifyRequest } from 'fastify';
import { errors } from '../../core/errors/plinth-error.js';
import { isSuperuser } from '../../core/request-info.js';

/** PocketBase's `RequireSuperuserAuth`: 401 for guests, 403 for other auth records. */
export function requireSuperuser(request: FastifyRequest): void {
  if (!request.auth) throw errors.unauthorized();
  if (!isSuperuser(request)) throw errors.forbidden('The authorized record is not allowed to perform this action.');
}
