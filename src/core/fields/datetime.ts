/**
 * PocketBase datetimes: always UTC, served and stored as `2006-01-02 15:04:05.000Z`, with `""`
 * for the zero value. Parsing follows `types.DateTime.Scan`: the default layout first, then the
 * common layouts Go's `cast.ToTime` knows; anything else is the zero value (never an error).
 */

export const DATETIME_LAYOUT = '2006-01-02 15:04:05.000Z';

const PB_FORMAT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** ISO-like forms: date, optional `T`/space time with fraction, optional zone (Z, ±hh:mm, ±hhmm, Go's "+0000 UTC"). */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?(?: ?(Z|[+-]\d{2}:?\d{2})(?: [A-Z]{3,5})?)?$/;

/** RFC 1123 / RFC 822-like and `02 Jan 2006`. */
const RFC =
  /^(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{2}|\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))? (?:([+-]\d{4})|([A-Z]{1,5})))?$/;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Build a UTC date from parts, or null when a part is out of range (Go rejects Feb 30). */
function utcDate(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, offsetMinutes = 0): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCMonth() !== mo - 1) return null; // day overflowed the month
  date.setUTCHours(h, mi, s, ms);
  if (offsetMinutes !== 0) date.setTime(date.getTime() - offsetMinutes * 60_000);
  return date;
}

function parseOffset(zone: string | undefined): number | null {
  if (!zone || zone === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[3]) > 59) return null;
  return m[1] === '-' ? -minutes : minutes;
}

/** Go's zero time, 0001-01-01 00:00:00 UTC, which PocketBase treats as "no date". */
const GO_ZERO_TIME = (() => {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  d.setUTCHours(0, 0, 0, 0);
  return d.getTime();
})();

function parseString(input: string): Date | null {
  const s = input; // Go does not trim
  let m = ISO.exec(s);
  if (m) {
    const offset = parseOffset(m[8]);
    if (offset === null) return null;
    const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0; // Go truncates to the layout's precision
    return utcDate(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms, offset);
  }
  m = RFC.exec(s);
  if (m) {
    const month = MONTHS.indexOf(m[2] ?? '');
    if (month < 0) return null;
    let year = Number(m[3]);
    if ((m[3] ?? '').length === 2) year += year >= 69 ? 1900 : 2000;
    const offset = m[7] ? parseOffset(m[7]) : 0; // named zones: UTC offset (as Go does for unknown names)
    if (offset === null) return null;
    return utcDate(year, month + 1, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0, offset);
  }
  return null;
}

/**
 * Parse a value the way PocketBase's DateTime does. Returns null for the zero value: empty input,
 * junk, numbers (JSON numbers are floats, which PocketBase does not read as timestamps) and Go's
 * zero time.
 */
export function parseDateTime(input: unknown): Date | null {
  let date: Date | null = null;
  if (input instanceof Date) date = Number.isNaN(input.getTime()) ? null : new Date(input.getTime());
  else if (typeof input === 'string' && input !== '') date = parseString(input);
  if (!date || Number.isNaN(date.getTime()) || date.getTime() === GO_ZERO_TIME) return null;
  return date;
}

/** `2006-01-02 15:04:05.000Z` in UTC. */
export function formatDateTime(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ` +
    `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.` +
    `${pad(date.getUTCMilliseconds(), 3)}Z`
  );
}

/** Whether a string already has the exact PocketBase layout (a cheap check for values read from the DB). */
export function isDateTimeLayout(value: string): boolean {
  return PB_FORMAT.test(value);
}

/** Any accepted input → the API string (`""` for the zero value). Already formatted strings pass through. */
export function toDateTimeString(input: unknown): string {
  if (typeof input === 'string' && PB_FORMAT.test(input)) {
    const d = parseDateTime(input);
    return d ? input : '';
  }
  const d = parseDateTime(input);
  return d ? formatDateTime(d) : '';
}

/** The current time as a PocketBase datetime string. */
export function nowDateTime(): string {
  return formatDateTime(new Date());
}

/** Go's `time.Time.String()` in UTC (`2006-01-02 15:04:05.999999999 +0000 UTC`), used in ozzo messages. */
export function goTimeString(date: Date): string {
  const base =
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ` +
    `${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}`;
  const ms = date.getUTCMilliseconds();
  const frac = ms ? `.${pad(ms, 3).replace(/0+$/, '')}` : '';
  return `${base}${frac} +0000 UTC`;
}
