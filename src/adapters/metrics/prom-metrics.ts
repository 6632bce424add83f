import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics } from '../../core/metrics/metrics.js';

const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Node's process metrics (memory, event-loop lag…): one collector per process, shared by every app. */
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'plinth_', eventLoopMonitoringPrecision: 20 });
  }
  return processRegistry;
}

const DB_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2];

/**
 * Prometheus metrics through prom-client, on a registry of their own (two apps in one process do
 * not mix): `plinth_http_requests_total` and `plinth_http_request_duration_seconds` by method,
 * route and status, `plinth_db_query_duration_seconds` by operation, `plinth_cron_runs_total`,
 * gauges registered by the app (realtime connections…), and Node's process metrics (resident
 * memory, heap, event-loop lag) under `plinth_process_*` / `plinth_nodejs_*`.
 */
export class PromMetrics implements Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #latency: Histogram<'method' | 'route' | 'status'>;
  readonly #queries: Histogram<'op' | 'failed'>;
  readonly #cronRuns: Counter<'job' | 'outcome'>;
  readonly #cronDuration: Histogram<'job'>;

  constructor() {
    const registers = [this.registry];
    this.#requests = new Counter({ name: 'plinth_http_requests_total', help: 'HTTP requests answered.', labelNames: ['method', 'route', 'status'], registers });
    this.#latency = new Histogram({ name: 'plinth_http_request_duration_seconds', help: 'HTTP request latency.', labelNames: ['method', 'route', 'status'], buckets: HTTP_BUCKETS, registers });
    this.#queries = new Histogram({ name: 'plinth_db_query_duration_seconds', help: 'Database call duration.', labelNames: ['op', 'failed'], buckets: DB_BUCKETS, registers });
    this.#cronRuns = new Counter({ name: 'plinth_cron_runs_total', help: 'Cron job runs.', labelNames: ['job', 'outcome'], registers });
    this.#cronDuration = new Histogram({ name: 'plinth_cron_run_duration_seconds', help: 'Cron job run duration.', labelNames: ['job'], buckets: [0.01, 0.1, 1, 10, 60, 600], registers });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.#requests.inc(labels);
    this.#latency.observe(labels, seconds);
  }

  observeQuery(op: string, seconds: number, failed: boolean): void {
    this.#queries.observe({ op, failed: failed ? 'true' : 'false' }, seconds);
  }

  observeCron(job: string, outcome: string, seconds: number): void {
    this.#cronRuns.inc({ job, outcome });
    if (outcome !== 'skipped') this.#cronDuration.observe({ job }, seconds);
  }

  gauge(name: string, help: string, read: () => number): void {
    if (this.registry.getSingleMetric(name)) this.registry.removeSingleMetric(name);
    new Gauge({ name, help, registers: [this.registry], collect() { this.set(read()); } });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return { contentType: this.registry.contentType, body: `${own}\n${process}` };
  }

  close(): void {
    this.registry.clear();
  }
}
