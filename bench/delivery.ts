/**
 * Delivery budget: 100,000 queued emails into a local SMTP server within 2 minutes. Notification
 * and delivery rows are inserted directly (synthetic users and products), then the real notifier
 * (createNotifier + createSmtpMailer, the product's SMTP transport) drains the outbox into a
 * counting smtp-server in its own process. The figure is the time until the server has accepted
 * every message.
 * Baseline: nodemailer sending the same number of messages (rendered by the same renderAlertEmail)
 * straight to the same server from a loop with the same concurrency and the same transport
 * settings as createSmtpMailer: no outbox, no database. Half of it runs before the notifier and
 * half after, so drift in the machine's load over these minutes hits both sides alike.
 */
import nodemailer from 'nodemailer';
import { createFetcher } from '../src/acquisition/fetcher.js';
import {
  channelKey,
  createChannelRegistry,
  loadOrCreateChannelSecret,
} from '../src/notify/channels/index.js';
import { createSmtpMailer } from '../src/notify/mailer.js';
import { createNotifier } from '../src/notify/notifier.js';
import { alertMessageId, renderAlertEmail } from '../src/notify/email.js';
import { createMetrics } from '../src/observability/metrics.js';
import type { Pool } from '../src/db/pool.js';
import type { BenchContext, SectionOutput } from './context.js';
import { startChild, type ChildHandle } from './lib/child.js';
import { benchLogger } from './lib/logger.js';
import { postgresCpu } from './lib/proc-cpu.js';
import { progress } from './lib/progress.js';
import { fmt, type Table } from './lib/report.js';

const SECTION = 'delivery';
const BATCH_SIZE = 500;
const CONCURRENCY = 64;
/** SMTP connections, the same for the notifier's mailer and the baseline (the product's default). */
const SMTP_POOL = 8;
const FROM = 'Pricehawk <alerts@pricehawk.localhost>';
const PUBLIC_URL = 'http://localhost:3000';
const BUDGET_MESSAGES = 100_000;
const BUDGET_SECONDS = 120;

async function seed(pool: Pool, messages: number): Promise<void> {
  await pool.query(
    `insert into users (email, name, password_hash, email_verified_at)
     select 'mail' || g || '@example.test', 'Reader ' || g, 'not-a-hash', now() from generate_series(1, 10000) g`,
  );
  await pool.query(
    `insert into products (store, marketplace, external_id, url, title, currency, price_buybox)
     select 'demo', 'demo.com', 'M' || lpad(g::text, 9, '0'), 'http://demo.invalid/com/dp/M' || g,
            'Bench product ' || g || ' with a title about as long as a real one, 2-pack', 'USD', 8500
       from generate_series(1, 1000) g`,
  );
  await pool.query(
    `insert into notifications (user_id, product_id, kind, price_type, price_minor, previous_minor, currency)
     select (g % 10000) + 1, (g % 1000) + 1, 'price_drop', 'buybox', 8500, 10000, 'USD'
       from generate_series(1, $1) g`,
    [messages],
  );
  await pool.query(
    `insert into deliveries (notification_id, channel, destination, next_attempt_at)
     select n.id, 'email', u.email, now() - interval '1 second'
       from notifications n join users u on u.id = n.user_id`,
  );
  await pool.query('vacuum analyze');
}

async function waitForCount(smtp: ChildHandle, target: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { count } = await smtp.call<{ count: number }>('count');
    if (count >= target || performance.now() > deadline) return count;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * nodemailer straight to the server: `CONCURRENCY` sendMail calls in flight, no outbox. By default
 * with the transport options of createSmtpMailer (src/notify/mailer.ts); `maxMessages` varies
 * one of them to show what it costs (nodemailer's pool reconnects after 100 messages by default).
 */
async function baseline(
  url: string,
  messages: number,
  firstId: number,
  maxMessages?: number,
): Promise<void> {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: SMTP_POOL,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(maxMessages === undefined ? {} : { maxMessages }),
  });
  let next = firstId;
  const last = firstId + messages - 1;
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let id = next++; id <= last; id = next++) {
          const mail = renderAlertEmail({
            notificationId: id,
            kind: 'price_drop',
            to: `mail${id % 10000}@example.test`,
            userName: `Reader ${id % 10000}`,
            locale: 'en-US',
            productId: (id % 1000) + 1,
            productTitle: `Bench product ${(id % 1000) + 1} with a title about as long as a real one, 2-pack`,
            productUrl: `http://demo.invalid/com/dp/M${id}`,
            imageUrl: null,
            price: { minor: 8_500, currency: 'USD' },
            previous: { minor: 10_000, currency: 'USD' },
            target: null,
            publicUrl: PUBLIC_URL,
          });
          await transport.sendMail({
            from: FROM,
            to: `mail${id % 10000}@example.test`,
            subject: mail.subject,
            text: mail.text,
            html: mail.html,
            messageId: alertMessageId(id, 'email', PUBLIC_URL),
            headers: {},
          });
        }
      }),
    );
  } finally {
    transport.close();
  }
}

export async function delivery(ctx: BenchContext): Promise<SectionOutput> {
  const messages = ctx.quick ? 5_000 : BUDGET_MESSAGES;
  const timeoutMs = 10 * 60_000;
  const smtp = await startChild(ctx.scope, 'smtp');
  const url = String(smtp.ready.url);
  const db = await ctx.postgres.freshDatabase(ctx.scope, SECTION, CONCURRENCY + 4);
  progress(SECTION, `seeding ${messages} queued deliveries`);
  await seed(db.pool, messages);

  // Messages the SMTP server has accepted so far, over every run of this section.
  let accepted = 0;
  let nextId = 1;
  const smtpCpu = async () => (await smtp.call<{ cpuMs: number }>('cpu')).cpuMs;
  interface LoopRun {
    count: number;
    seconds: number;
    smtpCpu: number;
  }
  const loop = async (label: string, n: number, maxMessages?: number): Promise<LoopRun> => {
    progress(SECTION, `${label}: ${n} messages`);
    const cpu0 = await smtpCpu();
    const t0 = performance.now();
    await baseline(url, n, nextId, maxMessages);
    nextId += n;
    const count = (await waitForCount(smtp, accepted + n, timeoutMs)) - accepted;
    accepted += count;
    const seconds = (performance.now() - t0) / 1000;
    progress(SECTION, `${label}: ${count} in ${fmt(seconds)} s`);
    return { count, seconds, smtpCpu: (await smtpCpu()) - cpu0 };
  };

  // The baseline runs in two halves, before and after the notifier, so that a change in the
  // machine's load during this long section weighs on both sides alike.
  const half1 = await loop('baseline 1/2: nodemailer loop straight to SMTP', messages / 2);
  // A variant on fewer messages: the same loop with nodemailer's pool never reconnecting.
  const variant = await loop(
    'variant: nodemailer loop with maxMessages: Infinity',
    Math.min(messages, 20_000),
    Infinity,
  );
  const before = accepted;
  const pg = await postgresCpu(db.pool);
  const mailer = createSmtpMailer(url, FROM, SMTP_POOL);
  ctx.scope.defer('mailer', () => mailer.close());
  const secret = await loadOrCreateChannelSecret(db.pool);
  const channels = createChannelRegistry({
    email: { mailer, unsubscribeKey: channelKey(secret, 'unsubscribe') },
  });
  const fetcher = createFetcher({ logger: benchLogger(), acceptsHost: () => true, retries: 0 });
  ctx.scope.defer('notify fetcher', () => fetcher.close());
  const notifier = createNotifier({
    pool: db.pool,
    channels,
    fetcher,
    channelConcurrency: { email: SMTP_POOL },
    logger: benchLogger(),
    metrics: createMetrics(),
    clock: () => new Date(),
    random: Math.random,
    workerId: `bench-notifier-${process.pid}`,
    publicUrl: PUBLIC_URL,
    batchSize: BATCH_SIZE,
    concurrency: CONCURRENCY,
    leaseMs: 120_000,
    retryBaseMs: 30_000,
    maxAttempts: 12,
  });
  progress(
    SECTION,
    `notifier: draining ${messages} deliveries (batch ${BATCH_SIZE}, concurrency ${CONCURRENCY})`,
  );
  const cpu = process.cpuUsage();
  const pgBefore = pg.read();
  const smtpCpuBefore = await smtpCpu();
  const t = performance.now();
  let claimed = 0;
  for (;;) {
    const n = await notifier.runBatch();
    if (n === 0) break;
    claimed += n;
    if (claimed % 20_000 < BATCH_SIZE) progress(SECTION, `notifier: ${claimed} claimed`);
    if (performance.now() - t > timeoutMs) break;
  }
  const target = before + messages;
  const finalCount = await waitForCount(smtp, target, 30_000);
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const pgAfter = pg.read();
  const notifierSmtpCpu = (await smtpCpu()) - smtpCpuBefore;
  const { rows } = await db.pool.query<{ state: string; n: number }>(
    'select state, count(*)::int as n from deliveries group by state order by state',
  );
  const states = Object.fromEntries(rows.map((r) => [r.state, r.n]));
  const sent = finalCount - before;
  accepted = finalCount;
  progress(SECTION, `notifier: ${sent} into SMTP in ${fmt(seconds)} s`);
  const half2 = await loop('baseline 2/2: nodemailer loop straight to SMTP', messages / 2);
  const baseCount = half1.count + half2.count;
  const baseSeconds = half1.seconds + half2.seconds;

  const rate = sent / seconds;
  const baseRate = baseCount / baseSeconds;
  // The budget is for 100,000; a --quick run drains fewer and projects.
  const projected = BUDGET_MESSAGES / rate;
  const pct = (ms: number | null, s = seconds) =>
    ms === null ? '?' : `${Math.round((ms / (s * 1000)) * 100)}%`;
  const loopRow = (label: string, r: LoopRun) => [
    label,
    String(r.count),
    fmt(r.seconds),
    fmt(r.count / r.seconds),
    `${fmt((BUDGET_MESSAGES * r.seconds) / r.count)} s`,
    pct(r.smtpCpu, r.seconds),
  ];
  const table: Table = {
    title: `Delivery: ${messages} emails into a counting smtp-server (own process); transport pool of ${SMTP_POOL} SMTP connections (createSmtpMailer)`,
    columns: ['run', 'messages', 's', 'messages/s', 'time for 100k', 'SMTP server CPU'],
    rows: [
      loopRow('nodemailer loop, no outbox (1st half)', half1),
      loopRow('  variant: maxMessages ∞', variant),
      [
        'notifier (outbox)',
        String(sent),
        fmt(seconds),
        fmt(rate),
        `${fmt(projected)} s`,
        pct(notifierSmtpCpu),
      ],
      loopRow('nodemailer loop, no outbox (2nd half)', half2),
      loopRow('nodemailer loop, both halves', {
        count: baseCount,
        seconds: baseSeconds,
        smtpCpu: half1.smtpCpu + half2.smtpCpu,
      }),
    ],
    footer: [
      `notifier: batch ${BATCH_SIZE}, concurrency ${CONCURRENCY} (main.ts uses 50 and 8); deliveries by state ${JSON.stringify(states)}; ` +
        `bench process CPU ${pct((used.user + used.system) / 1000)}, PostgreSQL CPU ${pct(pgBefore === null || pgAfter === null ? null : pgAfter - pgBefore)} of a core`,
    ],
  };
  return {
    rows: [
      {
        section: SECTION,
        name: `time for ${BUDGET_MESSAGES.toLocaleString('en-US')} emails`,
        figure: { value: projected, unit: 's' },
        budget: { op: '<=', value: BUDGET_SECONDS },
        baseline: {
          name: 'nodemailer loop',
          figure: { value: BUDGET_MESSAGES / baseRate, unit: 's' },
        },
        ratio: { label: 'notifier/loop time', value: projected / (BUDGET_MESSAGES / baseRate) },
        notes:
          `${messages === BUDGET_MESSAGES ? 'measured' : `projected from ${messages}`}: ${fmt(rate)} msg/s ` +
          `(loop ${fmt(baseRate)}); batch ${BATCH_SIZE}, conc ${CONCURRENCY}, ${SMTP_POOL} SMTP connections; sent ${states.sent ?? 0}/${messages}`,
      },
    ],
    details: [table],
    data: {
      messages,
      baseline: { half1, half2 },
      variantMaxMessagesInfinity: variant,
      notifier: { sent, seconds, states },
      batchSize: BATCH_SIZE,
      concurrency: CONCURRENCY,
    },
  };
}
