import { errors } from '../errors/plinth-error.js';
import { isSuperuser, type RequestInfo } from '../request-info.js';

/**
 * PocketBase's `RequireSuperuserAuth`: 401 for guests, 403 (with `message`) for other auth records.
 * The one superuser check of the core services; transports call the service, not this.
 */
export function requireSuperuser(
  request: Pick<RequestInfo, 'auth'>,
  message = 'The authorized record is not allowed to perform this action.',
): void {
  if (!request.auth) throw errors.unauthorized();
  if (!isSuperuser(request)) throw errors.forbidden(message);
}
