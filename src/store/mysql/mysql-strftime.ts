/**
 * SQLite's `strftime(format, timeValue, modifiers…)` in MySQL/MariaDB SQL, translated at run time
 * like the PostgreSQL version (the format and modifiers are usually bound parameters). Supported:
 * `%d %f %H %j %m %M %s %S %w %W %Y %F %T %%`; time values `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z]`
 * and `now` (UTC; explicit `±HH:MM` offsets give NULL here); modifiers `±N year(s)|month(s)|
 * day(s)|hour(s)|minute(s)|second(s)` and `start of year|month|day`. MariaDB has no correlated
 * derived tables, so each expression is written so that the time value appears once per modifier.
 */

const ISO_RE = '^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?Z?$';
const MOD_RE = '^ *[+-]?[0-9]+([.][0-9]+)? +(year|month|day|hour|minute|second)s? *$';

function timeValue(expr: string): string {
  const v = `CAST(${expr} AS CHAR)`;
  return `(CASE WHEN ${v} REGEXP '${ISO_RE}' THEN CAST(LEFT(REPLACE(REPLACE(${v}, 'T', ' '), 'Z', ''), 26) AS DATETIME(3))`
    + ` WHEN LOWER(${v}) = 'now' THEN UTC_TIMESTAMP(3) END)`;
}

/** `ts` shifted by one modifier: truncation by DATE_FORMAT, then months, then seconds. */
function modify(ts: string, modifier: string): string {
  const m = `LOWER(TRIM(CAST(${modifier} AS CHAR)))`;
  const unit = `TRIM(TRAILING 's' FROM SUBSTRING_INDEX(${m}, ' ', -1))`;
  const n = `CAST(SUBSTRING_INDEX(${m}, ' ', 1) AS DECIMAL(30,6))`;
  const pattern = `(CASE ${m} WHEN 'start of year' THEN '%Y-01-01 00:00:00' WHEN 'start of month' THEN '%Y-%m-01 00:00:00'`
    + ` WHEN 'start of day' THEN '%Y-%m-%d 00:00:00' ELSE '%Y-%m-%d %H:%i:%s.%f' END)`;
  const valid = `(${m} REGEXP '${MOD_RE}' OR ${m} IN ('start of year', 'start of month', 'start of day'))`;
  const months = `(CASE WHEN ${m} LIKE 'start of %' THEN 0 WHEN ${unit} = 'year' THEN ${n} * 12 WHEN ${unit} = 'month' THEN ${n} ELSE 0 END)`;
  const micros = `(CASE WHEN ${m} LIKE 'start of %' THEN 0 WHEN ${unit} = 'day' THEN ${n} * 86400000000`
    + ` WHEN ${unit} = 'hour' THEN ${n} * 3600000000 WHEN ${unit} = 'minute' THEN ${n} * 60000000`
    + ` WHEN ${unit} = 'second' THEN ${n} * 1000000 ELSE 0 END)`;
  const truncated = `CAST(DATE_FORMAT(${ts}, ${pattern}) AS DATETIME(6))`;
  return `(CASE WHEN ${valid} THEN CAST(TIMESTAMPADD(MICROSECOND, ROUND(${micros}), TIMESTAMPADD(MONTH, ROUND(${months}), ${truncated})) AS DATETIME(3)) END)`;
}

const CODES: readonly (readonly [string, (t: string) => string])[] = [
  ['%F', (t) => `DATE_FORMAT(${t}, '%Y-%m-%d')`],
  ['%T', (t) => `DATE_FORMAT(${t}, '%H:%i:%S')`],
  ['%Y', (t) => `DATE_FORMAT(${t}, '%Y')`],
  ['%m', (t) => `DATE_FORMAT(${t}, '%m')`],
  ['%d', (t) => `DATE_FORMAT(${t}, '%d')`],
  ['%H', (t) => `DATE_FORMAT(${t}, '%H')`],
  ['%M', (t) => `DATE_FORMAT(${t}, '%i')`],
  ['%S', (t) => `DATE_FORMAT(${t}, '%S')`],
  ['%f', (t) => `CONCAT(DATE_FORMAT(${t}, '%S.'), LPAD(FLOOR(MICROSECOND(${t}) / 1000), 3, '0'))`],
  ['%j', (t) => `DATE_FORMAT(${t}, '%j')`],
  ['%w', (t) => `DATE_FORMAT(${t}, '%w')`],
  ['%W', (t) => `LPAD(WEEK(${t}, 5), 2, '0')`],
  ['%s', (t) => `CAST(TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', ${t}) AS CHAR)`],
];

/** `strftime(args…)` as MySQL/MariaDB SQL (see the module comment). */
export function mysqlStrftime(args: readonly string[]): string {
  const [format = 'NULL', time = "'now'", ...modifiers] = args;
  const ts = modifiers.reduce((acc, m) => modify(acc, m), timeValue(time));
  const f = `CAST(${format} AS CHAR)`;
  // MariaDB derived tables cannot see the outer row, so each piece repeats the time expression.
  let chain = `REPLACE(${f}, '%%', CHAR(1 USING utf8mb4))`;
  for (const [code, piece] of CODES) chain = `REPLACE(${chain}, '${code}', ${piece(ts)})`;
  return `(CASE WHEN ${ts} IS NULL THEN NULL ELSE REPLACE(${chain}, CHAR(1 USING utf8mb4), '%') END)`;
}
