import type { Settings } from '../settings/settings-defaults.js';

/** One row of PocketBase's `_logs` table (the request log and other app logs). */
export interface LogEntry {
  id: string;
  created: string;
  updated: string;
  /** slog levels: -4 debug, 0 info, 4 warn, 8 error. */
  level: number;
  message: string;
  data: Record<string, unknown>;
}

/** `GET /api/logs` parameters (filter and sort in the filter language, over id/created/level/message/data.*). */
export interface LogListQuery {
  filter: string;
  sort: string;
  page: number;
  perPage: number;
  skipTotal: boolean;
}

/** One bucket of `GET /api/logs/stats`: an hour (PocketBase's), or a minute (`?interval=minute`, Plinth's). */
export interface LogStat {
  date: string;
  total: number;
}

/** The bucket size of the log stats. */
export type LogStatsInterval = 'hour' | 'minute';

/** Where the logs live: a store of their own (SQLite `auxiliary.db`, or a `_logs` table elsewhere). */
export interface LogStore {
  insert(entries: readonly LogEntry[]): Promise<void>;
  list(query: LogListQuery): Promise<{ items: LogEntry[]; totalItems: number }>;
  find(id: string): Promise<LogEntry | null>;
  stats(filter: string, interval?: LogStatsInterval): Promise<LogStat[]>;
  /** Deletes the logs created before `date` (`2006-01-02 15:04:05.000Z`); returns how many. */
  deleteBefore(date: string): Promise<number>;
  close(): Promise<void>;
}

/** Options of {@link LogService}. */
export interface LogServiceOptions {
  /** Longest time an entry waits in memory before it is written (default 500 ms). */
  flushIntervalMs?: number;
  /** Writes as soon as this many entries wait (default 200). */
  batchSize?: number;
  /** Entries kept in memory at most while the store is slow; older ones are dropped (default 10 000). */
  maxPending?: number;
  onError?: (error: unknown) => void;
}

/** The `logs` settings group. */
export interface LogsConfig {
  maxDays: number;
  minLevel: number;
  logIP: boolean;
  logAuthId: boolean;
}

const CONFIG_TTL_MS = 1000;

const toDateTime = (d: Date): string => d.toISOString().replace('T', ' ');

let idCounter = Math.floor(Math.random() * 1296);
let idClockMs = -1;
let idClock = '';
/** `0`…`zz` as two characters, made once (the counter part of every id). */
const COUNTER_TEXT = Array.from({ length: 1296 }, (_, i) => i.toString(36).padStart(2, '0'));

/**
 * A 15-character `[0-9a-z]` id (PocketBase's id shape) that sorts by time: 9 characters of the
 * millisecond clock, 2 of a per-process counter, 4 random. New rows then land at the end of the
 * primary-key index instead of on a random page, which halves the cost of each log insert.
 * (Not a secret: the random part only keeps the ids of several nodes apart.)
 */
export function newLogId(now = Date.now()): string {
  idCounter = (idCounter + 1) % 1296;
  if (now !== idClockMs) {
    idClockMs = now;
    idClock = now.toString(36).padStart(9, '0');
  }
  const random = Math.floor(Math.random() * 1_679_616).toString(36).padStart(4, '0');
  return idClock + COUNTER_TEXT[idCounter] + random;
}

/**
 * The app log: entries are queued in memory and written to the log store in batches, off the
 * request path. `logs.maxDays = 0` disables logging; `logs.minLevel` drops lower levels.
 */
export class LogService {
  readonly #store: LogStore;
  readonly #settings: () => Settings;
  readonly #options: Required<Omit<LogServiceOptions, 'onError'>> & Pick<LogServiceOptions, 'onError'>;
  #pending: LogEntry[] = [];
  #timer: NodeJS.Timeout | null = null;
  /** The one batch being written; while it is, new entries wait in the bounded `#pending`. */
  #inFlight: Promise<void> | null = null;
  #dropped = 0;
  #config: LogsConfig | null = null;
  #configAt = 0;
  #stampMs = -1;
  #stamp = '';

  constructor(store: LogStore, settings: () => Settings, options: LogServiceOptions = {}) {
    this.#store = store;
    this.#settings = settings;
    this.#options = { flushIntervalMs: 500, batchSize: 200, maxPending: 10_000, ...options };
  }

  /** The `logs` settings group, with PocketBase's defaults (re-read at most once a second). */
  config(): LogsConfig {
    const now = Date.now();
    if (!this.#config || now - this.#configAt > CONFIG_TTL_MS) {
      const logs = (this.#settings().logs ?? {}) as Record<string, unknown>;
      this.#config = {
        maxDays: typeof logs.maxDays === 'number' ? logs.maxDays : 5,
        minLevel: typeof logs.minLevel === 'number' ? logs.minLevel : 0,
        logIP: logs.logIP !== false,
        logAuthId: logs.logAuthId === true,
      };
      this.#configAt = now;
    }
    return this.#config;
  }

  /** Drops the cached `logs` settings (after a settings change). */
  refreshConfig(): void {
    this.#config = null;
  }

  /** Whether an entry of `level` would be kept (cheap; call before building the entry). */
  enabled(level = 0): boolean {
    const { maxDays, minLevel } = this.config();
    return maxDays > 0 && level >= minLevel;
  }

  /** Queues an entry; it is written within `flushIntervalMs`. Never throws, never waits. */
  add(level: number, message: string, data: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    const ms = Date.now();
    // under load many entries share a millisecond: format the time once per millisecond
    if (ms !== this.#stampMs) {
      this.#stampMs = ms;
      this.#stamp = toDateTime(new Date(ms));
    }
    if (this.#pending.length >= this.#options.maxPending) {
      this.#pending.shift();
      this.#dropped++;
    }
    this.#pending.push({ id: newLogId(ms), created: this.#stamp, updated: this.#stamp, level, message, data });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#inFlight || this.#pending.length === 0) return;
    if (this.#pending.length >= this.#options.batchSize) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#options.flushIntervalMs);
  }

  /**
   * Writes every queued entry now. At most one batch is in flight: while the store is slower
   * than the traffic, entries stay in the bounded queue (dropping the oldest) instead of piling
   * up as pending writes.
   */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#inFlight) await this.#inFlight;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    this.#inFlight = this.#store
      .insert(batch)
      .catch((err: unknown) => {
        this.#dropped += batch.length;
        this.#options.onError?.(err);
      })
      .finally(() => {
        this.#inFlight = null;
        this.#schedule();
      });
    await this.#inFlight;
  }

  /** How many entries were lost (queue overflow or failed writes) since start. */
  get dropped(): number {
    return this.#dropped;
  }

  async list(query: LogListQuery): Promise<{ items: LogEntry[]; totalItems: number }> {
    await this.flush();
    return this.#store.list(query);
  }

  async find(id: string): Promise<LogEntry | null> {
    await this.flush();
    return this.#store.find(id);
  }

  async stats(filter: string, interval: LogStatsInterval = 'hour'): Promise<LogStat[]> {
    await this.flush();
    return this.#store.stats(filter, interval);
  }

  /** Deletes the logs older than `logs.maxDays` (all of them when logging is off). */
  async cleanup(now = new Date()): Promise<number> {
    await this.flush();
    const { maxDays } = this.config();
    const cutoff = new Date(now.getTime() - Math.max(0, maxDays) * 86_400_000);
    return this.#store.deleteBefore(toDateTime(cutoff));
  }

  async close(): Promise<void> {
    await this.flush();
    await this.#store.close();
  }
}
