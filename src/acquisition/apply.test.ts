import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { withTransaction } from '../db/pool.js';
import { emptyObservation, type Observation } from '../stores/types.js';
import { applyObservation, applyObservations, type ApplyPolicy } from './apply.js';

const policy: ApplyPolicy = {
  intervalWatchedMs: 3_600_000,
  intervalUnwatchedMs: 86_400_000,
  dailyCap: 3,
  furtherDropPercent: 5,
};
const WORKER = 'test-worker';

const ok = (minor: number | null, extra: Partial<Observation> = {}): Observation =>
  emptyObservation('amazon', 'ok', {
    marketplace: 'amazon.de',
    productId: 'B000TEST00',
    title: 'Kettle',
    price: minor === null ? null : { minor, currency: 'EUR' },
    availability: minor === null ? 'out_of_stock' : 'in_stock',
    ...extra,
  });

describe('applying observations', () => {
  let db: TestDatabase;
  let productId: number;
  let t = Date.parse('2026-11-25T10:00:00Z');
  const now = () => new Date((t += 60_000));

  const apply = async (obs: Observation) => {
    await db.pool.query('update products set lease_owner = $2 where id = $1', [productId, WORKER]);
    return withTransaction(db.pool, (c) =>
      applyObservation(c, productId, WORKER, obs, now(), policy, () => 0.5),
    );
  };
  const product = async () =>
    (await db.pool.query('select * from products where id = $1', [productId])).rows[0];
  const count = async (table: string) =>
    (await db.pool.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]?.n;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  beforeEach(async () => {
    await db.pool.query(
      'truncate users, products, watches, notifications, deliveries, price_points restart identity cascade',
    );
    const u = await db.pool.query<{ id: number }>(
      `insert into users (email, name, password_hash, email_verified_at)
       values ('a@example.com', 'A', 'x', now()) returning id`,
    );
    const p = await db.pool.query<{ id: number }>(
      `insert into products (store, marketplace, external_id, url, watcher_count)
       values ('amazon', 'amazon.de', 'B000TEST00', 'https://www.amazon.de/dp/B000TEST00', 1) returning id`,
    );
    productId = p.rows[0]?.id ?? 0;
    await apply(ok(5000));
    await db.pool.query(
      `insert into watches (user_id, product_id, rule_type, target_minor, currency) values ($1, $2, 'below', 4000, 'EUR')`,
      [u.rows[0]?.id, productId],
    );
  });

  it('stores the first price and one price point', async () => {
    const p = await product();
    expect(p.price_buybox).toBe(5000);
    expect(p.currency).toBe('EUR');
    expect(p.availability).toBe('in_stock');
    expect(await count('price_points')).toBe(1);
  });

  it('stores a scraped title and image URL with control characters (NUL too) as readable text', async () => {
    await apply(
      ok(4900, {
        title: 'Evil\u0000Kettle\u0007\n  2000 W\u0000',
        imageUrl: 'https://img.example/\u0000k.jpg',
      }),
    );
    const p = await product();
    expect(p.title).toBe('Evil Kettle   2000 W');
    expect(p.image_url).toBe('https://img.example/ k.jpg');
    expect(p.price_buybox).toBe(4900);
  });

  it('appends a price point only when the price changes', async () => {
    await apply(ok(5000));
    await apply(ok(5000));
    expect(await count('price_points')).toBe(1);
    await apply(ok(4500));
    expect(await count('price_points')).toBe(2);
  });

  it('writes a notification and its email delivery in the same transaction as the drop', async () => {
    const r = await apply(ok(3999));
    expect(r.notifications).toBe(1);
    expect(await count('notifications')).toBe(1);
    const d = await db.pool.query('select channel, destination, state from deliveries');
    expect(d.rows).toEqual([{ channel: 'email', destination: 'a@example.com', state: 'pending' }]);
  });

  it('emails only a confirmed address that wants email, after its quiet hours', async () => {
    await db.pool.query('update users set email_verified_at = null');
    await apply(ok(3999));
    expect(await count('notifications')).toBe(1); // the in-app notification is always there
    expect(await count('deliveries')).toBe(0);

    await apply(ok(5000)); // re-arm
    await db.pool.query(
      `update users set email_verified_at = now(),
         notification_prefs = '{"channels": {"email": {"enabled": false}}, "quietHours": null}'`,
    );
    await apply(ok(3999));
    expect(await count('deliveries')).toBe(0);

    await apply(ok(5000));
    await db.pool.query(
      `update users set time_zone = 'UTC',
         notification_prefs = '{"channels": {"email": {"enabled": true}}, "quietHours": {"start": "00:00", "end": "23:59"}}'`,
    );
    await apply(ok(3999));
    const { rows } = await db.pool.query('select next_attempt_at from deliveries');
    expect(rows).toHaveLength(1);
    expect(rows[0].next_attempt_at.toISOString()).toMatch(/T23:59:00\.000Z$/);
  });

  it('caps the alerts of a watch per day across checks', async () => {
    // Each drop is at least 5% below the last notified price: every one would fire but the cap.
    for (const minor of [3999, 3700, 3500, 3300]) await apply(ok(minor));
    expect(await count('notifications')).toBe(policy.dailyCap);
    const { rows } = await db.pool.query(
      'select alerts_day::text as day, alerts_today from watches',
    );
    expect(rows).toEqual([{ day: '2026-11-25', alerts_today: 3 }]);
  });

  it.each(['captcha', 'blocked', 'error', 'not_found'] as const)(
    'a %s page changes no price or availability and fires nothing',
    async (outcome) => {
      const before = await product();
      await apply(emptyObservation('amazon', outcome));
      const after = await product();
      expect(after.price_buybox).toBe(before.price_buybox);
      expect(after.availability).toBe(before.availability);
      expect(after.last_outcome).toBe(outcome);
      expect(after.failure_count).toBe(1);
      expect(await count('price_points')).toBe(1);
      expect(await count('notifications')).toBe(0);
    },
  );

  it('a price in another currency is not taken as a change', async () => {
    await apply(ok(100, { price: { minor: 100, currency: 'USD' } }));
    const p = await product();
    expect(p.price_buybox).toBe(5000);
    expect(p.last_outcome).toBe('currency_mismatch');
    expect(await count('notifications')).toBe(0);
  });

  it('marks a product blocked after repeated captchas, and active again after a good read', async () => {
    for (let i = 0; i < 3; i++) await apply(emptyObservation('amazon', 'captcha'));
    expect((await product()).state).toBe('blocked');
    await apply(ok(5000));
    const p = await product();
    expect(p.state).toBe('active');
    expect(p.failure_count).toBe(0);
  });

  it("schedules the next check by tier, or by the store's own interval", async () => {
    const at = async () => {
      const p = await product();
      return p.next_check_at.getTime() - p.last_checked_at.getTime();
    };
    await apply(ok(5000));
    expect(await at()).toBe(policy.intervalWatchedMs); // jitter is 0 with random() = 0.5
    await db.pool.query('update products set watcher_count = 0 where id = $1', [productId]);
    await apply(ok(5000));
    expect(await at()).toBe(policy.intervalUnwatchedMs);
    await db.pool.query('update products set lease_owner = $2 where id = $1', [productId, WORKER]);
    await withTransaction(db.pool, (c) =>
      applyObservation(
        c,
        productId,
        WORKER,
        ok(5000),
        now(),
        { ...policy, storeIntervalMs: { amazon: 60_000 } },
        () => 0.5,
      ),
    );
    expect(await at()).toBe(60_000);
  });

  it('applies a batch in one go, skipping (and reporting) the products whose lease was lost', async () => {
    const other = await db.pool.query<{ id: number }>(
      `insert into products (store, marketplace, external_id, url, lease_owner)
       values ('amazon', 'amazon.de', 'B000TEST01', 'https://www.amazon.de/dp/B000TEST01',
               'someone-else') returning id`,
    );
    const otherId = other.rows[0]?.id ?? 0;
    await db.pool.query('update products set lease_owner = $2 where id = $1', [productId, WORKER]);
    const results = await withTransaction(db.pool, (c) =>
      applyObservations(
        c,
        [
          { productId: otherId, owner: WORKER, obs: ok(100) },
          { productId, owner: WORKER, obs: ok(3999) },
          // The same product again: the first application released the lease.
          { productId, owner: WORKER, obs: ok(100) },
        ],
        now(),
        policy,
        () => 0.5,
      ),
    );
    expect(results).toEqual([
      { applied: false, changed: [], notifications: 0 },
      { applied: true, changed: ['buybox'], notifications: 1 },
      { applied: false, changed: [], notifications: 0 },
    ]);
    expect((await product()).price_buybox).toBe(3999);
    const o = await db.pool.query('select price_buybox, lease_owner from products where id = $1', [
      otherId,
    ]);
    expect(o.rows).toEqual([{ price_buybox: null, lease_owner: 'someone-else' }]);
  });

  it('does nothing when the lease has passed to another worker', async () => {
    await db.pool.query(`update products set lease_owner = 'someone-else' where id = $1`, [
      productId,
    ]);
    const r = await withTransaction(db.pool, (c) =>
      applyObservation(c, productId, WORKER, ok(100), now(), policy, () => 0.5),
    );
    expect(r.applied).toBe(false);
    expect((await product()).price_buybox).toBe(5000);
  });
});
