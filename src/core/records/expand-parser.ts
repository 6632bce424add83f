/** PocketBase's maximum expand depth (`a.b.c.d.e.f`). */
export const MAX_EXPAND_DEPTH = 6;

/** The parsed `?expand=` tree: relation name → nested expands. */
export type ExpandTree = Map<string, ExpandTree>;

/**
 * Parses `rel1,rel2.sub,other_via_field` into a tree; blank segments are ignored and paths are cut
 * at MAX_EXPAND_DEPTH, as PocketBase stops expanding there.
 */
export function parseExpand(raw: string | readonly string[] | undefined): ExpandTree {
  const tree: ExpandTree = new Map();
  if (!raw) return tree;
  const items = typeof raw === 'string' ? raw.split(',') : raw.flatMap((r) => r.split(','));
  for (const item of items) {
    const parts = item.trim().split('.').map((p) => p.trim());
    if (parts.some((p) => p === '')) continue;
    let node = tree;
    for (const part of parts.slice(0, MAX_EXPAND_DEPTH)) {
      let next = node.get(part);
      if (!next) {
        next = new Map();
        node.set(part, next);
      }
      node = next;
    }
  }
  return tree;
}
