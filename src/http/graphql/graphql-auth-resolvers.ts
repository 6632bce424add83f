import { GraphQLError, GraphQLNonNull, GraphQLObjectType, GraphQLString, type GraphQLFieldConfigMap } from 'graphql';
import type { AuthOutcome } from '../../core/auth/auth-service.js';
import type { GraphqlContext } from './graphql-context.js';
import { expandFor, type CollectionBinding } from './graphql-record-resolvers.js';

type Source = Record<string, unknown>;

interface PasswordArgs {
  identity: string;
  password: string;
  identityField?: string | null;
}

/**
 * `usersAuthWithPassword` and `usersAuthRefresh`: the same sign-in as REST (rate limits, MFA,
 * auth rule, token format); the record is serialized as REST shows it to its owner.
 */
export function authFields(binding: CollectionBinding): GraphQLFieldConfigMap<Source, GraphqlContext> {
  const { collection, names } = binding;
  const authType = new GraphQLObjectType({
    name: `${names.type}Auth`,
    fields: { token: { type: new GraphQLNonNull(GraphQLString) }, record: { type: new GraphQLNonNull(binding.recordType) } },
  });
  const answer = async (outcome: AuthOutcome, ctx: GraphqlContext, expand: string) => {
    if (outcome.kind === 'mfa') {
      throw new GraphQLError('Multi-factor authentication required.', { extensions: { code: 'MFA_REQUIRED', status: 401, mfaId: outcome.mfaId } });
    }
    const { state, token } = outcome;
    const record = await ctx.app.records.serialize(state.collection, state.record, { ...ctx.request, auth: state }, { expand: expand || undefined });
    return { token, record };
  };
  return {
    [names.authWithPassword]: {
      type: new GraphQLNonNull(authType),
      args: {
        identity: { type: new GraphQLNonNull(GraphQLString) },
        password: { type: new GraphQLNonNull(GraphQLString) },
        identityField: { type: GraphQLString },
      },
      resolve: async (_src, args: PasswordArgs, ctx, info) => {
        await ctx.limitAction(collection.name, 'authWithPassword', true);
        const body: Record<string, unknown> = { identity: args.identity, password: args.password };
        if (args.identityField) body['identityField'] = args.identityField;
        const request = { ...ctx.request, method: 'POST', body, context: 'password' };
        const outcome = await ctx.app.auth.signInWithPassword(ctx.app.auth.authCollection(collection.id), body, request);
        return answer(outcome, ctx, expandFor(binding, info, ['record']));
      },
    },
    [names.authRefresh]: {
      type: new GraphQLNonNull(authType),
      description: 'A new token for the caller (send its token in the Authorization header).',
      resolve: async (_src, _args, ctx, info) => {
        await ctx.limitAction(collection.name, 'authRefresh', false);
        const outcome = await ctx.app.auth.refresh(collection.id, ctx.token, { ...ctx.request, method: 'POST' });
        return answer(outcome, ctx, expandFor(binding, info, ['record']));
      },
    },
  };
}
