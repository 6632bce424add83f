import { Cron } from 'croner';
import { errors } from '../errors/plinth-error.js';

/**
 * Jobs run on UTC, as PocketBase's do. An offset of 0 instead of `timezone: 'UTC'`: the same
 * times (UTC has no daylight saving), without `Intl.DateTimeFormat`, whose ICU data cost a
 * server ~5 MB of memory at start.
 */
const UTC = { utcOffset: 0 } as const;

/** One scheduled job as `GET /api/crons` lists it. */
export interface CronJobInfo {
  id: string;
  expression: string;
}

/**
 * Elects the node that runs a job when several share a database (a lease or advisory lock).
 * Without one, every node runs its own jobs (right for a single node).
 */
export interface CronLock {
  /**
   * Resolves true when this node may run now; the claim on `key` lasts at most `ttlMs`. Keys are
   * `<jobId>@<scheduled time>` for a scheduled tick (never released: every node's timer fires
   * for the same tick, and only one may run it) and `<jobId>` for a run-now (released after).
   */
  tryAcquire(key: string, ttlMs: number): Promise<boolean>;
  release(key: string): Promise<void>;
}

/** How long a tick's claim is kept: longer than any clock skew between nodes. */
const TICK_CLAIM_MS = 10 * 60_000;

/** What the scheduler reports after each run (metrics, logs). */
export type CronRunListener = (jobId: string, outcome: 'ok' | 'error' | 'skipped', durationMs: number, error?: unknown) => void;

interface Job {
  id: string;
  expression: string;
  fn: () => Promise<void> | void;
  timer: Cron | null;
}

/**
 * A cron scheduler with standard 5-field expressions (and 6 with seconds) and the macros
 * `@yearly @annually @monthly @weekly @daily @midnight @hourly`, in UTC. A job never runs twice
 * at once on one node: a tick that finds it still running is skipped. With a {@link CronLock},
 * a run happens on one node of the cluster only.
 */
export class CronScheduler {
  readonly #jobs = new Map<string, Job>();
  readonly #running = new Set<string>();
  #started = false;
  lock: CronLock | null = null;
  readonly #listeners: CronRunListener[] = [];

  /** Adds or replaces a job; throws a 400 for an invalid expression. */
  add(id: string, expression: string, fn: () => Promise<void> | void): void {
    try {
      new Cron(expression, { paused: true, ...UTC });
    } catch (err) {
      throw errors.badRequest(`Invalid cron expression "${expression}": ${(err as Error).message}`);
    }
    this.remove(id);
    const job: Job = { id, expression, fn, timer: null };
    this.#jobs.set(id, job);
    if (this.#started) this.#schedule(job);
  }

  remove(id: string): void {
    const job = this.#jobs.get(id);
    job?.timer?.stop();
    this.#jobs.delete(id);
  }

  /** The jobs, in the order they were added. */
  list(): CronJobInfo[] {
    return [...this.#jobs.values()].map(({ id, expression }) => ({ id, expression }));
  }

  has(id: string): boolean {
    return this.#jobs.has(id);
  }

  /** The next run time of a job, or null. */
  nextRun(id: string): Date | null {
    return this.#jobs.get(id)?.timer?.nextRun() ?? null;
  }

  onRun(listener: CronRunListener): void {
    this.#listeners.push(listener);
  }

  /** Starts the timers. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const job of this.#jobs.values()) this.#schedule(job);
  }

  stop(): void {
    this.#started = false;
    for (const job of this.#jobs.values()) {
      job.timer?.stop();
      job.timer = null;
    }
  }

  /**
   * `POST /api/crons/{id}`: runs a job now, in the background; 404 when there is no such job.
   * A job that is already running is not started again.
   */
  runNow(id: string): Promise<void> {
    const job = this.#jobs.get(id);
    if (!job) throw errors.notFound('Missing or invalid cron job');
    return this.#execute(job);
  }

  /** Waits for the running jobs (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  #schedule(job: Job): void {
    // croner fires a few ms after the scheduled second: rounded, that names the same tick on
    // every node whose clock is within half a second of the others
    job.timer = new Cron(job.expression, { ...UTC, unref: true }, () => void this.#execute(job, new Date(Math.round(Date.now() / 1000) * 1000)));
  }

  /** Runs `job`: a scheduled `tick` (its time) once per cluster, a run-now (no tick) once at a time. */
  async #execute(job: Job, tick?: Date | null): Promise<void> {
    if (this.#running.has(job.id)) return this.#emit(job.id, 'skipped', 0);
    this.#running.add(job.id);
    const started = performance.now();
    let locked = false;
    try {
      if (this.lock) {
        const claimed = tick
          ? await this.lock.tryAcquire(`${job.id}@${tick.toISOString()}`, TICK_CLAIM_MS)
          : (locked = await this.lock.tryAcquire(job.id, 60 * 60_000));
        if (!claimed) return this.#emit(job.id, 'skipped', 0);
      }
      await job.fn();
      this.#emit(job.id, 'ok', performance.now() - started);
    } catch (err) {
      this.#emit(job.id, 'error', performance.now() - started, err);
    } finally {
      if (locked) await this.lock?.release(job.id).catch(() => undefined);
      this.#running.delete(job.id);
    }
  }

  #emit(id: string, outcome: 'ok' | 'error' | 'skipped', ms: number, error?: unknown): void {
    for (const listener of this.#listeners) listener(id, outcome, ms, error);
  }
}
