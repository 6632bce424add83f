import { ClientError, GraphQLClient } from 'graphql-request';

/** One GraphQL error as Plinth sends it: REST's envelope under `extensions`. */
export interface GraphqlErrorJson {
  message: string;
  extensions?: { code?: string; status?: number; data?: Record<string, unknown> };
}

/** What a request gave: `data` (possibly partial), the errors, and the HTTP status. */
export interface GraphqlOutcome<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors: GraphqlErrorJson[];
}

/**
 * A `graphql-request` client for a test server's `/api/graphql`, signed in with `token` when
 * given, that returns errors instead of throwing them (the tests look at both).
 */
export function graphqlClient(url: string, token?: string) {
  const client = new GraphQLClient(`${url}/api/graphql`, { headers: token ? { authorization: token } : {} });
  return {
    client,
    async run<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphqlOutcome<T>> {
      try {
        const res = await client.rawRequest<T>(query, variables);
        return { status: res.status, data: res.data, errors: (res.errors ?? []) as unknown as GraphqlErrorJson[] };
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        return { status: err.response.status, data: (err.response.data as T | undefined) ?? null, errors: (err.response.errors ?? []) as unknown as GraphqlErrorJson[] };
      }
    },
  };
}
