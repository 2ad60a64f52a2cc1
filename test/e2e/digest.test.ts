/**
 * The daily digest end to end (issue 7), in one process with a clock the test moves: a user in
 * Tokyo with the digest at 08:00 gets no email for two drops, then one digest with both at 08:00
 * Tokyo time; an alert after it waits for the next day's digest; a user without the digest gets
 * every alert at once. Real PostgreSQL, the demo store, the checker and notifier, a real SMTP
 * server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmEmail } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { pickDemoProduct, setDemoPrice, type DemoProduct } from '../helpers/demo.js';
import { ApiClient, eventually } from '../helpers/http.js';
import { isAlert, startTestSmtp, type ReceivedMail, type TestSmtp } from '../helpers/smtp.js';

const DEE = 'dee@example.com'; // digest at 08:00, Asia/Tokyo
const IVY = 'ivy@example.com'; // immediate alerts

describe('daily digest over HTTP with a real SMTP server', () => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  let app: TestApp;
  let dee: ApiClient;
  let ivy: ApiClient;
  let demo: DemoProduct;
  let productId: number;
  // 05:00 on 11 March 2031 in Tokyo (UTC+9, no summer time).
  let now = new Date('2031-03-10T20:00:00Z');
  const clock = () => new Date(now);

  const isDigest = (m: ReceivedMail) => m.subject.startsWith('Daily digest');
  const digestsTo = (to: string) => smtp.messages.filter((m) => m.to === to && isDigest(m));
  const alertsTo = (to: string) => smtp.messages.filter((m) => m.to === to && isAlert(m));

  /**
   * Sets the store's price, makes the product due, and waits for a check that started after both
   * (no check in flight when it was made due) to show `price`. The clock moves on a second.
   */
  const observe = async (price: string) => {
    await setDemoPrice(app.demoStoreUrl, demo.asin, price);
    now = new Date(now.getTime() + 1000);
    const before = now;
    await eventually(async () => {
      const r = await db.pool.query(
        `update products set next_check_at = $2 where id = $1 and lease_owner is null`,
        [productId, new Date(now.getTime() - 60_000)],
      );
      return r.rowCount === 1 ? true : undefined;
    }, 'no check in flight');
    await eventually(async () => {
      const p = (await dee.get(`/api/v1/products/${productId}`)).body.product;
      return p.price?.amount === price && new Date(p.lastCheckedAt) >= before ? true : undefined;
    }, `a check showing ${price}`);
  };
  const outboxDrained = () =>
    eventually(async () => {
      const { rows } = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from deliveries where state <> 'sent'`,
      );
      return rows[0]?.n === 0 ? true : undefined;
    }, 'the outbox drained');
  const inbox = async (api: ApiClient) =>
    (await api.get('/api/v1/notifications')).body.notifications as Array<{
      price: { amount: string } | null;
    }>;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startTestSmtp();
    app = await startTestApp(
      db.url,
      { SMTP_URL: smtp.url },
      ['web', 'checker', 'notifier', 'demo-store'],
      { clock },
    );
    demo = await pickDemoProduct(app.demoStoreUrl, 'EUR');
    dee = new ApiClient(app.url);
    ivy = new ApiClient(app.url);
    for (const [api, email, name] of [
      [dee, DEE, 'Dee'],
      [ivy, IVY, 'Ivy'],
    ] as const) {
      const res = await api.post('/api/v1/auth/signup', { email, password: 'digest-pw-1', name });
      expect(res.status).toBe(201);
      await confirmEmail(api, email, smtp);
    }
    const r = await dee.call('PATCH', '/api/v1/me', {
      timeZone: 'Asia/Tokyo',
      notificationPrefs: {
        channels: { email: { enabled: true } },
        quietHours: null,
        digest: { enabled: true, hour: 8 },
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.user.notificationPrefs.digest).toEqual({ enabled: true, hour: 8 });

    const added = await dee.post('/api/v1/products', { url: demo.url });
    expect(added.status).toBe(201);
    productId = added.body.product.id;
    expect((await ivy.post('/api/v1/products', { url: demo.url })).body.product.id).toBe(productId);
    await observe('200.00');
    for (const api of [dee, ivy]) {
      const w = await api.post('/api/v1/watches', { productId, rule: { type: 'any_drop' } });
      expect(w.status).toBe(201);
    }
    await observe('200.00'); // the watches have now seen 200.00
  });

  afterAll(async () => {
    await app?.stop();
    await smtp?.stop();
    await db?.drop();
  });

  it('sends two drops at once to the user without a digest, and no email to the digest user', async () => {
    now = new Date('2031-03-10T20:10:00Z');
    await observe('150.00');
    now = new Date('2031-03-10T21:30:00Z');
    await observe('120.00');
    const mails = await smtp.waitFor(2, (m) => m.to === IVY && isAlert(m));
    expect(mails.map((m) => m.text.includes('€150.00') || m.text.includes('€120.00'))).toEqual([
      true,
      true,
    ]);
    await outboxDrained();
    // Both alerts are in the digest user's inbox, and no delivery was ever written for them.
    expect((await inbox(dee)).map((n) => n.price?.amount)).toEqual(['120.00', '150.00']);
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from deliveries d join notifications n on n.id = d.notification_id
         join users u on u.id = n.user_id where u.email = $1`,
      [DEE],
    );
    expect(rows[0]?.n).toBe(0);
    expect(alertsTo(DEE)).toHaveLength(0);
    expect(digestsTo(DEE)).toHaveLength(0);
  });

  it('sends one digest with both alerts at 08:00 Tokyo time', async () => {
    now = new Date('2031-03-10T23:00:30Z'); // 08:00:30 on 11 March in Tokyo
    const [digest] = await smtp.waitFor(1, (m) => m.to === DEE && isDigest(m));
    await outboxDrained();
    expect(digestsTo(DEE)).toHaveLength(1);
    expect(alertsTo(DEE)).toHaveLength(0);
    expect(digest?.subject).toContain('2 alerts');
    expect(digest?.text).toContain('Tuesday, March 11, 2031');
    expect(digest?.text).toContain(demo.title);
    expect(digest?.text).toContain('€150.00');
    expect(digest?.text).toContain('€120.00 (was €150.00, down €30.00 or 20%)');
    expect(digest?.text).toContain(`/products/${productId}`);
    expect(digest?.html).toContain('€120.00');
    expect(digest?.messageId).toMatch(/^<digest-\d+-2031-03-11@localhost>$/);
    expect(digest?.raw).toMatch(/^List-Unsubscribe:\s+<http[^>]+\/api\/v1\/unsubscribe\/u1\./m);
    expect(digest?.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
    // Both alerts are now marked as sent in that digest, once.
    const { rows } = await db.pool.query<{ n: number; d: number }>(
      `select count(*)::int as n, count(distinct digest_id)::int as d from notifications n
         join users u on u.id = n.user_id where u.email = $1 and digest_id is not null`,
      [DEE],
    );
    expect(rows[0]).toEqual({ n: 2, d: 1 });
  });

  it('puts an alert after the digest in the next day’s digest, and nothing twice', async () => {
    now = new Date('2031-03-11T00:00:00Z'); // 09:00 in Tokyo, after today's digest
    await observe('100.00');
    await smtp.waitFor(3, (m) => m.to === IVY && isAlert(m));
    await outboxDrained();
    expect(digestsTo(DEE)).toHaveLength(1);
    expect(alertsTo(DEE)).toHaveLength(0);

    now = new Date('2031-03-11T23:00:30Z'); // 08:00:30 on 12 March in Tokyo
    const mails = await smtp.waitFor(2, (m) => m.to === DEE && isDigest(m));
    await outboxDrained();
    const second = mails[1];
    expect(second?.subject).toContain('1 alert');
    expect(second?.text).toContain('€100.00 (was €120.00');
    expect(second?.text).not.toContain('€150.00');
    expect(second?.messageId).toMatch(/^<digest-\d+-2031-03-12@localhost>$/);
    expect(digestsTo(DEE)).toHaveLength(2);
    expect(alertsTo(DEE)).toHaveLength(0);
    expect(alertsTo(IVY)).toHaveLength(3);
    expect(digestsTo(IVY)).toHaveLength(0);
  });

  it('puts the preference and the digests in the account export', async () => {
    const res = await dee.get('/api/v1/me/export');
    expect(res.status).toBe(200);
    expect(res.body.account.notification_prefs.digest).toEqual({ enabled: true, hour: 8 });
    const digests = res.body.digests as Array<{
      local_day: string;
      notification_ids: number[];
      deliveries: Array<{ channel: string; state: string }>;
    }>;
    expect(digests.map((d) => [d.local_day, d.notification_ids.length])).toEqual([
      ['2031-03-11', 2],
      ['2031-03-12', 1],
    ]);
    for (const d of digests) {
      expect(d.deliveries).toEqual([expect.objectContaining({ channel: 'email', state: 'sent' })]);
    }
    const ids = digests.flatMap((d) => d.notification_ids);
    expect(new Set(ids).size).toBe(3);
  });
});
