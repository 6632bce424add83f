import type { CollectionModel, RuleName } from '../collections/collection-model.js';
import type { RequestInfo } from '../request-info.js';
import { ALL, collectionKey } from './cache-versions.js';

/** What a list or view asks for, as the cache sees it. */
export interface CacheableRead {
  collection: CollectionModel;
  rule: RuleName;
  request: RequestInfo;
  /** The raw parameters that shape the answer (filter, sort, page, expand, fields…). */
  params: Readonly<Record<string, string | number | undefined>>;
}

/** `@request.*`, `@collection.*`, `@now`… : the answer depends on more than the stored records. */
const DYNAMIC = /@/;
/** A relation path (`author.name`) or back-relation: the answer depends on other collections. */
const CROSS = /\.|_via_/;

/**
 * The version keys a guest read depends on, or null when it must not be cached: only guests
 * (every guest gets the same answer), only rules and parameters that look at stored records
 * alone (no `@…` macros: request data, other collections, the clock). A read that can reach
 * other collections (expand, relation paths, view collections) depends on every write.
 */
export function cacheDependencies(read: CacheableRead): string[] | null {
  const { collection, rule, request, params } = read;
  if (request.auth !== null) return null;
  const ruleText = collection[rule];
  if (ruleText === null || ruleText === undefined) return null;
  const texts = [ruleText, String(params['filter'] ?? ''), String(params['sort'] ?? '')];
  if (texts.some((t) => DYNAMIC.test(t))) return null;
  if (collection.type === 'view' || params['expand'] || texts.some((t) => CROSS.test(t))) return [ALL];
  return [collectionKey(collection.id), ALL];
}
