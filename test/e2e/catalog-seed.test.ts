/**
 * The seeder on a real database, small: counts add up, every derived column agrees with the rows
 * it summarises, and the search and history read what it wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchCatalog } from '../../src/catalog/index.js';
import {
  parseSeedArgs,
  seedCatalog,
  type SeedProgress,
  type SeedReport,
} from '../../src/cli-seed.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

describe('seedCatalog', () => {
  let db: TestDatabase;
  let report: SeedReport;
  const progress: SeedProgress[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    report = await seedCatalog(db.pool, {
      products: 3000,
      users: 200,
      watches: 3000,
      historyDays: 120,
      seed: 7,
      batchSize: 1000,
      onProgress: (p) => progress.push(p),
    });
  });

  afterAll(() => db?.drop());

  it('writes what it reports, with progress for every phase', async () => {
    const count = async (sql: string) =>
      Number((await db.pool.query<{ n: string }>(sql)).rows[0]?.n);
    expect(report.products).toBe(3000);
    expect(report.users).toBe(200);
    expect(await count('select count(*) as n from products')).toBe(3000);
    expect(await count('select count(*) as n from price_points')).toBe(report.pricePoints);
    expect(report.pricePoints).toBe(3000 * Math.ceil(120 / 7));
    expect(await count('select count(*) as n from watches')).toBe(report.watches);
    expect(report.watches).toBeGreaterThan(1500);
    expect(await count('select count(*) as n from product_search')).toBe(3000);
    const phases = new Set(progress.map((p) => p.phase));
    expect([...phases].sort()).toEqual([
      'analyze',
      'history',
      'products',
      'search',
      'users',
      'watches',
    ]);
    expect(progress.filter((p) => p.phase === 'products').at(-1)).toEqual({
      phase: 'products',
      done: 3000,
      total: 3000,
    });
  });

  it('keeps derived columns consistent with their rows', async () => {
    const bad = async (sql: string) => (await db.pool.query(sql)).rowCount;
    // watcher_count = the product's watches, in products and in the search rows.
    expect(
      await bad(`select 1 from products p
                  where watcher_count <> (select count(*) from watches w where w.product_id = p.id)`),
    ).toBe(0);
    expect(
      await bad(`select 1 from products p join product_search s on s.product_id = p.id
                  where s.watchers <> p.watcher_count`),
    ).toBe(0);
    // The current price is the last point's; each point's previous_amount the one before it.
    expect(
      await bad(`select 1 from products p
                  where price_buybox is distinct from (select amount from price_points
                    where product_id = p.id order by observed_at desc limit 1)`),
    ).toBe(0);
    expect(
      await bad(`select 1 from (select previous_amount,
                         lag(amount) over (partition by product_id order by observed_at) as lag
                    from price_points) x where previous_amount is distinct from lag`),
    ).toBe(0);
    // No two changes in a row with the same price, no point in the future.
    expect(
      await bad(`select 1 from (select amount,
                         lag(amount) over (partition by product_id order by observed_at) as lag
                    from price_points) x where amount = lag`),
    ).toBe(0);
    expect(await bad(`select 1 from price_points where observed_at > now()`)).toBe(0);
  });

  it('produces a catalogue the search reads', async () => {
    const hits = await searchCatalog(db.pool, { q: 'headphones', limit: 5 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => /headphones/i.test(h.product.title ?? ''))).toBe(true);
  });

  it('parses its command line', () => {
    expect(
      parseSeedArgs(['--products', '1_000_000', '--history-days', '30', '--due']),
    ).toMatchObject({
      products: 1_000_000,
      users: 10_000,
      historyDays: 30,
      due: true,
    });
    expect(parseSeedArgs(['--products', '-1'])).toMatch(/--products/);
    expect(parseSeedArgs(['--frobnicate'])).toMatch(/usage/);
  });
});
