import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric of one process, on its own registry (no global state: tests build several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    checks: new Counter({
      name: 'pricehawk_checks_total',
      help: 'Product checks by store and outcome',
      labelNames: ['store', 'outcome'] as const,
      registers: [registry],
    }),
    checkSeconds: new Histogram({
      name: 'pricehawk_check_duration_seconds',
      help: 'Time from fetch to committed observation',
      labelNames: ['store'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    bytesRead: new Counter({
      name: 'pricehawk_fetch_bytes_total',
      help: 'Decoded body bytes read by the fetcher',
      labelNames: ['store'] as const,
      registers: [registry],
    }),
    alerts: new Counter({
      name: 'pricehawk_alerts_total',
      help: 'Notifications created by watch evaluation',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'pricehawk_deliveries_total',
      help: 'Delivery attempts by channel and result',
      labelNames: ['channel', 'result'] as const,
      registers: [registry],
    }),
    httpRequests: new Histogram({
      name: 'pricehawk_http_request_duration_seconds',
      help: 'HTTP API latency',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    dueProducts: new Gauge({
      name: 'pricehawk_products_due',
      help: 'Products whose check is due (sampled by the sweeper)',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
