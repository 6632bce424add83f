import type { PlinthApp } from '../../core/app.js';
import type { RequestInfo } from '../../core/request-info.js';

/** Which schema a caller gets: superusers see every collection and field, everyone else the public one. */
export type SchemaVariant = 'superuser' | 'public';

/** Counts one collection action against the rate limits (`users:authWithPassword`…); throws 429. */
export type ActionLimiter = (collection: string, action: string, authAction: boolean) => Promise<void>;

/** What every resolver receives: the app, the caller as rules see it, and transport details. */
export interface GraphqlContext {
  app: PlinthApp;
  /** The caller (auth, headers, IP), `context: "graphql"`; resolvers add the body per write. */
  request: RequestInfo;
  /** The `Authorization` token the request came with ('' for none), for `authRefresh`. */
  token: string;
  /** `http://host:port`, for file URLs. */
  baseUrl: string;
  limitAction: ActionLimiter;
  /** Counts a request to `path` as REST's rate limits would (`POST /api/batch`); throws 429. */
  limitPath(path: string): Promise<void>;
}
