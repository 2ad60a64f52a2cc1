/** The in-app inbox (read, unread, paging) and the operators' view of dead letters. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpConfirmed } from '../helpers/accounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ApiClient } from '../helpers/http.js';

describe('inbox and dead letters', () => {
  let db: TestDatabase;
  let app: TestApp;
  let user: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, { ADMIN_EMAILS: 'ops@example.com' });
    user = new ApiClient(app.url);
    admin = new ApiClient(app.url);
    await signUpConfirmed(user, { email: 'reader@example.com', password: 'inbox-zero', name: 'R' });
    await signUpConfirmed(admin, { email: 'ops@example.com', password: 'on-call-pw', name: 'Ops' });
    const demo = (await user.get('/api/v1/demo-store')).body.products[0];
    const product = (await user.post('/api/v1/products', { url: demo.url })).body.product;
    const me = (await user.get('/api/v1/me')).body.user;
    for (let i = 0; i < 5; i++) {
      const n = await db.pool.query<{ id: number }>(
        `insert into notifications (user_id, product_id, kind, price_type, price_minor, currency)
         values ($1, $2, 'price_drop', 'buybox', $3, 'USD') returning id`,
        [me.id, product.id, 1000 - i],
      );
      if (i === 0) {
        await db.pool.query(
          `insert into deliveries (notification_id, channel, destination, state, attempts, last_error)
           values ($1, 'email', 'reader@example.com', 'dead', 12, '550 mailbox unavailable')`,
          [n.rows[0]?.id],
        );
      }
    }
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it('lists alerts newest first, in pages, with the unread count', async () => {
    const first = (await user.get('/api/v1/notifications?limit=2')).body;
    expect(first.unread).toBe(5);
    expect(first.notifications.map((n: { price: { amount: string } }) => n.price.amount)).toEqual([
      '9.96',
      '9.97',
    ]);
    const next = (
      await user.get(`/api/v1/notifications?limit=2&before=${first.notifications[1].id}`)
    ).body;
    expect(next.notifications.map((n: { price: { amount: string } }) => n.price.amount)).toEqual([
      '9.98',
      '9.99',
    ]);
  });

  it('marks alerts read and unread, one or all', async () => {
    const [newest] = (await user.get('/api/v1/notifications?limit=1')).body.notifications;
    const read = await user.post(`/api/v1/notifications/${newest.id}/read`);
    expect(read.body.notification.readAt).not.toBeNull();
    expect((await user.get('/api/v1/notifications?unread=true')).body.notifications).toHaveLength(
      4,
    );
    await user.post(`/api/v1/notifications/${newest.id}/read`, { read: false });
    expect((await user.get('/api/v1/notifications')).body.unread).toBe(5);
    expect((await user.post('/api/v1/notifications/read-all')).body.marked).toBe(5);
    expect((await user.get('/api/v1/notifications')).body.unread).toBe(0);
  });

  it("keeps one user's alerts out of another's reach", async () => {
    const [n] = (await user.get('/api/v1/notifications?limit=1')).body.notifications;
    const r = await admin.post(`/api/v1/notifications/${n.id}/read`, { read: false });
    expect(r.status).toBe(404);
  });

  it('shows dead letters to operators only, and sends one again on request', async () => {
    expect((await user.get('/api/v1/admin/dead-letters')).status).toBe(403);
    const list = (await admin.get('/api/v1/admin/dead-letters')).body.deadLetters;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      source: 'alert',
      channel: 'email',
      attempts: 12,
      lastError: '550 mailbox unavailable',
    });
    expect((await admin.post(`/api/v1/admin/dead-letters/alert/${list[0].id}/retry`)).status).toBe(
      202,
    );
    const { rows } = await db.pool.query('select state, attempts from deliveries where id = $1', [
      list[0].id,
    ]);
    // Queued again (or already sent by the notifier through the local mailbox).
    expect(['pending', 'sending', 'sent']).toContain(rows[0].state);
    expect((await admin.get('/api/v1/admin/dead-letters')).body.deadLetters).toHaveLength(0);
  });
});
