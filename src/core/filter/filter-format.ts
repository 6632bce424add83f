import type { FilterExpr, FilterOperand } from './filter-ast.js';

/** An operand as filter text: `author.name`, `"it\"s"`, `42`, `null`, `@now`, `strftime('%Y', created)`. */
export function formatOperand(o: FilterOperand): string {
  switch (o.kind) {
    case 'identifier':
      return o.name;
    case 'text':
      return `"${o.value.replaceAll('"', '\\"')}"`;
    case 'number':
      return String(o.value);
    case 'keyword':
      return o.value;
    case 'macro':
      return o.name;
    case 'function':
      return `${o.name}(${o.args.map(formatOperand).join(', ')})`;
  }
}

/**
 * An expression as filter text that parses back to the same tree: `&&` binds tighter than `||`,
 * so only an `||` inside an `&&` needs parentheses.
 */
export function formatFilter(expr: FilterExpr, parent: FilterExpr['kind'] | null = null): string {
  if (expr.kind === 'compare') return `${formatOperand(expr.left)} ${expr.op} ${formatOperand(expr.right)}`;
  const text = expr.items.map((item) => formatFilter(item, expr.kind)).join(expr.kind === 'and' ? ' && ' : ' || ');
  return parent === 'and' && expr.kind === 'or' ? `(${text})` : text;
}
