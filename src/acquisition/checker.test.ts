/**
 * The checker's claims on real PostgreSQL: due products only, one worker per product at a time,
 * leases that a crashed worker leaves behind are taken over once they expire.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import type { StoreRegistry } from '../stores/index.js';
import { emptyObservation, type Observation } from '../stores/types.js';
import { createChecker } from './checker.js';
import type { Fetcher, FetchResult } from './fetcher.js';

/** A store whose every page says 10.00 EUR (or what `read` says); records which URLs were fetched. */
function fakeStore(read?: (externalId: string) => Observation | undefined) {
  const fetched: string[] = [];
  const fetcher: Fetcher = {
    async fetch(req) {
      fetched.push(req.url);
      return {
        status: 200,
        url: req.url,
        body: '<html></html>',
        headers: {},
        bytesRead: 13,
        stoppedEarly: false,
        route: 'direct',
      } satisfies FetchResult;
    },
    report() {},
    async close() {},
  };
  const stores = {
    adapter: () => ({
      id: 'amazon',
      fetchPlan: (p: { url: string }) => ({ url: p.url, headers: {} }),
      extract: (_html: string, p: { externalId: string }) =>
        read?.(p.externalId) ??
        emptyObservation('amazon', 'ok', {
          price: { minor: 1000, currency: 'EUR' },
          availability: 'in_stock',
        }),
    }),
  } as unknown as StoreRegistry;
  return { fetched, fetcher, stores };
}

describe('checker claims', () => {
  let db: TestDatabase;
  let t: number;
  const clock = () => new Date(t);

  const deps = (workerId: string, store = fakeStore()) => ({
    pool: db.pool,
    fetcher: store.fetcher,
    stores: store.stores,
    logger: createLogger('silent'),
    metrics: createMetrics(),
    clock,
    random: () => 0.5,
    workerId,
    policy: {
      intervalWatchedMs: 3_600_000,
      intervalUnwatchedMs: 86_400_000,
      dailyCap: 3,
      furtherDropPercent: 5,
    },
    batchSize: 10,
    concurrency: 4,
    leaseMs: 120_000,
  });
  const checker = (workerId: string, store = fakeStore()) => createChecker(deps(workerId, store));

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    t = Date.parse('2026-11-25T12:00:00Z');
    await db.pool.query('truncate products restart identity cascade');
    for (let i = 0; i < 5; i++) {
      await db.pool.query(
        `insert into products (store, marketplace, external_id, url, currency, next_check_at)
         values ('amazon', 'amazon.de', $1, $2, 'EUR', $3)`,
        [
          `B00000000${i}`,
          `https://www.amazon.de/dp/B00000000${i}`,
          new Date(t + (i < 3 ? -1000 : 86_400_000)),
        ],
      );
    }
  });

  it('checks only the due products and schedules them on', async () => {
    const s = fakeStore();
    expect(await checker('w1', s).runBatch()).toBe(3);
    expect(s.fetched).toHaveLength(3);
    const { rows } = await db.pool.query(
      'select price_buybox, lease_owner, next_check_at from products order by id',
    );
    expect(rows.slice(0, 3).map((r) => r.price_buybox)).toEqual([1000, 1000, 1000]);
    expect(rows.every((r) => r.lease_owner === null)).toBe(true);
    expect(rows[0].next_check_at.getTime()).toBe(t + 86_400_000); // unwatched: daily
    expect(await checker('w1', s).runBatch()).toBe(0);
  });

  it('takes over the leases of a worker that died, once they expire, and not before', async () => {
    // Worker A claims and dies before applying anything.
    await db.pool.query(
      `update products set lease_owner = 'dead-worker', lease_until = $1 where next_check_at <= $2`,
      [new Date(t + 120_000), clock()],
    );
    const b = fakeStore();
    expect(await checker('w2', b).runBatch()).toBe(0);
    t += 121_000;
    expect(await checker('w2', b).runBatch()).toBe(3);
    expect(b.fetched).toHaveLength(3);
  });

  it('applies the rest of a batch when one observation makes the batch transaction fail', async () => {
    // A product without a currency yet, whose page states a malformed one: its update breaks the
    // products_currency_check constraint, which rolls back the batch.
    await db.pool.query(
      `insert into products (store, marketplace, external_id, url, next_check_at)
       values ('amazon', 'amazon.de', 'B0000000XX', 'https://www.amazon.de/dp/B0000000XX', $1)`,
      [new Date(t - 1000)],
    );
    const s = fakeStore((id) =>
      id === 'B0000000XX'
        ? emptyObservation('amazon', 'ok', {
            price: { minor: 500, currency: 'euro' },
            availability: 'in_stock',
          })
        : undefined,
    );
    expect(await checker('w1', s).runBatch()).toBe(4);
    const { rows } = await db.pool.query(
      'select external_id, price_buybox, lease_owner from products order by id',
    );
    expect(rows).toEqual([
      { external_id: 'B000000000', price_buybox: 1000, lease_owner: null },
      { external_id: 'B000000001', price_buybox: 1000, lease_owner: null },
      { external_id: 'B000000002', price_buybox: 1000, lease_owner: null },
      { external_id: 'B000000003', price_buybox: null, lease_owner: null },
      { external_id: 'B000000004', price_buybox: null, lease_owner: null },
      // Keeps its lease until it expires: another worker retries it then.
      { external_id: 'B0000000XX', price_buybox: null, lease_owner: 'w1' },
    ]);
  });

  it('stores what it has read without waiting for a slow page of the same batch', async () => {
    let release = () => {};
    const slow = new Promise<void>((r) => (release = r));
    const s = fakeStore();
    const inner = s.fetcher.fetch.bind(s.fetcher);
    s.fetcher.fetch = async (req) => {
      if (req.url.endsWith('B000000002')) await slow;
      return inner(req);
    };
    const c = createChecker({ ...deps('w1', s), leaseMs: 400 }); // applied after 100 ms at most
    const running = c.runBatch();
    const stored = async () =>
      (
        await db.pool.query<{ n: number }>(
          'select count(*)::int as n from products where price_buybox is not null',
        )
      ).rows[0]?.n;
    let seen = await stored();
    for (let i = 0; i < 100 && seen !== 2; i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await stored();
    }
    release();
    expect(seen).toBe(2); // the two fast pages, while the third was still being fetched
    expect(await running).toBe(3);
    expect(await stored()).toBe(3);
  });

  it('never gives one product to two workers at once', async () => {
    const a = fakeStore();
    const b = fakeStore();
    const [na, nb] = await Promise.all([checker('wa', a).runBatch(), checker('wb', b).runBatch()]);
    expect(na + nb).toBe(3);
    expect(new Set([...a.fetched, ...b.fetched]).size).toBe(3);
  });
});
