/**
 * The metrics port (a Plinth extension; PocketBase has none). The core and the transports report
 * through it; src/adapters/metrics renders Prometheus' text format.
 */
export interface Metrics {
  /** One answered HTTP request: `route` is the route pattern (`/api/collections/:collection/records`). */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** One database call: `op` is `all`, `get`, `run`, `exec` or `transaction`. */
  observeQuery(op: string, seconds: number, failed: boolean): void;
  /** One cron run (`ok`, `error` or `skipped`). */
  observeCron(job: string, outcome: string, seconds: number): void;
  /** A value read at scrape time (realtime connections, pending log entries…). */
  gauge(name: string, help: string, read: () => number): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  close(): void;
}
