import {
  GraphQLBoolean, GraphQLID, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString,
  type FieldNode, type GraphQLFieldConfigMap, type GraphQLResolveInfo,
} from 'graphql';
import type { CollectionModel, RuleName } from '../../core/collections/collection-model.js';
import { BatchItemError } from '../../core/batch/batch-service.js';
import { PlinthError } from '../../core/errors/plinth-error.js';
import type { RequestInfo } from '../../core/request-info.js';
import type { GraphqlContext } from './graphql-context.js';
import { batchItemError } from './graphql-errors.js';
import type { CollectionNames } from './graphql-names.js';
import type { InputTypes } from './graphql-schema-builder.js';
import { childFields, expandFromSelection, selects, type ExpandIndex } from './graphql-selection.js';
import { BatchRequestType, BatchResultType, nonNullList } from './graphql-shared-types.js';

type Source = Record<string, unknown>;
type FieldMap = GraphQLFieldConfigMap<Source, GraphqlContext>;

/** One collection as the resolvers of its root fields see it. */
export interface CollectionBinding {
  collection: CollectionModel;
  names: CollectionNames;
  recordType: GraphQLObjectType<Source, GraphqlContext>;
  expandIndex: ExpandIndex;
  /** Whether the schema variant offers the action of `rule` (public schemas omit `null` rules). */
  allows(rule: RuleName): boolean;
}

interface ListArgs {
  filter?: string | null;
  sort?: string | null;
  page?: number | null;
  perPage?: number | null;
  after?: string | null;
}

/** Cursors are opaque: a base64url row offset into the list as filtered and sorted. */
export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string): number {
  const match = /^o:(\d{1,12})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new PlinthError('bad_request', 'Invalid cursor.');
  return Number(match[1]);
}

/** Per cached document: the field node → the expand text below it, by path (documents are cached, so are these). */
const EXPANDS = new WeakMap<FieldNode, Map<string, string>>();

/** The REST `expand` text for the records selected at `path` below the resolved field. */
export function expandFor(binding: CollectionBinding, info: GraphQLResolveInfo, path: readonly string[] = []): string {
  const node = info.fieldNodes[0];
  const key = path.join('.');
  const known = node && info.fieldNodes.length === 1 ? EXPANDS.get(node) : undefined;
  const hit = known?.get(key);
  if (hit !== undefined) return hit;
  let nodes = info.fieldNodes;
  for (const name of path) nodes = childFields(nodes, name, info.fragments);
  const expand = expandFromSelection(nodes, binding.recordType, info, binding.expandIndex).join(',');
  if (node && info.fieldNodes.length === 1) {
    const map = known ?? new Map<string, string>();
    map.set(key, expand);
    EXPANDS.set(node, map);
  }
  return expand;
}

/** The caller's request info for one write, as REST builds it (`@request.body`, method). */
export function writeRequest(ctx: GraphqlContext, method: string, body: Record<string, unknown>): RequestInfo {
  return { ...ctx.request, method, body };
}

/** An input object as a REST body: GraphQL keys back to field names and modifier keys. */
export function inputToBody(input: Record<string, unknown>, keys: ReadonlyMap<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    const key = keys.get(name);
    if (key !== undefined) body[key] = value;
  }
  return body;
}

function listType(binding: CollectionBinding): GraphQLObjectType {
  return new GraphQLObjectType({
    name: `${binding.names.type}List`,
    fields: {
      items: { type: nonNullList(binding.recordType) },
      page: { type: new GraphQLNonNull(GraphQLInt) },
      perPage: { type: new GraphQLNonNull(GraphQLInt) },
      totalItems: { type: new GraphQLNonNull(GraphQLInt), description: 'Counted only when selected.' },
      totalPages: { type: new GraphQLNonNull(GraphQLInt), description: 'Counted only when selected.' },
      endCursor: { type: GraphQLString, description: 'Pass as `after` for the next page; null when this page is empty.' },
      hasNextPage: {
        type: new GraphQLNonNull(GraphQLBoolean),
        description: 'Exact when totalItems is selected; otherwise true whenever this page is full.',
      },
    },
  });
}

/** `posts(filter, sort, page, perPage, after)` and `postsById(id)`. */
export function recordQueries(binding: CollectionBinding): FieldMap {
  const { collection, names } = binding;
  const out: FieldMap = {};
  if (binding.allows('listRule')) {
    out[names.list] = {
      type: new GraphQLNonNull(listType(binding)),
      description: `Records of ${collection.name}, through its list rule. \`filter\` and \`sort\` use Plinth's filter language.`,
      args: {
        filter: { type: GraphQLString }, sort: { type: GraphQLString },
        page: { type: GraphQLInt }, perPage: { type: GraphQLInt, description: 'Default 30, at most 1000.' },
        after: { type: GraphQLString, description: 'A cursor from `endCursor`; replaces `page`.' },
      },
      resolve: async (_src, args: ListArgs, ctx, info) => {
        await ctx.limitAction(collection.name, 'list', false);
        const totals = selects(info.fieldNodes, ['totalItems', 'totalPages'], info.fragments);
        const offset = args.after ? decodeCursor(args.after) : undefined;
        const result = await ctx.app.records.list(collection.id, ctx.request, {
          filter: args.filter ?? undefined, sort: args.sort ?? undefined,
          page: args.page == null ? undefined : String(args.page),
          perPage: args.perPage == null ? undefined : String(args.perPage),
          skipTotal: totals ? undefined : '1',
          expand: expandFor(binding, info, ['items']) || undefined,
          offset,
        });
        const start = offset ?? (result.page - 1) * result.perPage;
        const end = start + result.items.length;
        return {
          ...result,
          endCursor: result.items.length > 0 ? encodeCursor(end) : null,
          hasNextPage: totals ? end < result.totalItems : result.items.length === result.perPage,
        };
      },
    };
  }
  if (binding.allows('viewRule')) {
    out[names.byId] = {
      type: binding.recordType,
      description: `One record of ${collection.name} through its view rule; null when missing or not visible.`,
      args: { id: { type: new GraphQLNonNull(GraphQLID) } },
      resolve: async (_src, args: { id: string }, ctx, info) => {
        await ctx.limitAction(collection.name, 'view', false);
        try {
          return await ctx.app.records.view(collection.id, args.id, ctx.request, { expand: expandFor(binding, info) || undefined });
        } catch (err) {
          if (err instanceof PlinthError && err.code === 'not_found') return null;
          throw err;
        }
      },
    };
  }
  return out;
}

/** `createPosts(data)`, `updatePosts(id, data)`, `deletePosts(id)`. */
export function recordMutations(binding: CollectionBinding, inputs: InputTypes): FieldMap {
  const { collection, names } = binding;
  const out: FieldMap = {};
  if (binding.allows('createRule')) {
    out[names.create] = {
      type: new GraphQLNonNull(binding.recordType),
      args: { data: { type: new GraphQLNonNull(inputs.create) } },
      resolve: async (_src, args: { data: Record<string, unknown> }, ctx, info) => {
        await ctx.limitAction(collection.name, 'create', false);
        const body = inputToBody(args.data, inputs.keys);
        return ctx.app.records.create(collection.id, body, writeRequest(ctx, 'POST', body), { expand: expandFor(binding, info) || undefined });
      },
    };
  }
  if (binding.allows('updateRule')) {
    out[names.update] = {
      type: new GraphQLNonNull(binding.recordType),
      description: 'Also takes modifiers: `<number>_add`/`_subtract`, `<multi>_append`/`_prepend`/`_remove`.',
      args: { id: { type: new GraphQLNonNull(GraphQLID) }, data: { type: new GraphQLNonNull(inputs.update) } },
      resolve: async (_src, args: { id: string; data: Record<string, unknown> }, ctx, info) => {
        await ctx.limitAction(collection.name, 'update', false);
        const body = inputToBody(args.data, inputs.keys);
        return ctx.app.records.update(collection.id, args.id, body, writeRequest(ctx, 'PATCH', body), { expand: expandFor(binding, info) || undefined });
      },
    };
  }
  if (binding.allows('deleteRule')) {
    out[names.delete] = {
      type: new GraphQLNonNull(GraphQLBoolean),
      args: { id: { type: new GraphQLNonNull(GraphQLID) } },
      resolve: async (_src, args: { id: string }, ctx) => {
        await ctx.limitAction(collection.name, 'delete', false);
        await ctx.app.records.delete(collection.id, args.id, writeRequest(ctx, 'DELETE', {}));
        return true;
      },
    };
  }
  return out;
}

const BATCH_METHODS = { create: 'POST', update: 'PATCH', upsert: 'PUT', delete: 'DELETE' } as const;

interface BatchRequestInput {
  action: keyof typeof BATCH_METHODS;
  collection: string;
  id?: string | null;
  data?: unknown;
}

/**
 * `batch(requests)`: the writes of `POST /api/batch`, run by the same batch service in one
 * transaction with the same settings (`batch.enabled`, `maxRequests`, timeout) and rules.
 */
export function batchField(): FieldMap {
  return {
    batch: {
      type: nonNullList(BatchResultType),
      args: { requests: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(BatchRequestType))) } },
      resolve: async (_src, args: { requests: BatchRequestInput[] }, ctx) => {
        await ctx.limitPath('/api/batch');
        const requests = args.requests.map((r) => {
          const base = `/api/collections/${encodeURIComponent(r.collection)}/records`;
          const withId = r.action === 'update' || r.action === 'delete';
          const body = r.data && typeof r.data === 'object' && !Array.isArray(r.data) ? (r.data as Record<string, unknown>) : {};
          return {
            method: BATCH_METHODS[r.action],
            url: withId ? `${base}/${encodeURIComponent(r.id ?? '')}` : base,
            body: r.action === 'upsert' && r.id ? { ...body, id: r.id } : body,
          };
        });
        try {
          const results = await ctx.app.batch.run({ requests }, [], writeRequest(ctx, 'POST', { requests }));
          return results.map((r) => (r.kind === 'record' ? { status: 200, record: r.body } : { status: 204, record: null }));
        } catch (err) {
          if (err instanceof BatchItemError) throw batchItemError(err);
          throw err;
        }
      },
    },
  };
}
