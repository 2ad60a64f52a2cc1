/**
 * The digest job against real PostgreSQL, with an injected clock, and the notifier sending what it
 * built to a real SMTP server. Alerts are written as acquisition/apply.ts writes them for a user
 * with the digest on: a notification with no delivery.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { startTestSmtp, type TestSmtp } from '../../../test/helpers/smtp.js';
import { createFetcher } from '../../acquisition/fetcher.js';
import { updateProfile, type NotificationPrefs } from '../../accounts/index.js';
import type { Pool } from '../../db/pool.js';
import { createLogger } from '../../observability/logger.js';
import { createMetrics } from '../../observability/metrics.js';
import { channelKey, createChannelRegistry, type ChannelKind } from '../channels/index.js';
import { createSmtpMailer, type Mailer } from '../mailer.js';
import { createNotifier } from '../notifier.js';
import { createDigestJob, loadDigestAlerts } from './index.js';

const silent = createLogger('silent');
const NY = 'America/New_York'; // UTC-5 in January
const EST = (hhmm: string, day = '2031-01-15') => new Date(`${day}T${hhmm}:00-05:00`);

describe('digest job', () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  let db: TestDatabase;
  let now: Date;
  const clock = () => new Date(now);

  beforeAll(async () => {
    smtp = await startTestSmtp();
    mailer = createSmtpMailer(smtp.url, 'Pricehawk <alerts@pricehawk.example>', 2);
  });
  afterAll(async () => {
    await mailer?.close();
    await smtp?.stop();
  });
  beforeEach(async () => {
    db = await createTestDatabase();
    smtp.messages.length = 0;
    now = EST('05:00');
  });
  afterEach(() => db.drop());

  const job = (opts: { summaryKinds?: ChannelKind[]; pool?: Pool; batchSize?: number } = {}) =>
    createDigestJob({
      pool: opts.pool ?? db.pool,
      logger: silent,
      clock,
      batchSize: opts.batchSize ?? 100,
      summaryKinds: opts.summaryKinds ?? [],
    });

  const notifier = (workerId = 'w1') =>
    createNotifier({
      pool: db.pool,
      channels: createChannelRegistry({
        email: { mailer, unsubscribeKey: channelKey(randomBytes(32), 'unsubscribe') },
      }),
      fetcher: createFetcher({ logger: silent, acceptsHost: () => true, retries: 0 }),
      logger: silent,
      metrics: createMetrics(),
      clock,
      random: () => 0.5,
      workerId,
      publicUrl: 'https://pricehawk.example',
      batchSize: 50,
      concurrency: 4,
      leaseMs: 60_000,
      retryBaseMs: 1000,
      maxAttempts: 5,
    });

  /** Runs the notifier until it finds nothing to send; returns how many it claimed. */
  const drain = async (n = notifier()) => {
    let total = 0;
    for (let k = await n.runBatch(); k > 0; k = await n.runBatch()) total += k;
    return total;
  };

  const prefs = (digest: NotificationPrefs['digest'], quietHours = null as null | object) =>
    ({
      channels: { email: { enabled: true } },
      quietHours,
      ...(digest ? { digest } : {}),
    }) as NotificationPrefs;

  let users = 0;
  /** A confirmed user in `tz` with the digest at `hour`, switched on now through updateProfile. */
  async function makeUser(
    opts: { tz?: string; hour?: number; verified?: boolean; quietHours?: object | null } = {},
  ): Promise<number> {
    users++;
    const { rows } = await db.pool.query<{ id: number }>(
      `insert into users (email, name, password_hash, email_verified_at, time_zone)
       values ($1, $2, 'x', $3, $4) returning id`,
      [
        `u${users}@example.com`,
        `User ${users}`,
        opts.verified === false ? null : now,
        opts.tz ?? NY,
      ],
    );
    const id = rows[0]?.id as number;
    await updateProfile(
      db.pool,
      id,
      {
        notificationPrefs: prefs({ enabled: true, hour: opts.hour ?? 8 }, opts.quietHours ?? null),
      },
      now,
    );
    return id;
  }

  let products = 0;
  async function makeProduct(title = 'Kettle <b>hot</b>'): Promise<number> {
    products++;
    const { rows } = await db.pool.query<{ id: number }>(
      `insert into products (store, marketplace, external_id, url, title, image_url, currency)
       values ('demo', 'demo.de', $1, $2, $3, 'https://img.example/k.jpg', 'EUR') returning id`,
      [`P${products}`, `https://demo.example/dp/P${products}`, title],
    );
    return rows[0]?.id as number;
  }

  /** An alert as apply.ts writes it for a digest user: the notification, no delivery. */
  async function alert(
    userId: number,
    productId: number,
    priceMinor: number,
    previousMinor: number,
    at = now,
  ): Promise<number> {
    const { rows } = await db.pool.query<{ id: number }>(
      `insert into notifications (user_id, product_id, kind, price_type, price_minor,
         previous_minor, currency, created_at)
       values ($1, $2, 'price_drop', 'buybox', $3, $4, 'EUR', $5) returning id`,
      [userId, productId, priceMinor, previousMinor, at],
    );
    return rows[0]?.id as number;
  }

  const digestsOf = async (userId: number) =>
    (
      await db.pool.query<{ id: number; local_day: string; n: number }>(
        `select g.id, g.local_day::text as local_day,
                (select count(*)::int from notifications n where n.digest_id = g.id) as n
           from digests g where g.user_id = $1 order by g.local_day`,
        [userId],
      )
    ).rows;
  const deliveries = async () =>
    (
      await db.pool.query<{ digest_id: number; channel: string; next_attempt_at: Date }>(
        `select digest_id, channel, next_attempt_at from deliveries order by id`,
      )
    ).rows;
  const schedule = async (userId: number) =>
    (
      await db.pool.query<{ enabled: boolean; due_day: string; due_at: Date }>(
        `select enabled, due_day::text as due_day, due_at from digest_schedules where user_id = $1`,
        [userId],
      )
    ).rows[0];

  it('holds alerts until the hour, then sends one digest with all of them, and nothing twice', async () => {
    const u = await makeUser();
    const p = await makeProduct();
    expect(await schedule(u)).toMatchObject({ enabled: true, due_day: '2031-01-15' });
    expect((await schedule(u))?.due_at).toEqual(EST('08:00'));
    await alert(u, p, 15_000, 20_000, EST('05:10'));
    await alert(u, p, 12_999, 15_000, EST('06:30'));
    // Evaluated just before the digest was on: it went out at once, so it is not in the digest.
    const sentAlready = await alert(u, p, 20_000, 21_000, EST('04:59'));
    await db.pool.query(
      `insert into deliveries (notification_id, channel, destination, state)
       values ($1, 'email', 'u1@example.com', 'sent')`,
      [sentAlready],
    );

    now = EST('07:59');
    expect(await job().runBatch()).toBe(0);
    expect(await digestsOf(u)).toEqual([]);

    now = EST('08:00');
    expect(await job().runBatch()).toBe(1);
    const [d] = await digestsOf(u);
    expect(d).toMatchObject({ local_day: '2031-01-15', n: 2 });
    expect((await deliveries()).filter((r) => r.digest_id !== null)).toEqual([
      { digest_id: d?.id, channel: 'email', next_attempt_at: EST('08:00') },
    ]);
    // The same day, again and again: nothing.
    expect(await job().runBatch()).toBe(0);
    now = EST('23:59');
    expect(await job().runBatch()).toBe(0);
    expect(await digestsOf(u)).toHaveLength(1);
    expect(await schedule(u)).toMatchObject({ due_day: '2031-01-16' });

    expect(await drain()).toBe(1);
    expect(await drain()).toBe(0);
    expect(smtp.messages).toHaveLength(1);
    const mail = smtp.messages[0];
    expect(mail?.to).toBe('u1@example.com');
    expect(mail?.messageId).toBe(`<digest-${u}-2031-01-15@pricehawk.example>`);
    expect(mail?.text).toContain('€150.00 (was €200.00, down €50.00 or 25%)');
    expect(mail?.text).toContain('€129.99 (was €150.00, down €20.01 or 13%)');
    expect(mail?.html).toContain('Kettle &lt;b&gt;hot&lt;/b&gt;');
    expect(mail?.html).not.toContain('<b>hot</b>');
    expect(mail?.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
  });

  it('leaves an alert committed while the digest is built for the next day’s digest', async () => {
    const u = await makeUser();
    const p = await makeProduct();
    await alert(u, p, 15_000, 20_000, EST('07:00'));
    // An apply transaction still open while the digest is built.
    const late = await db.pool.connect();
    try {
      await late.query('begin');
      await late.query(
        `insert into notifications (user_id, product_id, kind, price_type, price_minor,
           previous_minor, currency, created_at)
         values ($1, $2, 'price_drop', 'buybox', 14000, 15000, 'EUR', $3)`,
        [u, p, EST('07:59')],
      );
      now = EST('08:00');
      expect(await job().runBatch()).toBe(1);
      await late.query('commit');
    } finally {
      late.release();
    }
    expect((await digestsOf(u)).map((d) => d.n)).toEqual([1]);
    now = EST('08:00', '2031-01-16');
    expect(await job().runBatch()).toBe(1);
    expect((await digestsOf(u)).map((d) => [d.local_day, d.n])).toEqual([
      ['2031-01-15', 1],
      ['2031-01-16', 1],
    ]);
    const { rows } = await db.pool.query<{ n: number }>(
      'select count(*)::int as n from notifications where digest_id is null',
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('leaves nothing behind when the build fails half-way, and builds it once on the next run', async () => {
    const u = await makeUser();
    const p = await makeProduct();
    await alert(u, p, 15_000, 20_000);
    now = EST('08:00');
    // A pool whose connections fail at the outbox insert, as if the process died there.
    const failing = {
      connect: async () => {
        const client = await db.pool.connect();
        const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
        return Object.assign(Object.create(client) as object, {
          query: (...args: unknown[]) =>
            typeof args[0] === 'string' && args[0].includes('insert into deliveries')
              ? Promise.reject(new Error('killed'))
              : query(...args),
          release: () => client.release(),
        });
      },
    } as unknown as Pool;
    await expect(job({ pool: failing }).runBatch()).rejects.toThrow('killed');
    expect(await digestsOf(u)).toEqual([]);
    expect(await deliveries()).toEqual([]);
    expect(await schedule(u)).toMatchObject({ due_day: '2031-01-15' });

    expect(await job().runBatch()).toBe(1);
    expect((await digestsOf(u)).map((d) => d.n)).toEqual([1]);
    expect(await deliveries()).toHaveLength(1);
  });

  it('sends the digest once when the worker dies between building and sending', async () => {
    const u = await makeUser();
    const p = await makeProduct();
    await alert(u, p, 15_000, 20_000);
    now = EST('08:00');
    expect(await job().runBatch()).toBe(1);
    // A notifier claimed the delivery, then died before sending it: its lease runs out.
    const claimed = await db.pool.query(
      `update deliveries set state = 'sending', lease_owner = 'dead', lease_until = $1,
         attempts = 1 where digest_id is not null`,
      [new Date(now.getTime() + 60_000)],
    );
    expect(claimed.rowCount).toBe(1);
    now = new Date(EST('08:00').getTime() + 30_000);
    expect(await job().runBatch()).toBe(0); // the digest job does not build it again
    expect(await drain(notifier('w2'))).toBe(0); // nor is it sent while the lease holds
    expect(smtp.messages).toHaveLength(0);
    now = EST('08:02');
    expect(await job().runBatch()).toBe(0);
    expect(await drain(notifier('w2'))).toBe(1);
    expect(await drain(notifier('w3'))).toBe(0);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.messageId).toBe(`<digest-${u}-2031-01-15@pricehawk.example>`);
    expect(await digestsOf(u)).toHaveLength(1);
  });

  it('builds one digest per user when several workers run at once', async () => {
    const p = await makeProduct();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const u = await makeUser();
      ids.push(u);
      await alert(u, p, 15_000, 20_000);
      await alert(u, p, 14_000, 15_000);
    }
    now = EST('08:00');
    const worker = async () => {
      const j = job({ batchSize: 7 });
      let claimed = 0;
      for (let k = await j.runBatch(); k > 0; k = await j.runBatch()) claimed += k;
      return claimed;
    };
    const claimed = await Promise.all([worker(), worker(), worker()]);
    expect(claimed.reduce((a, b) => a + b, 0)).toBe(30);
    const { rows } = await db.pool.query<{ digests: number; users: number; attached: number }>(
      `select (select count(*)::int from digests) as digests,
              (select count(distinct user_id)::int from digests) as users,
              (select count(*)::int from notifications where digest_id is not null) as attached`,
    );
    expect(rows[0]).toEqual({ digests: 30, users: 30, attached: 60 });
    expect(await deliveries()).toHaveLength(30);
  });

  it('sends what was held in a last digest after the user turns it off', async () => {
    const u = await makeUser();
    const p = await makeProduct();
    await alert(u, p, 15_000, 20_000);
    now = EST('06:00');
    await updateProfile(db.pool, u, { notificationPrefs: prefs({ enabled: false, hour: 8 }) }, now);
    expect(await schedule(u)).toMatchObject({ enabled: false, due_day: '2031-01-15' });
    now = EST('06:04');
    expect(await job().runBatch()).toBe(0); // alerts still in flight get a grace
    now = EST('06:05');
    expect(await job().runBatch()).toBe(1);
    expect((await digestsOf(u)).map((d) => [d.local_day, d.n])).toEqual([['2031-01-15', 1]]);
    expect(await schedule(u)).toBeUndefined();
    expect(await drain()).toBe(1);
    expect(smtp.messages[0]?.subject).toMatch(/^Daily digest: 1 alert/);

    // On again the same day: today had its digest, so the next is tomorrow's.
    now = EST('07:00');
    await updateProfile(db.pool, u, { notificationPrefs: prefs({ enabled: true, hour: 8 }) }, now);
    expect(await schedule(u)).toMatchObject({ enabled: true, due_day: '2031-01-16' });
  });

  it('keeps the held alerts when turned off and on again before the last digest went', async () => {
    const u = await makeUser();
    const p = await makeProduct();
    await alert(u, p, 15_000, 20_000);
    now = EST('06:00');
    await updateProfile(db.pool, u, { notificationPrefs: prefs({ enabled: false, hour: 8 }) }, now);
    now = EST('06:01');
    await updateProfile(db.pool, u, { notificationPrefs: prefs({ enabled: true, hour: 8 }) }, now);
    now = EST('08:00');
    expect(await job().runBatch()).toBe(1);
    expect((await digestsOf(u)).map((d) => d.n)).toEqual([1]);
  });

  it('starts the first digest at the next hour, with nothing from before it was turned on', async () => {
    users++;
    const { rows } = await db.pool.query<{ id: number }>(
      `insert into users (email, name, password_hash, time_zone) values ($1, 'Un', 'x', $2)
       returning id`,
      [`u${users}@example.com`, NY],
    );
    const u = rows[0]?.id as number;
    const p = await makeProduct();
    // Without a confirmed address or any channel its alerts never had a delivery.
    await alert(u, p, 15_000, 20_000, EST('06:00'));
    now = EST('09:00');
    await updateProfile(db.pool, u, { notificationPrefs: prefs({ enabled: true, hour: 8 }) }, now);
    expect(await schedule(u)).toMatchObject({ due_day: '2031-01-16' });
    expect(await job().runBatch()).toBe(0);
    await alert(u, p, 14_000, 15_000, EST('09:30'));
    now = EST('08:00', '2031-01-16');
    expect(await job().runBatch()).toBe(1);
    const [d] = await digestsOf(u);
    expect(d?.n).toBe(1);
    // Built, but no email: the address is not confirmed. The inbox has every alert.
    expect(await deliveries()).toEqual([]);
  });

  it('never builds a second digest for a day, and keeps the alerts for the next', async () => {
    const u = await makeUser();
    const p = await makeProduct();
    const id = await alert(u, p, 15_000, 20_000);
    // A digest for today already exists (as after a move between time zones).
    await db.pool.query(
      `insert into digests (user_id, local_day, time_zone, created_at) values ($1, '2031-01-15', $2, $3)`,
      [u, NY, now],
    );
    now = EST('08:00');
    expect(await job().runBatch()).toBe(1);
    expect((await digestsOf(u)).map((d) => d.n)).toEqual([0]);
    expect(await deliveries()).toEqual([]);
    now = EST('08:00', '2031-01-16');
    expect(await job().runBatch()).toBe(1);
    const days = await digestsOf(u);
    expect(days.map((d) => [d.local_day, d.n])).toEqual([
      ['2031-01-15', 0],
      ['2031-01-16', 1],
    ]);
    const { rows } = await db.pool.query<{ digest_id: number }>(
      'select digest_id from notifications where id = $1',
      [id],
    );
    expect(rows[0]?.digest_id).toBe(days[1]?.id);
  });

  it('moves with the user across time zones, never two digests for one local day', async () => {
    const u = await makeUser({ tz: 'Asia/Tokyo' });
    const p = await makeProduct();
    await alert(u, p, 15_000, 20_000);
    now = new Date('2031-01-15T23:00:00Z'); // 08:00 on the 16th in Tokyo
    expect(await job().runBatch()).toBe(1);
    // Flies to Los Angeles, where it is still the 15th: the next digest is for the 17th there.
    now = new Date('2031-01-16T00:00:00Z');
    await updateProfile(db.pool, u, { timeZone: 'America/Los_Angeles' }, now);
    expect(await schedule(u)).toMatchObject({
      due_day: '2031-01-17',
      due_at: new Date('2031-01-17T16:00:00Z'),
    });
    await alert(u, p, 14_000, 15_000);
    now = new Date('2031-01-16T16:00:00Z'); // 08:00 on the 16th in Los Angeles: had its digest
    expect(await job().runBatch()).toBe(0);
    now = new Date('2031-01-17T16:00:00Z');
    expect(await job().runBatch()).toBe(1);
    expect((await digestsOf(u)).map((d) => [d.local_day, d.n])).toEqual([
      ['2031-01-16', 1],
      ['2031-01-17', 1],
    ]);
    // And back east to New York at 11:00 there on the 17th: 08:00 has passed, today had its digest.
    now = new Date('2031-01-17T16:00:00Z');
    await updateProfile(
      db.pool,
      u,
      { timeZone: NY, notificationPrefs: prefs({ enabled: true, hour: 8 }) },
      now,
    );
    expect(await schedule(u)).toMatchObject({ due_day: '2031-01-18' });
  });

  it('waits for the end of quiet hours, and writes one delivery per channel that takes a digest', async () => {
    const u = await makeUser({ hour: 6, quietHours: { start: '22:00', end: '07:00' } });
    const p = await makeProduct();
    await db.pool.query(
      `insert into user_channels (user_id, kind, config) values
         ($1, 'telegram', '{"url": "tgram://123456:ABCDEF/42"}'),
         ($1, 'slack', '{"url": "slack://T000/B000/XXXX"}')`,
      [u],
    );
    await alert(u, p, 15_000, 20_000);
    now = EST('06:00');
    expect(await job({ summaryKinds: ['telegram'] }).runBatch()).toBe(1);
    const rows = await deliveries();
    expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'telegram']);
    for (const r of rows) expect(r.next_attempt_at).toEqual(EST('07:00'));
  });

  it('lists the first alerts of a long digest and counts them all', async () => {
    const u = await makeUser();
    const p = await makeProduct();
    for (let i = 0; i < 5; i++) await alert(u, p, 10_000 - i, 10_001 - i, EST(`05:0${i}`));
    now = EST('08:00');
    await job().runBatch();
    const [d] = await digestsOf(u);
    const listed = (await loadDigestAlerts(db.pool, [d?.id as number], 3)).get(d?.id as number);
    expect(listed?.map((a) => [a.price_minor, a.total])).toEqual([
      [10_000, 5],
      [9_999, 5],
      [9_998, 5],
    ]);
  });
});
