/**
 * The composition root: builds every dependency from the config and starts the chosen role. Nothing
 * is created at import time anywhere else.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createChecker } from './acquisition/checker.js';
import { localDemoSuggestions, remoteDemoSuggestions } from './catalog/demo-suggestions.js';
import { createFetcher } from './acquisition/fetcher.js';
import { sweep } from './acquisition/sweeper.js';
import type { Config } from './config.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded.js';
import { migrate } from './db/migrate.js';
import { createPool, withDatabase, type Pool } from './db/pool.js';
import { createDemoStore, type DemoStore } from './demo-store/index.js';
import { startLoop, type Loop } from './lifecycle.js';
import { createMailboxMailer, createSmtpMailer, type Mailer } from './notify/mailer.js';
import { createMailOutbox } from './notify/mail-outbox.js';
import {
  channelKey,
  createChannelRegistry,
  digestKinds,
  loadOrCreateChannelSecret,
  loadOrCreateVapidKeys,
  notifyHostRate,
} from './notify/channels/index.js';
import { createNotifier } from './notify/notifier.js';
import { createDigestJob } from './notify/digest/index.js';
import { processResetRequests } from './accounts/index.js';
import type { Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { createStoreRegistry } from './stores/index.js';
import { createPaapiClient, createPaapiSource, isPaapiHost } from './stores/paapi/index.js';
import { buildApp, type App } from './web/app.js';
import type { DemoStoreInfo } from './web/routes/demo.js';

export type Role = 'web' | 'checker' | 'notifier' | 'sweeper' | 'demo-store';
export const WORKER_ROLES: readonly Role[] = ['checker', 'notifier', 'sweeper'];

export interface Running {
  /** Where the web UI and API answer, when the web role runs. */
  readonly url: string | undefined;
  readonly demoStoreUrl: string | undefined;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'pricehawk';
// ui/dist beside the package root, from src/ (tests, tsx) as from dist/src/ (built).
const here = path.dirname(fileURLToPath(import.meta.url));
const UI_DIR = [path.resolve(here, '../ui/dist'), path.resolve(here, '../../ui/dist')].find((d) =>
  existsSync(path.join(d, 'index.html')),
);

/** The embedded server when no DATABASE_URL is set; our own database on it is created once. */
export async function openDatabase(
  config: Config,
  logger: Logger,
): Promise<{ url: string; embedded: EmbeddedPostgres | undefined }> {
  if (config.databaseUrl) return { url: config.databaseUrl, embedded: undefined };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    logger,
    preferredPort: 54329,
  });
  const admin = new pg.Client({ connectionString: embedded.url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [
      DATABASE_NAME,
    ]);
    if (!rowCount) await admin.query(`create database ${DATABASE_NAME}`);
  } finally {
    await admin.end();
  }
  return { url: withDatabase(embedded.url, DATABASE_NAME), embedded };
}

/** What a test may put in place of the real thing (never set in production). */
export interface StartOverrides {
  /** DNS for the fetchers: stand-ins answer for provider names on loopback. */
  readonly resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
  /** The clock of every role (a test moves it to a user's digest hour). */
  readonly clock?: () => Date;
}

export async function start(
  givenConfig: Config,
  logger: Logger,
  roles: ReadonlySet<Role>,
  overrides: StartOverrides = {},
): Promise<Running> {
  // PORT=0 picks a free port; it is picked now, so that every link (emails, unsubscribe) carries it.
  let config = givenConfig;
  if (config.port === 0 && roles.has('web')) {
    const port = await freePort(config.host === '0.0.0.0' ? '127.0.0.1' : config.host);
    config = {
      ...config,
      port,
      publicUrl: config.publicUrlSet ? config.publicUrl : `http://localhost:${port}`,
    };
  }
  const workerId = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const metrics = createMetrics();
  const clock = overrides.clock ?? (() => new Date());
  const random = Math.random;
  const cleanups: Array<() => Promise<void>> = [];
  let ready = false;

  const stopAll = async () => {
    ready = false;
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (err) {
        logger.error({ err }, 'error while stopping');
      }
    }
  };

  try {
    const db = await openDatabase(config, logger);
    if (db.embedded) cleanups.push(() => db.embedded?.stop() ?? Promise.resolve());
    const pool: Pool = createPool(db.url, logger, { max: 20 });
    cleanups.push(() => pool.end());
    const applied = await migrate(pool, logger);
    if (applied > 0) logger.info({ applied }, 'migrations applied');

    let demo: DemoStore | undefined;
    let demoBaseUrl = config.demoStore.url;
    if (roles.has('demo-store')) {
      demo = createDemoStore({
        priceMoves: { enabled: config.demoStore.speed > 0, speed: config.demoStore.speed },
        logger: logger.child({ component: 'demo-store' }),
      });
      const listening = await listenWithFallback(demo, config.demoStore.port, logger);
      demoBaseUrl = listening.url;
      cleanups.push(() => demo?.close() ?? Promise.resolve());
      logger.info({ url: demoBaseUrl }, 'demo store listening');
    }

    const stores = createStoreRegistry({ demoBaseUrl });
    const trusted = [...config.fetch.allowHosts];
    if (demoBaseUrl) trusted.push(new URL(demoBaseUrl).host);
    const fetcher = createFetcher({
      logger,
      acceptsHost: (host) => stores.acceptsHost(host),
      trustedHosts: trusted,
      proxies: config.fetch.proxies,
      hostConcurrency: config.fetch.hostConcurrency,
      hostRatePerSecond: config.fetch.hostRatePerSecond,
      coolDownMs: config.fetch.coolDownMs,
      ...(overrides.resolve ? { resolve: overrides.resolve } : {}),
      // PA-API accounts start at one request a second.
      hostRateFor: (host) => (isPaapiHost(host) ? 1 : undefined),
    });
    cleanups.push(() => fetcher.close());

    const policy = {
      intervalWatchedMs: config.checker.intervalWatchedMs,
      intervalUnwatchedMs: config.checker.intervalUnwatchedMs,
      storeIntervalMs: { demo: config.checker.intervalDemoMs },
      dailyCap: config.alerts.dailyCap,
      furtherDropPercent: config.alerts.furtherDropPercent,
    };
    const bulk = config.paapi
      ? createPaapiSource({
          client: createPaapiClient({
            accessKey: config.paapi.accessKey,
            secretKey: config.paapi.secretKey,
            partnerTag: config.paapi.partnerTag,
            clock,
            send: async (req) => {
              const res = await fetcher.fetch({
                url: req.url,
                method: 'POST',
                body: req.body,
                headers: { ...req.headers, accept: 'application/json' },
                maxBytes: 2 * 1024 * 1024,
              });
              return { status: res.status, body: res.body, headers: res.headers };
            },
          }),
          marketplaces: config.paapi.marketplaces,
          logger,
          clock,
        })
      : undefined;
    const checker = createChecker({
      pool,
      fetcher,
      stores,
      logger,
      metrics,
      clock,
      random,
      workerId,
      policy,
      batchSize: config.checker.batchSize,
      concurrency: config.checker.concurrency,
      leaseMs: config.leaseMs,
      bulk,
    });

    const loops: Loop[] = [];

    if (roles.has('checker')) {
      loops.push(
        startLoop({
          name: 'checker',
          logger,
          idleMs: config.pollMs,
          tick: (s) => checker.runBatch(s),
        }),
      );
    }

    const mailer: Mailer = config.smtpUrl
      ? createSmtpMailer(config.smtpUrl, config.mailFrom, config.smtpPoolSize)
      : createMailboxMailer(pool);
    cleanups.push(() => mailer.close());

    // Alerts leave through their channels. Providers' APIs get a fetcher of their own: the SSRF
    // guard is the same, the per-host politeness toward stores is not (it would throttle every
    // Telegram alert of the instance to two a second), and the outbox does the retrying.
    const channelSecret = await loadOrCreateChannelSecret(pool);
    const vapid = await loadOrCreateVapidKeys(pool);
    const channels = createChannelRegistry({
      email: { mailer, unsubscribeKey: channelKey(channelSecret, 'unsubscribe') },
      webpush: { vapid, subject: config.channels.vapidSubject },
      ...(config.channels.twilio ? { sms: config.channels.twilio } : {}),
      telegram: { apiBase: config.channels.telegramApiUrl },
      ntfy: { defaultServer: config.channels.ntfyDefaultServer },
    });
    const notifyFetcher = createFetcher({
      logger,
      acceptsHost: () => true,
      trustedHosts: config.fetch.allowHosts,
      retries: 0,
      hostConcurrency: 16,
      hostRatePerSecond: 5,
      hostRateFor: notifyHostRate,
      timeoutMs: 15_000,
      maxBytes: 256 * 1024,
      ...(overrides.resolve ? { resolve: overrides.resolve } : {}),
    });
    cleanups.push(() => notifyFetcher.close());
    cleanups.push(async () => {
      // Stop claiming first; each loop finishes its tick and releases what it did not start.
      await Promise.all(loops.map((l) => l.stop()));
    });
    if (roles.has('notifier')) {
      const notifier = createNotifier({
        pool,
        channels,
        fetcher: notifyFetcher,
        logger,
        metrics,
        clock,
        random,
        workerId,
        publicUrl: config.publicUrl,
        batchSize: 100,
        concurrency: 32,
        leaseMs: config.leaseMs,
        retryBaseMs: config.delivery.retryBaseMs,
        maxAttempts: config.delivery.maxAttempts,
        // As many emails at once as the SMTP pool has connections.
        channelConcurrency: { email: config.smtpPoolSize },
      });
      const mailOutbox = createMailOutbox({
        pool,
        mailer,
        logger,
        metrics,
        clock,
        random,
        workerId,
        batchSize: 50,
        concurrency: 4,
        leaseMs: config.leaseMs,
        retryBaseMs: config.delivery.retryBaseMs,
        maxAttempts: config.delivery.maxAttempts,
      });
      loops.push(
        startLoop({
          name: 'notifier',
          logger,
          idleMs: config.pollMs,
          tick: async (s) =>
            (await processResetRequests(pool, { publicUrl: config.publicUrl, now: clock() })) +
            (await notifier.runBatch(s)) +
            (await mailOutbox.runBatch(s)),
        }),
      );
      // Daily digests are built here, beside the outbox they feed: the notifier knows which
      // channels can carry one, scales out like the sending, and polls often enough that a
      // digest goes at its hour (a due check is one probe of a small index).
      const digests = createDigestJob({
        pool,
        logger,
        clock,
        batchSize: 200,
        summaryKinds: digestKinds(channels).filter((k) => k !== 'email'),
      });
      loops.push(
        startLoop({
          name: 'digest',
          logger,
          idleMs: config.pollMs,
          tick: (s) => digests.runBatch(s),
        }),
      );
    }

    if (roles.has('sweeper')) {
      loops.push(
        startLoop({
          name: 'sweeper',
          logger,
          idleMs: 60_000,
          tick: async () => {
            await sweep({
              pool,
              logger,
              metrics,
              clock,
              intervalWatchedMs: config.checker.intervalWatchedMs,
              staleAfterIntervals: 3,
              unwatchedRetentionMs: 30 * 86_400_000,
            });
            return 0;
          },
        }),
      );
    }

    let app: App | undefined;
    let url: string | undefined;
    if (roles.has('web')) {
      const demoInfo: DemoStoreInfo | undefined = !demoBaseUrl
        ? undefined
        : demo
          ? localDemoSuggestions(demo, demoBaseUrl)
          : remoteDemoSuggestions(demoBaseUrl, fetcher, clock);
      app = await buildApp({
        pool,
        logger,
        metrics,
        clock,
        checker,
        fetcher,
        stores,
        publicUrl: config.publicUrl,
        trustProxy: config.trustProxy,
        intervalWatchedMs: config.checker.intervalWatchedMs,
        limits: config.limits,
        adminEmails: config.adminEmails,
        channels: {
          registry: channels,
          fetcher: notifyFetcher,
          unsubscribeKey: channelKey(channelSecret, 'unsubscribe'),
          phoneCodeKey: channelKey(channelSecret, 'phone-code'),
          vapidPublicKey: vapid.publicKey,
        },
        mailboxEnabled: mailer.kind === 'mailbox',
        demoStore: demoInfo,
        uiDir: UI_DIR,
        ready: () => ready,
      });
      try {
        await app.listen({ port: config.port, host: config.host });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new Error(`port ${config.port} is already in use: set PORT to another port`, {
            cause: err,
          });
        }
        throw err;
      }
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      url = `http://localhost:${port}`;
      // Stop accepting and finish in-flight requests before the workers and the pool go.
      const web = app;
      cleanups.push(() => web.close());
    }

    ready = true;
    return { url, demoStoreUrl: demoBaseUrl, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function listenWithFallback(
  demo: DemoStore,
  port: number,
  logger: Logger,
): Promise<{ url: string }> {
  try {
    return await demo.listen(port, '127.0.0.1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
    logger.warn({ port }, 'demo store port in use; using a free port instead');
    return demo.listen(0, '127.0.0.1');
  }
}

/**
 * Runs until SIGTERM or SIGINT, then shuts down in order: stop claiming work, release leases,
 * finish requests, close the pool and the embedded database. A second signal forces the exit.
 */
export function stopOnSignals(running: Running, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // A bug that escapes every handler still shuts down in order (leases released, database
  // stopped) before the process exits with an error.
  const onFatal = (err: unknown) => {
    logger.fatal({ err }, 'uncaught error: shutting down');
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => process.exit(1),
      () => process.exit(1),
    );
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
}
