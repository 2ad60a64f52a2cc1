/**
 * The checker (or, as the baseline, the same fetch + extract without the database) in its own
 * process, so its CPU and peak RSS are its own and the demo store's event loop is elsewhere.
 *
 * `run` with mode:
 * - 'pipeline': the real createChecker with the real fetcher and store registry, runBatch in a
 *   loop until a batch comes back empty (claim → fetch → extract → apply in one transaction);
 * - 'baseline': the products handed in, in batches of the same size with the same concurrency,
 *   through exactly what the checker's observe step does (fetch plan, fetcher, adapter.extract).
 * Light wrappers time the fetches (wall) and the extractions (CPU) for the report's breakdown.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { createChecker } from '../../src/acquisition/checker.js';
import { createFetcher, type Fetcher } from '../../src/acquisition/fetcher.js';
import { createPool } from '../../src/db/pool.js';
import { createMetrics } from '../../src/observability/metrics.js';
import {
  createStoreRegistry,
  type StoreAdapter,
  type StoreRegistry,
} from '../../src/stores/index.js';
import { benchLogger } from '../lib/logger.js';
import { serveIpc } from '../lib/serve-ipc.js';

interface RunArgs {
  mode: 'pipeline' | 'baseline';
  dbUrl: string;
  demoUrl: string;
  batchSize: number;
  concurrency: number;
  connectionsPerOrigin: number;
  products?: Array<{ store: string; marketplace: string; externalId: string; url: string }>;
}

interface Timings {
  fetches: number;
  fetchWallMs: number;
  extracts: number;
  extractCpuMs: number;
  bytesRead: number;
  stoppedEarly: number;
  /** TCP connections undici opened: an early stop tears its connection down. */
  connections: number;
  outcomes: Record<string, number>;
}

function timedFetcher(inner: Fetcher, t: Timings): Fetcher {
  return {
    ...inner,
    async fetch(req) {
      const start = performance.now();
      try {
        const res = await inner.fetch(req);
        t.bytesRead += res.bytesRead;
        if (res.stoppedEarly) t.stoppedEarly++;
        return res;
      } finally {
        t.fetches++;
        t.fetchWallMs += performance.now() - start;
      }
    },
  };
}

function timedRegistry(inner: StoreRegistry, t: Timings): StoreRegistry {
  const wrapped = new Map<string, StoreAdapter>();
  return {
    ...inner,
    adapter(store) {
      const a = inner.adapter(store);
      if (!a) return a;
      let w = wrapped.get(store);
      if (!w) {
        w = {
          ...a,
          fetchPlan: (p) => a.fetchPlan(p),
          extract(html, p, finalUrl) {
            const cpu = process.cpuUsage();
            const obs = a.extract(html, p, finalUrl);
            const used = process.cpuUsage(cpu);
            t.extracts++;
            t.extractCpuMs += (used.user + used.system) / 1000;
            t.outcomes[obs.outcome] = (t.outcomes[obs.outcome] ?? 0) + 1;
            return obs;
          },
        };
        wrapped.set(store, w);
      }
      return w;
    },
  };
}

async function run(a: RunArgs) {
  const logger = benchLogger();
  const t: Timings = {
    fetches: 0,
    fetchWallMs: 0,
    extracts: 0,
    extractCpuMs: 0,
    bytesRead: 0,
    stoppedEarly: 0,
    connections: 0,
    outcomes: {},
  };
  const onConnected = () => {
    t.connections++;
  };
  diagnosticsChannel.subscribe('undici:client:connected', onConnected);
  const stores = timedRegistry(createStoreRegistry({ demoBaseUrl: a.demoUrl }), t);
  const fetcher = timedFetcher(
    createFetcher({
      logger,
      acceptsHost: (h) => stores.acceptsHost(h),
      trustedHosts: [new URL(a.demoUrl).host],
      connectionsPerOrigin: a.connectionsPerOrigin,
    }),
    t,
  );
  let peakRss = process.memoryUsage.rss();
  /** process.memoryUsage() when the RSS peaked: what the peak is made of. */
  let atPeak = process.memoryUsage();
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) {
      peakRss = m.rss;
      atPeak = m;
    }
  }, 50);
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let checks = 0;
  let batches = 0;
  const pool = createPool(a.dbUrl, logger, {
    max: a.concurrency + 4,
    application: 'bench-checker',
  });
  try {
    if (a.mode === 'pipeline') {
      const checker = createChecker({
        pool,
        fetcher,
        stores,
        logger,
        metrics: createMetrics(),
        clock: () => new Date(),
        random: Math.random,
        workerId: `bench-checker-${process.pid}`,
        policy: {
          intervalWatchedMs: 3_600_000,
          intervalUnwatchedMs: 86_400_000,
          dailyCap: 3,
          furtherDropPercent: 5,
        },
        batchSize: a.batchSize,
        concurrency: a.concurrency,
        leaseMs: 120_000,
      });
      for (;;) {
        const n = await checker.runBatch();
        if (n === 0) break;
        checks += n;
        batches++;
      }
    } else {
      const products = a.products ?? [];
      for (let from = 0; from < products.length; from += a.batchSize) {
        const batch = products.slice(from, from + a.batchSize);
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(a.concurrency, batch.length) }, async () => {
            for (let p = batch[next++]; p; p = batch[next++]) {
              const adapter = stores.adapter(p.store);
              if (!adapter) throw new Error(`no adapter for ${p.store}`);
              const plan = adapter.fetchPlan(p);
              const res = await fetcher.fetch({
                url: plan.url,
                headers: plan.headers,
                ...(plan.earlyStop ? { stopWhen: plan.earlyStop() } : {}),
              });
              adapter.extract(res.body, p, res.url);
              checks++;
            }
          }),
        );
        batches++;
      }
    }
  } finally {
    clearInterval(sampler);
    diagnosticsChannel.unsubscribe('undici:client:connected', onConnected);
    await fetcher.close();
    await pool.end();
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    checks,
    batches,
    seconds,
    cpuMs: (used.user + used.system) / 1000,
    cpuUserMs: used.user / 1000,
    cpuSystemMs: used.system / 1000,
    eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
    peakRssMb: Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20,
    heapAtPeakMb: atPeak.heapTotal / 2 ** 20,
    externalAtPeakMb: atPeak.external / 2 ** 20,
    timings: t,
  };
}

serveIpc({ run: (args) => run(args as unknown as RunArgs) }, {});
