import type { Registry } from 'prom-client';
import type { Metrics } from '../../core/metrics/metrics.js';

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DB_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2];
const CRON_BUCKETS = [0.01, 0.1, 1, 10, 60, 600];
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * Node's process metrics (memory, CPU, event-loop lag, GC) through prom-client: one collector per
 * process, shared by every app, created on the first scrape (prom-client costs ~12 MB resident and
 * ~40 ms of start-up, so a server nobody scrapes never loads it).
 */
let processRegistry: Promise<Registry> | null = null;
function processMetrics(): Promise<Registry> {
  processRegistry ??= import('prom-client').then(({ Registry: ProcessRegistry, collectDefaultMetrics }) => {
    const registry = new ProcessRegistry();
    collectDefaultMetrics({ register: registry, prefix: 'plinth_', eventLoopMonitoringPrecision: 20 });
    return registry;
  }, (err: unknown) => {
    processRegistry = null;
    throw err;
  });
  return processRegistry;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatLabels(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i] ?? '')}"`);
  if (extra) parts.push(extra);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${name} ${type}\n`;
}

/** A counter family: one value per label set. */
class CounterFamily {
  readonly #series = new Map<string, { values: readonly string[]; value: number }>();
  constructor(readonly name: string, readonly help: string, readonly labelNames: readonly string[]) {}

  inc(key: string, values: readonly string[]): void {
    this.series(key, values).value++;
  }

  /** The series of one label set (created at 0), for callers that keep it to count on. */
  series(key: string, values: readonly string[]): { value: number } {
    let s = this.#series.get(key);
    if (!s) this.#series.set(key, (s = { values, value: 0 }));
    return s;
  }

  render(): string {
    let out = header(this.name, this.help, 'counter');
    for (const s of this.#series.values()) out += `${this.name}${formatLabels(this.labelNames, s.values)} ${s.value}\n`;
    return out;
  }

  clear(): void {
    this.#series.clear();
  }
}

interface HistogramSeries {
  values: readonly string[];
  buckets: number[];
  sum: number;
  count: number;
}

/** A histogram family: per label set, the count of each bucket (not cumulative until rendered), sum and count. */
class HistogramFamily {
  readonly #series = new Map<string, HistogramSeries>();
  constructor(readonly name: string, readonly help: string, readonly labelNames: readonly string[], readonly bounds: readonly number[]) {}

  observe(key: string, values: readonly string[], seconds: number): void {
    this.record(this.series(key, values), seconds);
  }

  /** The series of one label set (created empty), for callers that keep it to record into. */
  series(key: string, values: readonly string[]): HistogramSeries {
    let s = this.#series.get(key);
    if (!s) {
      s = { values, buckets: new Array<number>(this.bounds.length).fill(0), sum: 0, count: 0 };
      this.#series.set(key, s);
    }
    return s;
  }

  record(s: HistogramSeries, seconds: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > (bounds[i] as number)) i++;
    if (i < bounds.length) s.buckets[i] = (s.buckets[i] ?? 0) + 1;
    s.sum += seconds;
    s.count++;
  }

  render(): string {
    let out = header(this.name, this.help, 'histogram');
    for (const s of this.#series.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += s.buckets[i] ?? 0;
        out += `${this.name}_bucket${formatLabels(this.labelNames, s.values, `le="${this.bounds[i]}"`)} ${cumulative}\n`;
      }
      out += `${this.name}_bucket${formatLabels(this.labelNames, s.values, 'le="+Inf"')} ${s.count}\n`;
      out += `${this.name}_sum${formatLabels(this.labelNames, s.values)} ${s.sum}\n`;
      out += `${this.name}_count${formatLabels(this.labelNames, s.values)} ${s.count}\n`;
    }
    return out;
  }

  clear(): void {
    this.#series.clear();
  }
}

/**
 * Prometheus metrics in the text exposition format, per app (two apps in one process do not mix):
 * `plinth_http_requests_total` and `plinth_http_request_duration_seconds` by method, route and
 * status, `plinth_db_query_duration_seconds` by operation, `plinth_cron_runs_total` and
 * `plinth_cron_run_duration_seconds`, gauges registered by the app (realtime connections…), and
 * Node's process metrics (resident memory, heap, event-loop lag) under `plinth_process_*` /
 * `plinth_nodejs_*` from prom-client.
 *
 * The app's own series are plain counters in maps: an observation is a map lookup and a few
 * additions (prom-client validated and hashed the label object on every call, for every request
 * and every database call). prom-client itself is loaded on the first scrape, for the process
 * metrics only; their GC and event-loop histograms count from that scrape on.
 */
export class PromMetrics implements Metrics {
  readonly #requests = new CounterFamily('plinth_http_requests_total', 'HTTP requests answered.', ['method', 'route', 'status']);
  readonly #latency = new HistogramFamily('plinth_http_request_duration_seconds', 'HTTP request latency.', ['method', 'route', 'status'], HTTP_BUCKETS);
  readonly #queries = new HistogramFamily('plinth_db_query_duration_seconds', 'Database call duration.', ['op', 'failed'], DB_BUCKETS);
  readonly #cronRuns = new CounterFamily('plinth_cron_runs_total', 'Cron job runs.', ['job', 'outcome']);
  readonly #cronDuration = new HistogramFamily('plinth_cron_run_duration_seconds', 'Cron job run duration.', ['job'], CRON_BUCKETS);
  readonly #gauges = new Map<string, { help: string; read: () => number }>();
  readonly #requestSeries = new Map<string, Map<string, Map<number, { count: { value: number }; latency: HistogramSeries }>>>();

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    // route → method → status: lookups of strings whose hashes are cached, no key built per request
    let byMethod = this.#requestSeries.get(route);
    if (!byMethod) this.#requestSeries.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (!series) {
      const key = `${method} ${status} ${route}`;
      const values = [method, route, String(status)];
      series = { count: this.#requests.series(key, values), latency: this.#latency.series(key, values) };
      byStatus.set(status, series);
    }
    series.count.value++;
    this.#latency.record(series.latency, seconds);
  }

  observeQuery(op: string, seconds: number, failed: boolean): void {
    this.#queries.observe(failed ? `${op} true` : op, [op, failed ? 'true' : 'false'], seconds);
  }

  observeCron(job: string, outcome: string, seconds: number): void {
    this.#cronRuns.inc(`${job}\u0000${outcome}`, [job, outcome]);
    if (outcome !== 'skipped') this.#cronDuration.observe(job, [job], seconds);
  }

  gauge(name: string, help: string, read: () => number): void {
    this.#gauges.set(name, { help, read });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    let own = '';
    for (const family of [this.#requests, this.#latency, this.#queries, this.#cronRuns, this.#cronDuration]) own += `${family.render()}\n`;
    for (const [name, gauge] of this.#gauges) own += `${header(name, gauge.help, 'gauge')}${name} ${gauge.read()}\n\n`;
    const process = await (await processMetrics()).metrics();
    return { contentType: CONTENT_TYPE, body: `${own}${process}` };
  }

  close(): void {
    this.#requestSeries.clear();
    for (const family of [this.#requests, this.#latency, this.#queries, this.#cronRuns, this.#cronDuration]) family.clear();
    this.#gauges.clear();
  }
}
