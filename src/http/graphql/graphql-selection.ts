import {
  Kind, getNamedType, isObjectType,
  type FieldNode, type FragmentDefinitionNode, type GraphQLObjectType, type GraphQLResolveInfo, type SelectionSetNode,
} from 'graphql';

/** The relation behind one field of an `…Expand` type. */
export interface ExpandEdge {
  /** The expand key as REST names it: the relation field, or `<collection>_via_<field>`. */
  key: string;
}

/** Every `…Expand` type's fields, by type name then GraphQL field name. */
export type ExpandIndex = ReadonlyMap<string, ReadonlyMap<string, ExpandEdge>>;

type Fragments = GraphQLResolveInfo['fragments'];

/** The field nodes selected directly in `set`, through inline and named fragments. */
export function selectedFields(set: SelectionSetNode | undefined, fragments: Fragments): FieldNode[] {
  const out: FieldNode[] = [];
  const visit = (s: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const sel of s?.selections ?? []) {
      if (sel.kind === Kind.FIELD) out.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) visit(sel.selectionSet, seen);
      else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        const fragment: FragmentDefinitionNode | undefined = fragments[sel.name.value];
        visit(fragment?.selectionSet, seen);
      }
    }
  };
  visit(set, new Set());
  return out;
}

/** Whether any of `nodes` selects a field named one of `names`. */
export function selects(nodes: readonly FieldNode[], names: readonly string[], fragments: Fragments): boolean {
  return nodes.some((node) => selectedFields(node.selectionSet, fragments).some((f) => names.includes(f.name.value)));
}

/** The field nodes named `name` under `nodes` (e.g. a list's `items`). */
export function childFields(nodes: readonly FieldNode[], name: string, fragments: Fragments): FieldNode[] {
  return nodes.flatMap((node) => selectedFields(node.selectionSet, fragments).filter((f) => f.name.value === name));
}

/**
 * The REST `expand` text that serves the selection of records of `recordType` in `nodes`: every
 * relation picked under `expand { … }`, nested (`author,comments_via_post.author`). The records
 * service then loads each relation level with one query (no N+1) through the same view rules.
 */
export function expandFromSelection(nodes: readonly FieldNode[], recordType: GraphQLObjectType, info: Pick<GraphQLResolveInfo, 'fragments'>, index: ExpandIndex, depth = 0): string[] {
  if (depth >= 6) return [];
  const expandField = recordType.getFields()['expand'];
  if (!expandField) return [];
  const expandType = getNamedType(expandField.type);
  if (!isObjectType(expandType)) return [];
  const edges = index.get(expandType.name);
  const paths = new Set<string>();
  for (const expandNode of childFields(nodes, 'expand', info.fragments)) {
    for (const relNode of selectedFields(expandNode.selectionSet, info.fragments)) {
      const edge = edges?.get(relNode.name.value);
      const relField = expandType.getFields()[relNode.name.value];
      if (!edge || !relField) continue;
      paths.add(edge.key);
      const target = getNamedType(relField.type);
      if (!isObjectType(target)) continue;
      for (const sub of expandFromSelection([relNode], target, info, index, depth + 1)) paths.add(`${edge.key}.${sub}`);
    }
  }
  return [...paths];
}
