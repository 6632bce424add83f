/**
 * SQLite's `strftime(format, timeValue, modifiers…)` in PostgreSQL SQL. Every argument is an SQL
 * expression (usually a bound parameter), so the format is translated at run time: each `%x` code
 * is replaced by the matching piece of the timestamp. Supported: `%d %f %H %j %m %M %s %S %w %W
 * %Y %F %T %%`; time values `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z|±HH:MM]` and `now`; modifiers
 * `±N year(s)|month(s)|day(s)|hour(s)|minute(s)|second(s)` and `start of year|month|day`.
 * Anything else gives NULL, as SQLite does for values it cannot parse. Times are UTC.
 */

const ISO_RE = String.raw`^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$`;
const ISO_ZONED_RE = String.raw`^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)$`;
const MODIFIER_RE = String.raw`^\s*[+-]?\d+(\.\d+)?\s+(year|month|day|hour|minute|second)s?\s*$`;

/** A `timestamp` (UTC, without zone) for a SQLite time value, NULL when it does not parse. */
function timeValue(expr: string): string {
  return `(SELECT CASE WHEN s.v ~ '${ISO_RE}' THEN CAST(s.v AS TIMESTAMP)`
    + ` WHEN s.v ~ '${ISO_ZONED_RE}' THEN CAST(s.v AS TIMESTAMPTZ) AT TIME ZONE 'UTC'`
    + ` WHEN lower(s.v) = 'now' THEN CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP(3)) END`
    + ` FROM (SELECT CAST(${expr} AS TEXT) AS v) s)`;
}

/** Applies one modifier to a timestamp expression. */
function modify(ts: string, modifier: string): string {
  return `(SELECT CASE WHEN s.m ~ '${MODIFIER_RE}' THEN s.t + CAST(s.m AS INTERVAL)`
    + ` WHEN s.m ~* '^\\s*start of (year|month|day)\\s*$' THEN date_trunc(substring(lower(s.m) from '(year|month|day)'), s.t) END`
    + ` FROM (SELECT ${ts} AS t, CAST(${modifier} AS TEXT) AS m) s)`;
}

const CODES: readonly (readonly [string, string])[] = [
  ['%F', "to_char(s.t, 'YYYY-MM-DD')"],
  ['%T', "to_char(s.t, 'HH24:MI:SS')"],
  ['%Y', "to_char(s.t, 'YYYY')"],
  ['%m', "to_char(s.t, 'MM')"],
  ['%d', "to_char(s.t, 'DD')"],
  ['%H', "to_char(s.t, 'HH24')"],
  ['%M', "to_char(s.t, 'MI')"],
  ['%S', "to_char(s.t, 'SS')"],
  ['%f', "to_char(s.t, 'SS.MS')"],
  ['%j', "to_char(s.t, 'DDD')"],
  ['%w', 'CAST(CAST(EXTRACT(DOW FROM s.t) AS INTEGER) AS TEXT)'],
  ['%W', "lpad(CAST((CAST(EXTRACT(DOY FROM s.t) AS INTEGER) + 6 - (CAST(EXTRACT(DOW FROM s.t) AS INTEGER) + 6) % 7) / 7 AS TEXT), 2, '0')"],
  ['%s', 'CAST(CAST(floor(EXTRACT(EPOCH FROM s.t)) AS BIGINT) AS TEXT)'],
];

/** `strftime(args…)` as PostgreSQL SQL (see the module comment). */
export function postgresStrftime(args: readonly string[]): string {
  const [format = 'NULL', time = "'now'", ...modifiers] = args;
  const ts = modifiers.reduce((acc, m) => modify(acc, m), timeValue(time));
  let chain = "replace(s.f, '%%', chr(1))";
  for (const [code, piece] of CODES) chain = `replace(${chain}, '${code}', ${piece})`;
  chain = `replace(${chain}, chr(1), '%')`;
  return `(SELECT CASE WHEN s.t IS NULL OR s.f IS NULL THEN NULL ELSE ${chain} END`
    + ` FROM (SELECT CAST(${format} AS TEXT) AS f, ${ts} AS t) s)`;
}
