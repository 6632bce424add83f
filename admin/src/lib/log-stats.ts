/** The log page's time ranges, and the chart buckets for each (pure functions, no DOM). */

export interface LogRange {
  id: string;
  label: string;
  /** The range's length in minutes. */
  minutes: number;
  /** `GET /api/logs/stats?interval=`: per minute for short ranges, per hour for long ones. */
  interval: 'minute' | 'hour';
}

export const LOG_RANGES: readonly LogRange[] = [
  { id: '1h', label: 'Last hour', minutes: 60, interval: 'minute' },
  { id: '6h', label: 'Last 6 hours', minutes: 360, interval: 'minute' },
  { id: '24h', label: 'Last 24 hours', minutes: 1440, interval: 'hour' },
  { id: '7d', label: 'Last 7 days', minutes: 10080, interval: 'hour' },
];

/** A date as the API stores it: `2026-12-07 10:01:05.000Z` (UTC). */
export function apiDate(date: Date): string {
  return date.toISOString().replace('T', ' ');
}

/** An API date (`2026-12-07 10:01:05.000Z`) as a Date. */
export function parseApiDate(value: string): Date {
  return new Date(value.replace(' ', 'T'));
}

/** The start of `range` before `now`, aligned to its interval (the first bucket's start). */
export function rangeStart(range: LogRange, now: Date): Date {
  const step = range.interval === 'minute' ? 60_000 : 3_600_000;
  return new Date(Math.floor((now.getTime() - range.minutes * 60_000) / step) * step + step);
}

export interface Bucket {
  start: Date;
  total: number;
  errors: number;
}

/**
 * Every bucket of `range` up to `now`, zeros included (the API answers only non-empty ones), with the
 * totals of `all` and `errors` (`[{date, total}]` from the stats endpoint) filled in.
 */
export function fillBuckets(range: LogRange, now: Date, all: ReadonlyArray<{ date: string; total: number }>, errors: ReadonlyArray<{ date: string; total: number }>): Bucket[] {
  const step = range.interval === 'minute' ? 60_000 : 3_600_000;
  const totals = new Map(all.map((s) => [parseApiDate(s.date).getTime(), s.total]));
  const failed = new Map(errors.map((s) => [parseApiDate(s.date).getTime(), s.total]));
  const out: Bucket[] = [];
  for (let t = rangeStart(range, now).getTime(); t <= now.getTime(); t += step) {
    out.push({ start: new Date(t), total: totals.get(t) ?? 0, errors: failed.get(t) ?? 0 });
  }
  return out;
}

/** slog levels as PocketBase names them. */
export function levelName(level: number): string {
  if (level >= 8) return 'ERROR';
  if (level >= 4) return 'WARN';
  if (level >= 0) return 'INFO';
  return 'DEBUG';
}
