/**
 * One notifier worker process, as `pricehawk worker --roles notifier` runs it: the real
 * createNotifier with the product's SMTP mailer (createSmtpMailer) and its own database pool,
 * claiming from the shared outbox with leases (FOR UPDATE SKIP LOCKED), so that several of these
 * drain one outbox together the way notifier processes on several machines (or cores) do.
 *
 * `drain` runs batches until one comes back empty or `max` deliveries have been claimed, and
 * reports what it claimed and the CPU it used doing so.
 */
import { createFetcher } from '../../src/acquisition/fetcher.js';
import { createPool } from '../../src/db/pool.js';
import {
  channelKey,
  createChannelRegistry,
  loadOrCreateChannelSecret,
} from '../../src/notify/channels/index.js';
import { createSmtpMailer } from '../../src/notify/mailer.js';
import { createNotifier } from '../../src/notify/notifier.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { benchLogger } from '../lib/logger.js';
import { argValue, serveIpc } from '../lib/serve-ipc.js';

const dbUrl = argValue('db');
const smtpUrl = argValue('smtp');
const from = argValue('from');
const publicUrl = argValue('public-url');
const smtpPool = Number(argValue('smtp-pool'));
const batchSize = Number(argValue('batch'));
const concurrency = Number(argValue('concurrency'));

const logger = benchLogger();
const pool = createPool(dbUrl, logger, { max: 4, application: 'bench-notifier' });
const mailer = createSmtpMailer(smtpUrl, from, smtpPool);
const fetcher = createFetcher({ logger, acceptsHost: () => true, retries: 0 });
const secret = await loadOrCreateChannelSecret(pool);
const notifier = createNotifier({
  pool,
  channels: createChannelRegistry({
    email: { mailer, unsubscribeKey: channelKey(secret, 'unsubscribe') },
  }),
  fetcher,
  channelConcurrency: { email: smtpPool },
  logger,
  metrics: createMetrics(),
  clock: () => new Date(),
  random: Math.random,
  workerId: `bench-notifier-${process.pid}`,
  publicUrl,
  batchSize,
  concurrency,
  leaseMs: 120_000,
  retryBaseMs: 30_000,
  maxAttempts: 12,
});

async function drain(args: Record<string, unknown>) {
  const max = Number(args.max ?? Number.MAX_SAFE_INTEGER);
  const cpu = process.cpuUsage();
  const t = performance.now();
  let claimed = 0;
  while (claimed < max) {
    const n = await notifier.runBatch();
    if (n === 0) break;
    claimed += n;
  }
  const used = process.cpuUsage(cpu);
  return {
    claimed,
    seconds: (performance.now() - t) / 1000,
    cpuMs: (used.user + used.system) / 1000,
  };
}

serveIpc({ drain }, {}, async () => {
  await mailer.close();
  await fetcher.close();
  await pool.end();
});
