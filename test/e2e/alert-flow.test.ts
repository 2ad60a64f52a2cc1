/**
 * The walking skeleton end to end, in one process: sign up, add a demo store product, set a target,
 * move the price through the demo store's admin API, and count the emails a real SMTP server
 * receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import {
  pickDemoProduct,
  setDemoFault,
  setDemoPrice as setPrice,
  type DemoProduct,
} from '../helpers/demo.js';
import { ApiClient, eventually } from '../helpers/http.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { isAlert, startTestSmtp, type TestSmtp } from '../helpers/smtp.js';
import { confirmEmail } from '../helpers/accounts.js';

describe('alert flow over HTTP with a real SMTP server', () => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  let app: TestApp;
  let api: ApiClient;
  let demo: DemoProduct;
  let productId: number;

  const setDemoPrice = (price: string) => setPrice(app.demoStoreUrl, demo.asin, price);
  /**
   * Makes the product's check due now (as the clock would an hour later) and waits until a check
   * newer than this call has committed and the API shows `price`.
   */
  const observe = async (price: string) => {
    const before = new Date();
    await db.pool.query('update products set next_check_at = now() where id = $1', [productId]);
    await eventually(async () => {
      const r = await api.get(`/api/v1/products/${productId}`);
      const p = r.body.product;
      return p.price?.amount === price && new Date(p.lastCheckedAt) >= before ? true : undefined;
    }, `a check showing ${price}`);
  };
  const pendingDeliveries = async () =>
    (
      await db.pool.query<{ n: number }>(
        `select count(*)::int as n from deliveries where state <> 'sent'`,
      )
    ).rows[0]?.n;

  beforeAll(async () => {
    db = await createTestDatabase();
    smtp = await startTestSmtp();
    app = await startTestApp(db.url, { SMTP_URL: smtp.url });
    api = new ApiClient(app.url);
    demo = await pickDemoProduct(app.demoStoreUrl, 'EUR');
  });

  afterAll(async () => {
    await app?.stop();
    await smtp?.stop();
    await db?.drop();
  });

  it('signs up and is logged in by the cookie', async () => {
    const res = await api.post('/api/v1/auth/signup', {
      email: 'ada@example.com',
      password: 'correct horse',
      name: 'Ada',
    });
    expect(res.status).toBe(201);
    const me = await api.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'ada@example.com', emailVerified: false });
    // Alerts go by email only to a confirmed address: follow the link the confirmation email has.
    await confirmEmail(api, 'ada@example.com', smtp);
  });

  it('adds a demo store product by URL and answers with its title and price at once', async () => {
    const res = await api.post('/api/v1/products', { url: demo.url });
    expect(res.status).toBe(201);
    expect(res.body.product.title).toBe(demo.title);
    expect(res.body.product.price).toEqual({ amount: demo.price, currency: 'EUR' });
    productId = res.body.product.id;
    // The second add finds the same product.
    const again = await api.post('/api/v1/products', { url: demo.url });
    expect(again.status).toBe(200);
    expect(again.body.product.id).toBe(productId);
  });

  it('sends exactly one email when the price drops below the target', async () => {
    await setDemoPrice('200.00');
    await observe('200.00');
    const w = await api.post('/api/v1/watches', {
      productId,
      rule: { type: 'below', price: '150.00' },
    });
    expect(w.status).toBe(201);
    expect(w.body.watch.rule).toEqual({
      type: 'below',
      price: { amount: '150.00', currency: 'EUR' },
    });

    await setDemoPrice('129.99');
    await observe('129.99');
    const [mail] = await smtp.waitFor(1, isAlert);
    expect(mail?.to).toBe('ada@example.com');
    expect(mail?.subject).toContain(demo.title.slice(0, 40));
    expect(mail?.text).toContain('€129.99');
    expect(mail?.text).toContain(demo.title);
    await eventually(
      async () => ((await pendingDeliveries()) === 0 ? true : undefined),
      'outbox drained',
    );
    expect(smtp.messages.filter(isAlert)).toHaveLength(1);

    const notes = await api.get('/api/v1/notifications');
    expect(notes.body.notifications).toHaveLength(1);
    expect(notes.body.notifications[0].price).toEqual({ amount: '129.99', currency: 'EUR' });
    expect(notes.body.notifications[0].previousPrice).toEqual({
      amount: '200.00',
      currency: 'EUR',
    });
  });

  it('sends nothing when the price rises, nor when it is checked again unchanged', async () => {
    await setDemoPrice('210.00');
    await observe('210.00');
    await observe('210.00');
    await eventually(
      async () => ((await pendingDeliveries()) === 0 ? true : undefined),
      'outbox drained',
    );
    const notes = await api.get('/api/v1/notifications');
    expect(notes.body.notifications).toHaveLength(1);
    expect(smtp.messages.filter(isAlert)).toHaveLength(1);
  });

  it('sends a second email when the price drops below the target again', async () => {
    await setDemoPrice('140.00');
    await observe('140.00');
    const mails = await smtp.waitFor(2, isAlert);
    expect(mails[1]?.text).toContain('€140.00');
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(2);
    await eventually(
      async () => ((await pendingDeliveries()) === 0 ? true : undefined),
      'outbox drained',
    );
    expect(smtp.messages.filter(isAlert)).toHaveLength(2);
  });

  it('shows the price history with every change', async () => {
    const res = await api.get(`/api/v1/products/${productId}`);
    const amounts = res.body.history
      .filter((h: { priceType: string }) => h.priceType === 'buybox')
      .map((h: { price: { amount: string } | null }) => h.price?.amount);
    expect(amounts).toEqual([demo.price, '200.00', '129.99', '210.00', '140.00']);
  });

  it('reads nothing from captcha and error pages: no price change, no alert', async () => {
    const before = (await api.get(`/api/v1/products/${productId}`)).body.product;
    const notes = (await api.get('/api/v1/notifications')).body.notifications.length;
    await setDemoPrice('210.00'); // back above the target: the watch re-arms
    await observe('210.00');
    await setDemoPrice('99.00'); // a drop the blocked pages hide
    for (const fault of ['captcha', 'error'] as const) {
      await setDemoFault(app.demoStoreUrl, demo.asin, fault);
      const checkedBefore = new Date();
      await db.pool.query('update products set next_check_at = now() where id = $1', [productId]);
      const p = await eventually(async () => {
        const r = (await api.get(`/api/v1/products/${productId}`)).body.product;
        return new Date(r.lastCheckedAt) >= checkedBefore ? r : undefined;
      }, `a check answered with ${fault}`);
      expect(p.lastOutcome).toBe(fault);
      expect(p.price).toEqual({ amount: '210.00', currency: 'EUR' });
      expect(p.availability).toBe(before.availability);
    }
    expect((await api.get('/api/v1/notifications')).body.notifications).toHaveLength(notes);
    await setDemoFault(app.demoStoreUrl, demo.asin, null);
    await observe('99.00');
    await eventually(
      async () =>
        (await api.get('/api/v1/notifications')).body.notifications.length === notes + 1
          ? true
          : undefined,
      'the alert once the page can be read',
    );
  });
});
