/**
 * The web app with the catalogue routes of issue 6 (search, deals, feeds) registered, for the
 * catalog*.test.ts files. Built from the same parts as `start()` in src/main.ts, on a cloned test
 * database, with the demo store in process, Amazon's search pages answered by a stand-in and the
 * deals answer never cached.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createChecker } from '../../src/acquisition/checker.js';
import { createFetcher } from '../../src/acquisition/fetcher.js';
import { createStoreSearcher } from '../../src/catalog/index.js';
import { localDemoSuggestions } from '../../src/catalog/demo-suggestions.js';
import { createDemoStore, type DemoStore } from '../../src/demo-store/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createStoreRegistry } from '../../src/stores/index.js';
import { buildApp, type App, type WebDeps } from '../../src/web/app.js';
import type { TestDatabase } from '../helpers/db.js';

export const PUBLIC_URL = 'http://pricehawk.test';

export interface CatalogApp {
  readonly url: string;
  readonly demoStoreUrl: string;
  readonly demo: DemoStore;
  readonly app: App;
  stop(): Promise<void>;
}

export interface CatalogAppOptions {
  /** Default: the real time. */
  readonly clock?: () => Date;
  /** Where Amazon's search pages are fetched from (a stand-in), by marketplace host. */
  readonly amazonSearchUrl?: (host: string, q: string) => string;
  /** Extra hosts the fetcher may reach (stand-ins on loopback). */
  readonly trustedHosts?: readonly string[];
  readonly storeTimeoutMs?: number;
}

export async function startCatalogApp(
  db: TestDatabase,
  opts: CatalogAppOptions = {},
): Promise<CatalogApp> {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const metrics = createMetrics();
  const clock = opts.clock ?? (() => new Date());
  const demo = createDemoStore({ priceMoves: { enabled: false, speed: 0 } });
  const { url: demoStoreUrl } = await demo.listen(0, '127.0.0.1');
  const stores = createStoreRegistry({ demoBaseUrl: demoStoreUrl });
  const fetcher = createFetcher({
    logger,
    acceptsHost: (host) => stores.acceptsHost(host),
    trustedHosts: [new URL(demoStoreUrl).host, ...(opts.trustedHosts ?? [])],
    retries: 0,
  });
  const checker = createChecker({
    pool: db.pool,
    fetcher,
    stores,
    logger,
    metrics,
    clock,
    random: Math.random,
    workerId: 'catalog-test',
    policy: {
      intervalWatchedMs: 3_600_000,
      intervalUnwatchedMs: 86_400_000,
      dailyCap: 3,
      furtherDropPercent: 5,
    },
    batchSize: 10,
    concurrency: 4,
    leaseMs: 60_000,
  });
  const deps: WebDeps = {
    pool: db.pool,
    logger,
    metrics,
    clock,
    checker,
    fetcher,
    stores,
    publicUrl: PUBLIC_URL,
    trustProxy: false,
    intervalWatchedMs: 3_600_000,
    mailboxEnabled: true,
    demoStore: localDemoSuggestions(demo, demoStoreUrl),
    uiDir: undefined,
    limits: { signupPerHour: 10_000, loginPerMinute: 10_000 },
    adminEmails: [],
    ready: () => true,
  };
  const storeSearcher = createStoreSearcher({
    fetcher,
    stores,
    logger,
    clock,
    demoBaseUrl: demoStoreUrl,
    timeoutMs: opts.storeTimeoutMs,
    amazonSearchUrl: opts.amazonSearchUrl,
  });
  const app = await buildApp({
    ...deps,
    catalog: { search: { storeSearcher }, deals: { cacheMs: 0 } },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    demoStoreUrl,
    demo,
    app,
    async stop() {
      await app.close();
      await fetcher.close();
      await demo.close();
    },
  };
}

/** A loopback HTTP server answering with `handle`; requests it leaves unanswered hang. */
export async function startStandIn(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ url: string; host: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = http.createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export { xmlProblem } from '../../src/catalog/testing/well-formed.js';
