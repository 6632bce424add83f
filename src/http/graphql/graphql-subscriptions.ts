import { GraphQLID, GraphQLNonNull, GraphQLString, type GraphQLFieldConfigMap, type GraphQLObjectType } from 'graphql';
import type { RealtimeBroker } from '../../core/realtime/realtime-broker.js';
import type { RealtimeSink } from '../../core/realtime/realtime-client.js';
import type { AuthState } from '../../core/request-info.js';
import type { GraphqlContext } from './graphql-context.js';
import { expandFor, type CollectionBinding } from './graphql-record-resolvers.js';

type Source = Record<string, unknown>;

/** Events a slow subscriber may have waiting before its subscription is ended. */
const MAX_QUEUED = 1000;

interface RecordEventPayload {
  action: 'create' | 'update' | 'delete';
  record: Source;
}

/** The realtime subscription string for a collection, one record or all, with REST's options. */
export function subscriptionTopic(collection: string, id: string | null | undefined, query: Record<string, string>): string {
  const topic = `${collection}/${id ? id : '*'}`;
  return Object.keys(query).length === 0 ? topic : `${topic}?options=${encodeURIComponent(JSON.stringify({ query }))}`;
}

/**
 * The events of one realtime subscription as an async iterator: a broker client of its own, so
 * every event passes the same per-subscriber checks as SSE (list/view rule for the caller, the
 * filter, hidden fields redacted). Ends when the GraphQL subscription is stopped.
 */
export function brokerEvents(broker: RealtimeBroker, subscription: string, auth: AuthState | null): AsyncIterableIterator<RecordEventPayload> {
  const queue: RecordEventPayload[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  let overflow = false;
  const finish = () => {
    done = true;
    wake?.();
  };
  const sink: RealtimeSink = {
    send(name, data) {
      if (name === 'PB_CONNECT' || done) return;
      if (queue.length >= MAX_QUEUED) {
        overflow = true;
        broker.disconnect(client.id, 'slow_consumer');
        finish();
        return;
      }
      queue.push(JSON.parse(data) as RecordEventPayload);
      wake?.();
    },
    close: finish,
  };
  const client = broker.connect(sink, { limits: { idleTimeoutMs: 0, maxLifetimeMs: 0 } });
  broker.setSubscriptions({ clientId: client.id, subscriptions: [subscription] }, auth, '');
  const iterator: AsyncIterableIterator<RecordEventPayload> = {
    async next() {
      while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      const value = queue.shift();
      if (value) return { value, done: false };
      if (overflow) throw new Error('The subscriber fell too far behind.');
      return { value: undefined, done: true };
    },
    async return() {
      broker.disconnect(client.id);
      finish();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** `postsEvents(id, filter)`: creates, updates and deletes of the collection, or of one record. */
export function recordSubscription(binding: CollectionBinding, eventType: GraphQLObjectType): GraphQLFieldConfigMap<Source, GraphqlContext> {
  const { collection, names } = binding;
  if (!binding.allows('listRule') && !binding.allows('viewRule')) return {};
  return {
    [names.events]: {
      type: new GraphQLNonNull(eventType),
      description: `Writes to ${collection.name} the caller may see: all (list rule) or one record with \`id\` (view rule).`,
      args: { id: { type: GraphQLID }, filter: { type: GraphQLString } },
      subscribe: (_src, args: { id?: string | null; filter?: string | null }, ctx, info) => {
        const query: Record<string, string> = {};
        if (args.filter) query['filter'] = args.filter;
        const expand = expandFor(binding, info, ['record']);
        if (expand) query['expand'] = expand;
        return brokerEvents(ctx.app.realtime, subscriptionTopic(collection.name, args.id, query), ctx.request.auth);
      },
      resolve: (payload: Source) => payload,
    },
  };
}
