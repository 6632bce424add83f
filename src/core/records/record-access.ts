import type { CollectionModel, RuleName } from '../collections/collection-model.js';
import { apiKeyAllows, isApiKeyCaller } from '../api-keys/api-key-scopes.js';
import { errors } from '../errors/plinth-error.js';
import { isSuperuser, type RequestInfo } from '../request-info.js';

/**
 * The one place where collection rules become query filters, for every transport:
 * - superusers bypass every rule;
 * - API keys (a Plinth extension) only reach the collections and operations of their scopes;
 * - a `null` rule locks the action to superusers (403);
 * - an empty rule lets everyone through;
 * - any other rule is a filter the record must match (the callers turn a miss into the
 *   PocketBase outcome: filtered out for list, 404 for view/update/delete, 400 for create).
 *
 * Returns the filter texts to AND into the query.
 */
export function ruleFilters(collection: CollectionModel, rule: RuleName, request: RequestInfo): string[] {
  const access = ruleAccess(collection, rule, request);
  if (access === 'apiKeyScope') throw errors.forbidden('The API key is not allowed to perform this action.');
  if (access === 'locked') throw errors.superusersOnly();
  return access;
}

/**
 * Like `ruleFilters` but answers null instead of throwing for a locked rule or an API key outside
 * its scopes (expand, realtime, protected files).
 */
export function ruleFiltersOrNull(collection: CollectionModel, rule: RuleName, request: RequestInfo): string[] | null {
  const access = ruleAccess(collection, rule, request);
  return typeof access === 'string' ? null : access;
}

function ruleAccess(collection: CollectionModel, rule: RuleName, request: RequestInfo): string[] | 'apiKeyScope' | 'locked' {
  if (isSuperuser(request)) return [];
  if (isApiKeyCaller(request.auth) && !apiKeyAllows(request.auth, collection, rule)) return 'apiKeyScope';
  const text = collection[rule];
  if (text === null || text === undefined) return 'locked';
  return text.trim() === '' ? [] : [text];
}

/** The auth collection's `manageRule`, or null when unset (or not an auth collection). */
export function manageRule(collection: CollectionModel): string | null {
  if (collection.type !== 'auth') return null;
  const rule = collection.options['manageRule'];
  return typeof rule === 'string' ? rule : null;
}

/** PocketBase forbids `@collection.*` and `@request.*` in `?filter=`/`?sort=` for non-superusers. */
export function checkQueryParamsAllowed(request: RequestInfo, filter: string | undefined, sort: string | undefined): void {
  if (isSuperuser(request)) return;
  const text = `${filter ?? ''}${sort ?? ''}`;
  if (text.includes('@collection.') || text.includes('@request.')) {
    throw errors.forbidden("Only superusers can filter by '@collection.*' and '@request.*' params.");
  }
}
