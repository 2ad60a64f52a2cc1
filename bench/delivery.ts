/**
 * Delivery budget: 100,000 queued emails into a local SMTP server within 2 minutes. Notification
 * and delivery rows are inserted directly (synthetic users and products), then the real notifier
 * (createNotifier + createSmtpMailer, the product's SMTP transport) drains the outbox into a
 * counting smtp-server in its own process. The notifier runs as worker processes do
 * (child/notifier.ts): first one alone on deliveries of its own (what one worker does), then
 * WORKERS of them together on the 100,000 (the budget run), coordinating through row leases. The
 * figure is the time until the server has accepted every message.
 * Baseline: nodemailer sending the same number of messages (rendered by the same renderAlertEmail)
 * straight to the same server from a loop in one process with the same concurrency and the same
 * transport settings as createSmtpMailer: no outbox, no database. Half of it runs before the
 * notifier and half after, so drift in the machine's load over these minutes hits both sides alike.
 */
import nodemailer from 'nodemailer';
import { alertMessageId, renderAlertEmail } from '../src/notify/email.js';
import type { Pool } from '../src/db/pool.js';
import type { BenchContext, SectionOutput } from './context.js';
import { startChild, type ChildHandle } from './lib/child.js';
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
/**
 * Notifier processes in the budget run. The notifier scales by process (DESIGN.md: workers on
 * more machines, coordinating only through row leases); this machine has two cores.
 */
const WORKERS = 2;

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
    maxMessages: maxMessages ?? 1000,
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
  // One notifier process alone first, on deliveries of their own: what one worker does.
  const probe = ctx.quick ? 2_000 : 20_000;
  const timeoutMs = 10 * 60_000;
  const smtp = await startChild(ctx.scope, 'smtp');
  const url = String(smtp.ready.url);
  const db = await ctx.postgres.freshDatabase(ctx.scope, SECTION, 4);
  progress(SECTION, `seeding ${probe + messages} queued deliveries`);
  await seed(db.pool, probe + messages);

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

  const pg = await postgresCpu(db.pool);
  const workerArgs = [
    ...['--db', db.url, '--smtp', url, '--from', FROM, '--public-url', PUBLIC_URL],
    ...['--smtp-pool', String(SMTP_POOL), '--batch', String(BATCH_SIZE)],
    ...['--concurrency', String(CONCURRENCY)],
  ];
  interface Drained {
    claimed: number;
    seconds: number;
    cpuMs: number;
  }
  interface NotifierRun {
    processes: number;
    sent: number;
    seconds: number;
    cpuMs: number[];
    smtpCpu: number;
    pgCpu: number | null;
  }
  /** `processes` notifier workers drain up to `max` each; timed until the server has them all. */
  const notifiers = async (processes: number, max: number, total: number): Promise<NotifierRun> => {
    const workers = await Promise.all(
      Array.from({ length: processes }, () =>
        startChild(ctx.scope, 'notifier', { args: workerArgs }),
      ),
    );
    const before = accepted;
    const smtp0 = await smtpCpu();
    const pg0 = pg.read();
    const t = performance.now();
    const drained = await Promise.all(workers.map((w) => w.call<Drained>('drain', { max })));
    const finalCount = await waitForCount(smtp, before + total, 30_000);
    const seconds = (performance.now() - t) / 1000;
    const pg1 = pg.read();
    await Promise.all(workers.map((w) => w.stop()));
    accepted = finalCount;
    const sent = finalCount - before;
    progress(SECTION, `${processes} notifier process(es): ${sent} into SMTP in ${fmt(seconds)} s`);
    return {
      processes,
      sent,
      seconds,
      cpuMs: drained.map((d) => d.cpuMs),
      smtpCpu: (await smtpCpu()) - smtp0,
      pgCpu: pg0 === null || pg1 === null ? null : pg1 - pg0,
    };
  };

  progress(SECTION, `one notifier process: ${probe} deliveries`);
  const one = await notifiers(1, probe, probe);
  progress(
    SECTION,
    `${WORKERS} notifier processes: draining ${messages} deliveries (batch ${BATCH_SIZE}, concurrency ${CONCURRENCY} each)`,
  );
  const all = await notifiers(WORKERS, Number.MAX_SAFE_INTEGER, messages);
  const { rows } = await db.pool.query<{ state: string; n: number }>(
    'select state, count(*)::int as n from deliveries group by state order by state',
  );
  const states = Object.fromEntries(rows.map((r) => [r.state, r.n]));
  const half2 = await loop('baseline 2/2: nodemailer loop straight to SMTP', messages / 2);
  const baseCount = half1.count + half2.count;
  const baseSeconds = half1.seconds + half2.seconds;

  const rate = all.sent / all.seconds;
  const baseRate = baseCount / baseSeconds;
  // The budget is for 100,000; a --quick run drains fewer and projects.
  const projected = BUDGET_MESSAGES / rate;
  const pct = (ms: number | null, s: number) =>
    ms === null ? '?' : `${Math.round((ms / (s * 1000)) * 100)}%`;
  const loopRow = (label: string, r: LoopRun) => [
    label,
    String(r.count),
    fmt(r.seconds),
    fmt(r.count / r.seconds),
    `${fmt((BUDGET_MESSAGES * r.seconds) / r.count)} s`,
    '1 (the loop)',
    '-',
    pct(r.smtpCpu, r.seconds),
  ];
  const notifierRow = (label: string, r: NotifierRun) => [
    label,
    String(r.sent),
    fmt(r.seconds),
    fmt(r.sent / r.seconds),
    `${fmt((BUDGET_MESSAGES * r.seconds) / Math.max(1, r.sent))} s`,
    r.cpuMs.map((c) => pct(c, r.seconds)).join(' + '),
    fmt(r.cpuMs.reduce((a, b) => a + b, 0) / Math.max(1, r.sent)),
    pct(r.smtpCpu, r.seconds),
  ];
  const table: Table = {
    title: `Delivery: ${messages} emails into a counting smtp-server (own process); each sender a pool of ${SMTP_POOL} SMTP connections (createSmtpMailer)`,
    columns: [
      'run',
      'messages',
      's',
      'messages/s',
      'time for 100k',
      'sender CPU',
      'CPU ms/msg',
      'SMTP server CPU',
    ],
    rows: [
      loopRow('nodemailer loop, no outbox (1st half)', half1),
      loopRow('  variant: maxMessages ∞', variant),
      notifierRow('notifier, one process', one),
      notifierRow(`notifier, ${WORKERS} processes (the budget run)`, all),
      loopRow('nodemailer loop, no outbox (2nd half)', half2),
      loopRow('nodemailer loop, both halves', {
        count: baseCount,
        seconds: baseSeconds,
        smtpCpu: half1.smtpCpu + half2.smtpCpu,
      }),
    ],
    footer: [
      `notifier processes as \`pricehawk worker --roles notifier\` runs them, sharing the outbox through leases: ` +
        `batch ${BATCH_SIZE}, concurrency ${CONCURRENCY} (main.ts uses 50 and 8); deliveries by state ${JSON.stringify(states)}; ` +
        `PostgreSQL CPU ${pct(all.pgCpu, all.seconds)} of a core during the budget run`,
      `sender CPU: share of one core per process; the machine has 2 cores, shared with the SMTP server and PostgreSQL`,
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
          `${messages === BUDGET_MESSAGES ? 'measured' : `projected from ${messages}`} with ${WORKERS} notifier processes: ${fmt(rate)} msg/s ` +
          `(one process ${fmt(one.sent / one.seconds)}, loop ${fmt(baseRate)} in one process); batch ${BATCH_SIZE}, conc ${CONCURRENCY}, ` +
          `${SMTP_POOL} SMTP connections each; sent ${states.sent ?? 0}/${probe + messages}`,
      },
    ],
    details: [table],
    data: {
      messages,
      baseline: { half1, half2 },
      variantMaxMessagesInfinity: variant,
      notifier: { one, all, states },
      batchSize: BATCH_SIZE,
      concurrency: CONCURRENCY,
    },
  };
}
