import { describe, expect, it } from 'vitest';
import { PromMetrics } from '../../../src/adapters/metrics/prom-metrics.js';

/** The sample lines of one metric name, label text → value. */
async function samples(metrics: PromMetrics, name: string): Promise<Map<string, number>> {
  const { body } = await metrics.render();
  const out = new Map<string, number>();
  for (const line of body.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) out.set(match[1] ?? '', Number(match[2]));
  }
  return out;
}

describe('PromMetrics request series', () => {
  it('counts each method, route and status apart, in the counter and in the histogram', async () => {
    const metrics = new PromMetrics();
    metrics.observeRequest('GET', '/api/a', 200, 0.002);
    metrics.observeRequest('GET', '/api/a', 200, 0.02);
    metrics.observeRequest('GET', '/api/a', 404, 0.001);
    metrics.observeRequest('POST', '/api/a', 200, 0.5);
    metrics.observeRequest('GET', '/api/b', 200, 3);

    const counts = await samples(metrics, 'plinth_http_requests_total');
    expect(counts.get('{method="GET",route="/api/a",status="200"}')).toBe(2);
    expect(counts.get('{method="GET",route="/api/a",status="404"}')).toBe(1);
    expect(counts.get('{method="POST",route="/api/a",status="200"}')).toBe(1);
    expect(counts.get('{method="GET",route="/api/b",status="200"}')).toBe(1);
    expect(counts.size).toBe(4);

    const label = '{method="GET",route="/api/a",status="200"}';
    expect((await samples(metrics, 'plinth_http_request_duration_seconds_count')).get(label)).toBe(2);
    expect((await samples(metrics, 'plinth_http_request_duration_seconds_sum')).get(label)).toBeCloseTo(0.022);
    const buckets = await samples(metrics, 'plinth_http_request_duration_seconds_bucket');
    expect(buckets.get('{method="GET",route="/api/a",status="200",le="0.0025"}')).toBe(1);
    expect(buckets.get('{method="GET",route="/api/a",status="200",le="0.025"}')).toBe(2);
    expect(buckets.get('{method="GET",route="/api/b",status="200",le="2.5"}')).toBe(0);
    expect(buckets.get('{method="GET",route="/api/b",status="200",le="+Inf"}')).toBe(1);
    metrics.close();
  });

  it('starts from zero after close', async () => {
    const metrics = new PromMetrics();
    metrics.observeRequest('GET', '/api/a', 200, 0.002);
    metrics.close();
    metrics.observeRequest('GET', '/api/a', 200, 0.002);
    expect((await samples(metrics, 'plinth_http_requests_total')).get('{method="GET",route="/api/a",status="200"}')).toBe(1);
    metrics.close();
  });
});
