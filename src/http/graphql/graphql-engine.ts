import {
  GraphQLError, NoSchemaIntrospectionCustomRule, execute, getOperationAST, parse, specifiedRules, validate,
  type DocumentNode, type ExecutionArgs, type ExecutionResult, type OperationDefinitionNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { SchemaRegistry } from '../../core/collections/schema-registry.js';
import { perSnapshot } from '../../core/settings/settings-service.js';
import type { Settings } from '../../core/settings/settings-defaults.js';
import type { GraphqlContext, SchemaVariant } from './graphql-context.js';
import { requestError } from './graphql-errors.js';
import { limitViolation, measureOperation, type OperationLimits, type OperationMeasure } from './graphql-limits.js';
import { buildGraphqlSchema, type BuiltSchema } from './graphql-schema-builder.js';

/** The `graphql` settings with their defaults. */
export interface GraphqlSettings extends OperationLimits {
  enabled: boolean;
  /** Whether non-superusers may introspect (superusers always may: the explorer needs it). */
  introspection: boolean;
  /** Operations in one HTTP request (a JSON array body). */
  maxBatch: number;
}

const DEFAULTS: GraphqlSettings = { enabled: true, introspection: true, maxDepth: 16, maxAliases: 30, maxCost: 25_000, maxBatch: 10 };

export const graphqlSettings = perSnapshot((settings: Settings): GraphqlSettings => {
  const raw = settings['graphql'] && typeof settings['graphql'] === 'object' ? (settings['graphql'] as Record<string, unknown>) : {};
  const int = (key: keyof OperationLimits | 'maxBatch') => (Number.isInteger(raw[key]) && (raw[key] as number) >= 1 ? (raw[key] as number) : DEFAULTS[key]);
  return {
    enabled: raw['enabled'] !== false,
    introspection: raw['introspection'] !== false,
    maxDepth: int('maxDepth'), maxAliases: int('maxAliases'), maxCost: int('maxCost'), maxBatch: int('maxBatch'),
  };
});

/** Longest accepted query text, and most tokens the parser reads (a parse bomb stops there). */
export const MAX_QUERY_LENGTH = 100_000;
export const MAX_QUERY_TOKENS = 20_000;
const DOCUMENT_CACHE_SIZE = 500;

/** One GraphQL request as sent (POST body, GET query, or graphql-ws `subscribe` payload). */
export interface GraphqlParams {
  query?: unknown;
  operationName?: unknown;
  variables?: unknown;
}

/**
 * A request ready to run, or the errors that stop it before execution (HTTP 400). `run` executes
 * a query or mutation with the document's compiled form (graphql-jit); `args` are for
 * graphql-js itself (graphql-ws runs subscriptions with them).
 */
export type Prepared =
  | { ok: true; args: ExecutionArgs; operation: OperationDefinitionNode; run: () => Promise<ExecutionResult> }
  | { ok: false; errors: readonly GraphQLError[] };

/** A parsed and validated document, with its operations compiled on first use. */
interface LoadedDocument {
  document: DocumentNode;
  compiled: Map<string, CompiledQuery | null>;
  /** Measures that no variable went into, by operation name. */
  measures: Map<string, OperationMeasure>;
}

/**
 * Schemas and documents, cached: one schema per variant and schema-registry version (so a
 * collection change, here or on another node, rebuilds it on next use), and each query text
 * parsed and validated once per schema. `prepare` also applies the settings' limits.
 */
export class GraphqlEngine {
  #schemas = new Map<SchemaVariant, { version: number; built: BuiltSchema }>();
  #documents = new Map<string, LoadedDocument | { errors: readonly GraphQLError[] }>();
  #documentsVersion = -1;

  constructor(private readonly registry: SchemaRegistry, private readonly settings: () => Settings) {}

  config(): GraphqlSettings {
    return graphqlSettings(this.settings());
  }

  /** The schema a variant sees now. */
  schema(variant: SchemaVariant): BuiltSchema {
    const cached = this.#schemas.get(variant);
    if (cached && cached.version === this.registry.version) return cached.built;
    const built = buildGraphqlSchema(this.registry.all(), variant);
    this.#schemas.set(variant, { version: this.registry.version, built });
    return built;
  }

  /** Parses, validates and measures one request for a caller; `contextValue` is its resolver context. */
  prepare(params: GraphqlParams, contextValue: GraphqlContext, variant: SchemaVariant, allowed: ReadonlySet<string> = ALL_OPERATIONS): Prepared {
    const config = this.config();
    if (typeof params.query !== 'string' || params.query.trim() === '') return fail('Missing the query.');
    if (params.query.length > MAX_QUERY_LENGTH) return fail(`The query is too long: at most ${MAX_QUERY_LENGTH} characters allowed.`);
    if (params.operationName != null && typeof params.operationName !== 'string') return fail('operationName must be a string.');
    const variables = params.variables ?? {};
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return fail('variables must be an object.');
    const { schema } = this.schema(variant);
    const introspection = variant === 'superuser' || config.introspection;
    const loaded = this.#document(params.query, variant, introspection);
    if ('errors' in loaded) return { ok: false, errors: loaded.errors };
    const operation = getOperationAST(loaded.document, params.operationName ?? undefined);
    if (!operation) return fail(params.operationName ? `Unknown operation "${String(params.operationName)}".` : 'Send one operation, or name the one to run in operationName.');
    if (!allowed.has(operation.operation)) return fail(`${operation.operation} operations are not allowed here.`, 'OPERATION_NOT_ALLOWED');
    const operationName = typeof params.operationName === 'string' ? params.operationName : undefined;
    let measure = loaded.measures.get(operationName ?? '');
    if (!measure) {
      measure = measureOperation(schema, loaded.document, operation, variables as Record<string, unknown>);
      if (!measure.readsVariables) loaded.measures.set(operationName ?? '', measure);
    }
    const violation = limitViolation(measure, config);
    if (violation) return fail(violation, 'QUERY_TOO_COMPLEX');
    const args: ExecutionArgs = {
      schema, document: loaded.document, contextValue, operationName,
      variableValues: variables as Record<string, unknown>,
    };
    const run = async (): Promise<ExecutionResult> => {
      const compiled = compiledOperation(loaded, schema, operationName ?? '');
      return compiled ? compiled.query(undefined, contextValue, args.variableValues) : execute(args);
    };
    return { ok: true, operation, args, run };
  }

  #document(query: string, variant: SchemaVariant, introspection: boolean): LoadedDocument | { errors: readonly GraphQLError[] } {
    if (this.#documentsVersion !== this.registry.version) {
      this.#documents.clear();
      this.#documentsVersion = this.registry.version;
    }
    const key = `${variant}:${introspection ? 'i' : '-'}:${query}`;
    const cached = this.#documents.get(key);
    if (cached) return cached;
    let entry: LoadedDocument | { errors: readonly GraphQLError[] };
    try {
      const document = parse(query, { maxTokens: MAX_QUERY_TOKENS, noLocation: false });
      const rules = introspection ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule];
      const errors = validate(this.schema(variant).schema, document, rules, { maxErrors: 20 });
      entry = errors.length > 0 ? { errors } : { document, compiled: new Map(), measures: new Map() };
    } catch (err) {
      entry = { errors: [err instanceof GraphQLError ? err : requestError('Invalid query.')] };
    }
    if (this.#documents.size >= DOCUMENT_CACHE_SIZE) this.#documents.delete(this.#documents.keys().next().value as string);
    this.#documents.set(key, entry);
    return entry;
  }
}

/**
 * The operation compiled by graphql-jit (once per document and operation name): it resolves the
 * same resolvers as graphql-js, without graphql-js's per-field interpretation, which measured 2×
 * REST's CPU on a 20-record page (docs/graphql.md). null when it cannot compile (graphql-js runs).
 */
function compiledOperation(loaded: LoadedDocument, schema: ExecutionArgs['schema'], operationName: string): CompiledQuery | null {
  let compiled = loaded.compiled.get(operationName);
  if (compiled === undefined) {
    const result = compileQuery(schema, loaded.document, operationName || undefined);
    compiled = isCompiledQuery(result) ? result : null;
    loaded.compiled.set(operationName, compiled);
  }
  return compiled;
}

export const ALL_OPERATIONS: ReadonlySet<string> = new Set(['query', 'mutation', 'subscription']);

function fail(message: string, code?: string): Prepared {
  return { ok: false, errors: [requestError(message, code)] };
}

