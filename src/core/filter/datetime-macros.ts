/** The datetime macros of the filter language, all in UTC. */
export const DATETIME_MACROS = [
  '@now', '@yesterday', '@tomorrow', '@second', '@minute', '@hour', '@weekday', '@day', '@month', '@year',
  '@todayStart', '@todayEnd', '@monthStart', '@monthEnd', '@yearStart', '@yearEnd',
] as const;

export type DatetimeMacro = (typeof DATETIME_MACROS)[number];

const MACRO_SET: ReadonlySet<string> = new Set(DATETIME_MACROS);

/** Returns true when `name` (with its `@`) is a datetime macro. */
export function isDatetimeMacro(name: string): name is DatetimeMacro {
  return MACRO_SET.has(name);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Formats a date the PocketBase way: `2006-01-02 15:04:05.000Z` (UTC, milliseconds). */
export function formatDateTime(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.`
    + `${pad(date.getUTCMilliseconds(), 3)}Z`;
}

const utc = (y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0): Date =>
  new Date(Date.UTC(y, m, d, h, min, s, ms));

/**
 * Resolves a datetime macro against `now`: date macros give a `2006-01-02 15:04:05.000Z` string,
 * the part macros (`@second` … `@year`, `@weekday` with Sunday = 0) give numbers.
 */
export function resolveDatetimeMacro(name: DatetimeMacro, now: Date = new Date()): string | number {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (name) {
    case '@now': return formatDateTime(now);
    case '@yesterday': return formatDateTime(utc(y, m, d - 1, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
    case '@tomorrow': return formatDateTime(utc(y, m, d + 1, now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
    case '@second': return now.getUTCSeconds();
    case '@minute': return now.getUTCMinutes();
    case '@hour': return now.getUTCHours();
    case '@weekday': return now.getUTCDay();
    case '@day': return d;
    case '@month': return m + 1;
    case '@year': return y;
    case '@todayStart': return formatDateTime(utc(y, m, d));
    case '@todayEnd': return formatDateTime(utc(y, m, d, 23, 59, 59, 999));
    case '@monthStart': return formatDateTime(utc(y, m, 1));
    case '@monthEnd': return formatDateTime(utc(y, m + 1, 0, 23, 59, 59, 999));
    case '@yearStart': return formatDateTime(utc(y, 0, 1));
    case '@yearEnd': return formatDateTime(utc(y, 11, 31, 23, 59, 59, 999));
  }
}
