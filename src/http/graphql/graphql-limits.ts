import {
  Kind, getNamedType, getNullableType, isCompositeType, isListType, isObjectType, isInterfaceType,
  type DocumentNode, type GraphQLCompositeType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';
import { DEFAULT_PER_PAGE, MAX_PER_PAGE } from '../../core/records/record-service.js';

/** The abuse limits of one operation (settings `graphql`, docs/graphql.md). */
export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

/** What one operation asks for, measured before it runs. */
export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
  /** Whether a variable's value went into the cost (else the measure holds for every request). */
  readsVariables: boolean;
}

/** The estimated size of a list whose length no argument bounds (expanded relations, batch results). */
export const UNBOUNDED_LIST_FACTOR = 10;


const perPageOf = (value: number | undefined) => (value === undefined || value <= 0 ? DEFAULT_PER_PAGE : Math.min(value, MAX_PER_PAGE));

/**
 * Depth, aliases and cost of `operation`, with the variables' values. Cost is the number of
 * records (objects) the operation can return at most: every object field counts once per parent,
 * a list page multiplies what is below its `items` by its `perPage`, and other lists by
 * {@link UNBOUNDED_LIST_FACTOR}. Introspection fields are bounded by the schema and not counted.
 */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): OperationMeasure {
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const measure: OperationMeasure = { depth: 0, aliases: 0, cost: 0, readsVariables: false };
  const intValue = (node: ValueNode | undefined): number | undefined => {
    if (node?.kind === Kind.INT) return Number(node.value);
    if (node?.kind !== Kind.VARIABLE) return undefined;
    measure.readsVariables = true;
    const v = variables[node.name.value];
    return typeof v === 'number' ? v : undefined;
  };
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, multiplier: number, depth: number, pageSize: number, seen: ReadonlySet<string>) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) walk(sel.selectionSet, type, multiplier, depth, pageSize, seen);
        continue;
      }
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(sel.name.value);
        const type = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
        if (fragment && type && isCompositeType(type) && !seen.has(fragment.name.value)) {
          walk(fragment.selectionSet, type, multiplier, depth, pageSize, new Set([...seen, fragment.name.value]));
        }
        continue;
      }
      if (sel.alias) measure.aliases++;
      if (sel.name.value.startsWith('__')) continue;
      measure.depth = Math.max(measure.depth, depth + 1);
      const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
      const def = fields[sel.name.value];
      if (!def || !sel.selectionSet) continue;
      const named = getNamedType(def.type);
      if (!isCompositeType(named)) continue;
      measure.cost += multiplier;
      const perPageArg = sel.arguments?.find((a) => a.name.value === 'perPage');
      const childPage = def.args.some((a) => a.name === 'perPage') ? perPageOf(intValue(perPageArg?.value)) : pageSize;
      const list = isListType(getNullableType(def.type));
      const factor = !list ? 1 : sel.name.value === 'items' && pageSize > 0 ? pageSize : UNBOUNDED_LIST_FACTOR;
      walk(sel.selectionSet, named, multiplier * factor, depth + 1, childPage, seen);
    }
  };
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (root) walk(operation.selectionSet, root, 1, 0, 0, new Set());
  return measure;
}

/** The first limit `measure` exceeds, as a message for the client; null when within all. */
export function limitViolation(measure: OperationMeasure, limits: OperationLimits): string | null {
  if (measure.depth > limits.maxDepth) return `The query is too deep: ${measure.depth} levels, at most ${limits.maxDepth} allowed.`;
  if (measure.aliases > limits.maxAliases) return `The query has too many aliases: ${measure.aliases}, at most ${limits.maxAliases} allowed.`;
  if (measure.cost > limits.maxCost) return `The query is too expensive: cost ${measure.cost}, at most ${limits.maxCost} allowed.`;
  return null;
}
