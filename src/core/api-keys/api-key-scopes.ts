import type { CollectionModel, RuleName } from '../collections/collection-model.js';
import { fieldError, type FieldError } from '../errors/plinth-error.js';
import type { AuthState } from '../request-info.js';

/** Plinth's system collection of API keys (a Plinth extension, not in PocketBase). */
export const API_KEYS_COLLECTION = '_apiKeys';

/** The record operations a key may be scoped to. */
export const API_KEY_ACTIONS = ['list', 'view', 'create', 'update', 'delete'] as const;
export type ApiKeyAction = (typeof API_KEY_ACTIONS)[number];

/** One scope: a collection (name or id, `*` for all) and the operations allowed on it. */
export interface ApiKeyScope {
  collection: string;
  actions: ApiKeyAction[];
}

const RULE_ACTIONS: Partial<Record<RuleName, ApiKeyAction>> = {
  listRule: 'list', viewRule: 'view', createRule: 'create', updateRule: 'update', deleteRule: 'delete',
};

/** Whether the caller is an API key (rules see it as `@request.auth.collectionName = "_apiKeys"`). */
export function isApiKeyCaller(auth: AuthState | null | undefined): auth is AuthState {
  return auth?.collection.name === API_KEYS_COLLECTION;
}

/** Reads the stored scopes of a key record. */
export function readScopes(value: unknown): ApiKeyScope[] {
  if (!Array.isArray(value)) return [];
  const out: ApiKeyScope[] = [];
  for (const item of value) {
    if (!item || typeof item !== 'object') continue;
    const { collection, actions } = item as Record<string, unknown>;
    if (typeof collection !== 'string' || !Array.isArray(actions)) continue;
    out.push({ collection, actions: actions.filter((a): a is ApiKeyAction => (API_KEY_ACTIONS as readonly string[]).includes(a as string)) });
  }
  return out;
}

/** Validates submitted scopes; returns the field error or null. */
export function scopesError(value: unknown): FieldError | null {
  if (!Array.isArray(value) || value.length === 0) return fieldError('validation_required', 'Cannot be blank.');
  for (const item of value) {
    const scope = item && typeof item === 'object' ? (item as Record<string, unknown>) : null;
    const actions = scope?.actions;
    if (!scope || typeof scope.collection !== 'string' || scope.collection === '' || !Array.isArray(actions) || actions.length === 0
      || actions.some((a) => !(API_KEY_ACTIONS as readonly unknown[]).includes(a))) {
      return fieldError('validation_invalid_scope', `Each scope needs a collection and actions among ${API_KEY_ACTIONS.join(', ')}.`);
    }
  }
  return null;
}

/**
 * Whether an API key caller may run `rule`'s operation on `collection`: one of its scopes must
 * name the collection (by name or id, or `*`) with that operation. Other rules (manage, auth)
 * are never granted to keys. The collection's own rule still applies on top.
 */
export function apiKeyAllows(auth: AuthState, collection: CollectionModel, rule: RuleName): boolean {
  const action = RULE_ACTIONS[rule];
  if (!action) return false;
  return readScopes(auth.record.scopes).some((scope) =>
    (scope.collection === '*' || scope.collection === collection.name || scope.collection === collection.id) && scope.actions.includes(action));
}
