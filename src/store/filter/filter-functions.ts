import type { FunctionOperand, FilterOperand } from '../../core/filter/index.js';
import { operand, type Operand } from './filter-operand.js';
import { invalidField } from './filter-scope.js';
import { mapFrags } from './sql-fragment.js';
import type { Dialect } from '../dialect.js';

type ResolveArg = (arg: FilterOperand) => Operand;

const isIdentifierLike = (a: FilterOperand): boolean => a.kind === 'identifier' || a.kind === 'keyword' || a.kind === 'macro';

/**
 * The filter functions: `geoDistance(lonA, latA, lonB, latB)` (km, haversine; arguments are numbers
 * or fields, any item of a multi-valued path may match) and `strftime(format, [timeValue,
 * modifiers…])` (SQLite semantics; a multi-valued time value must match for every item).
 */
export function resolveFunction(dialect: Dialect, fn: FunctionOperand, resolveArg: ResolveArg): Operand {
  switch (fn.name) {
    case 'geoDistance': {
      if (fn.args.length !== 4) invalidField(`geoDistance() expects 4 arguments, got ${fn.args.length}`);
      const args = fn.args.map((a, i) => {
        if (a.kind !== 'number' && !isIdentifierLike(a)) invalidField(`geoDistance() argument ${i} must be a field or a number`);
        return resolveArg(a).expr;
      });
      return operand(mapFrags(args, ([a = '', b = '', c = '', d = '']) => dialect.geoDistance(a, b, c, d)), 'disabled');
    }
    case 'strftime':
      return resolveStrftime(dialect, fn, resolveArg);
    default:
      return invalidField(`unknown function "${fn.name}"`);
  }
}

function resolveStrftime(dialect: Dialect, fn: FunctionOperand, resolveArg: ResolveArg): Operand {
  const [format, timeValue, ...modifiers] = fn.args;
  if (!format) return invalidField('strftime() expects at least 1 argument');
  if (fn.args.length > 10) invalidField('strftime() accepts at most 10 arguments');
  if (format.kind !== 'text') invalidField('strftime() expects the first argument to be a format string');
  const formatExpr = resolveArg(format).expr;
  if (!timeValue) return operand(mapFrags([formatExpr], (sql) => dialect.strftime(sql)), 'enforced');
  if (timeValue.kind !== 'text' && timeValue.kind !== 'number' && !isIdentifierLike(timeValue)) {
    invalidField('strftime() expects the second argument to be a time value');
  }
  const time = resolveArg(timeValue);
  const mods = modifiers.map((m, i) => {
    if (m.kind !== 'text') invalidField(`strftime() modifier argument ${i} must be a string`);
    return resolveArg(m).expr;
  });
  const build = (t: Operand['expr']) => mapFrags([formatExpr, t, ...mods], (sql) => dialect.strftime(sql));
  const result = operand(build(time.expr), 'enforced');
  if (time.multi) result.multi = { value: build(time.multi.value), from: time.multi.from };
  return result;
}
