/**
 * GET /api/v1/products/{id}/history over HTTP on a real database: a year of hourly prices comes
 * back downsampled to the points asked for, keeping every bucket's lowest and highest; the
 * statistics of a known series, in integer minor units; the good-deal flag at its boundaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../src/db/pool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ApiClient } from '../helpers/http.js';
import { startCatalogApp, type CatalogApp } from './catalog-harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A fixed "now" on a whole hour; the app's clock answers it.
const NOW = Math.floor(Date.now() / HOUR) * HOUR;

interface Money {
  amount: string;
  currency: string;
}
interface Series {
  priceType: string;
  total: number;
  downsampled: boolean;
  buckets: number | null;
  points: Array<{ at: string; price: Money | null }>;
}
interface Window {
  lowest: Money | null;
  highest: Money | null;
  average: Money | null;
  changes: number;
}
interface Stats {
  priceType: string;
  current: Money | null;
  previous: Money | null;
  dropFromPrevious: Money | null;
  dropPercent: number | null;
  goodDeal: boolean;
  historyDays: number;
  windows: Record<'d30' | 'd90' | 'd365' | 'all', Window>;
}
interface History {
  from: string;
  to: string;
  series: Series[];
  stats: Stats[];
}

async function newProduct(pool: Pool, title: string, currency = 'EUR'): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `insert into products (store, marketplace, external_id, url, title, currency)
     values ('amazon', 'amazon.de', md5($1)::text, 'https://www.amazon.de/dp/' || md5($1), $1, $2)
     returning id`,
    [title, currency],
  );
  return rows[0]?.id as number;
}

async function addPoints(
  pool: Pool,
  productId: number,
  type: string,
  points: ReadonlyArray<readonly [at: number, amount: number | null]>,
  currency = 'EUR',
): Promise<void> {
  await pool.query(
    `insert into price_points (product_id, price_type, observed_at, amount, currency)
     select $1, $2, t, a, $5 from unnest($3::timestamptz[], $4::bigint[]) as x(t, a)`,
    [productId, type, points.map(([t]) => new Date(t)), points.map(([, a]) => a), currency],
  );
}

describe('price history and statistics', () => {
  let db: TestDatabase;
  let app: CatalogApp;
  let api: ApiClient;
  let yearly: number;
  let hourly: Array<[number, number | null]>;
  let known: number;
  let deals: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startCatalogApp(db, { clock: () => new Date(NOW) });
    api = new ApiClient(app.url);

    // A year of hourly changes ending now: a pseudo-random walk with spikes, dips and a few
    // hours without a price.
    yearly = await newProduct(db.pool, 'Hourly Espresso Machine');
    hourly = [];
    let price = 50_000;
    let s = 12345;
    for (let h = 8759; h >= 0; h--) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const r = s % 1000;
      price = Math.max(1000, price + (r % 201) - 100 + (r === 7 ? 20_000 : r === 8 ? -20_000 : 0));
      hourly.push([NOW - h * HOUR, r > 990 ? null : price + (r % 3)]);
    }
    await addPoints(db.pool, yearly, 'buybox', hourly);

    // A known series, in days before now (see the statistics test).
    known = await newProduct(db.pool, 'Known Series Kettle');
    await addPoints(db.pool, known, 'used', [
      [NOW - 100 * DAY, 10_000],
      [NOW - 60 * DAY, 8_000],
      [NOW - 20 * DAY, 9_000],
      [NOW - 10 * DAY, null],
      [NOW - 5 * DAY, 8_400],
    ]);
    // Average 100.5 over two days: rounds half up to 101.
    await addPoints(db.pool, known, 'amazon', [
      [NOW - 2 * DAY, 101],
      [NOW - 1 * DAY, 100],
    ]);

    // Good-deal boundaries: lowest 8,000; within 5% is at most 8,400.
    deals = await newProduct(db.pool, 'Good Deal Toaster');
    await addPoints(db.pool, deals, 'used', [
      [NOW - 40 * DAY, 8_000],
      [NOW - 1 * DAY, 8_400],
    ]);
    await addPoints(db.pool, deals, 'new', [
      [NOW - 40 * DAY, 8_000],
      [NOW - 1 * DAY, 8_401],
    ]);
    // At the lowest price, with exactly five weeks of history, and one hour less.
    await addPoints(db.pool, deals, 'amazon', [[NOW - 35 * DAY, 5_000]]);
    await addPoints(db.pool, deals, 'buybox', [[NOW - 35 * DAY + HOUR, 5_000]]);
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  const history = async (id: number, query: string): Promise<History> => {
    const r = await api.get<History>(`/api/v1/products/${id}/history?${query}`);
    expect(r.status).toBe(200);
    return r.body;
  };

  it('downsamples a year of hourly prices to the points asked for, keeping each bucket’s low and high', async () => {
    const from = NOW - 365 * DAY - HOUR / 2;
    const body = await history(
      yearly,
      `priceType=buybox&points=500&from=${new Date(from).toISOString()}&to=${new Date(NOW).toISOString()}`,
    );
    const series = body.series[0] as Series;
    expect(series.total).toBe(8760);
    expect(series.downsampled).toBe(true);
    expect(series.points.length).toBeLessThanOrEqual(500);
    const buckets = series.buckets as number;
    expect(buckets).toBeGreaterThan(50);

    const returned = new Map(series.points.map((p) => [Date.parse(p.at), p.price?.amount ?? null]));
    const span = NOW - from;
    const perBucket = new Map<number, Array<[number, number | null]>>();
    for (const [t, a] of hourly) {
      const b = Math.min(buckets - 1, Math.floor(((t - from) * buckets) / span));
      const list = perBucket.get(b) ?? [];
      list.push([t, a]);
      perBucket.set(b, list);
    }
    expect(perBucket.size).toBe(buckets);
    const euros = (minor: number) => (minor / 100).toFixed(2);
    for (const list of perBucket.values()) {
      const priced = list.filter((p): p is [number, number] => p[1] !== null);
      const min = Math.min(...priced.map((p) => p[1]));
      const max = Math.max(...priced.map((p) => p[1]));
      const minAt = priced.find((p) => p[1] === min)?.[0] as number;
      const maxAt = priced.find((p) => p[1] === max)?.[0] as number;
      expect(returned.get(minAt)).toBe(euros(min));
      expect(returned.get(maxAt)).toBe(euros(max));
      // Where the bucket starts and ends survives too, and every gap.
      const [firstAt, firstA] = list[0] as [number, number | null];
      const [lastAt, lastA] = list[list.length - 1] as [number, number | null];
      expect(returned.get(firstAt)).toBe(firstA === null ? null : euros(firstA));
      expect(returned.get(lastAt)).toBe(lastA === null ? null : euros(lastA));
      if (list.some((p) => p[1] === null)) {
        expect(
          list.some(([t, a]) => a === null && returned.has(t) && returned.get(t) === null),
        ).toBe(true);
      }
    }
    // Nothing made up: every point is one of the recorded ones.
    const recorded = new Set(hourly.map(([t]) => t));
    expect(series.points.every((p) => recorded.has(Date.parse(p.at)))).toBe(true);
  });

  it('returns at most ~1,000 points by default, and every point of a short range', async () => {
    const all = await history(yearly, 'priceType=buybox');
    expect((all.series[0] as Series).points.length).toBeLessThanOrEqual(1000);
    expect((all.series[0] as Series).total).toBe(8760);

    const from = NOW - 2 * DAY - HOUR / 2;
    const recent = await history(yearly, `priceType=buybox&from=${new Date(from).toISOString()}`);
    const series = recent.series[0] as Series;
    expect(series.downsampled).toBe(false);
    expect(series.total).toBe(49);
    // The 49 hourly points of the range, after the price in effect when the range opens.
    expect(series.points).toHaveLength(50);
    expect(Date.parse(series.points[0]?.at ?? '')).toBe(from);
    const inEffect = hourly.filter(([t]) => t < from).at(-1)?.[1] as number | null;
    expect(series.points[0]?.price?.amount ?? null).toBe(
      inEffect === null ? null : (inEffect / 100).toFixed(2),
    );
  });

  it('computes current, previous, lowest, highest and time-weighted averages in minor units', async () => {
    const body = await history(known, '');
    const used = body.stats.find((s) => s.priceType === 'used') as Stats;
    const eur = (amount: string) => ({ amount, currency: 'EUR' });
    expect(used.current).toEqual(eur('84.00'));
    // The unavailable spell is skipped: the price before was 90.00.
    expect(used.previous).toEqual(eur('90.00'));
    expect(used.dropFromPrevious).toEqual(eur('6.00'));
    expect(used.dropPercent).toBe(6.6);
    expect(used.historyDays).toBe(100);
    // 30 days: 80.00 in effect when the window opened (10 days), 90.00 (10), none (5), 84.00 (5):
    // (8000×10 + 9000×10 + 8400×5) / 25 = 8480.
    expect(used.windows.d30).toEqual({
      lowest: eur('80.00'),
      highest: eur('90.00'),
      average: eur('84.80'),
      changes: 3,
    });
    // 90 days: (10000×30 + 8000×40 + 9000×10 + 8400×5) / 85 = 8847.06 → 8847.
    expect(used.windows.d90).toEqual({
      lowest: eur('80.00'),
      highest: eur('100.00'),
      average: eur('88.47'),
      changes: 4,
    });
    // All time = 365 days: (10000×40 + 8000×40 + 9000×10 + 8400×5) / 95 = 8968.42 → 8968.
    expect(used.windows.d365).toEqual({
      lowest: eur('80.00'),
      highest: eur('100.00'),
      average: eur('89.68'),
      changes: 5,
    });
    expect(used.windows.all).toEqual(used.windows.d365);

    const amazon = body.stats.find((s) => s.priceType === 'amazon') as Stats;
    expect(amazon.windows.d30.average).toEqual(eur('1.01'));
    expect(amazon.dropFromPrevious).toEqual(eur('0.01'));
    expect(amazon.goodDeal).toBe(false);
  });

  it('flags a good deal within 5% of the lowest price, after five weeks of history', async () => {
    const body = await history(deals, '');
    const flag = (type: string) => body.stats.find((s) => s.priceType === type)?.goodDeal;
    expect(flag('used')).toBe(true); // 84.00 is exactly 5% above 80.00
    expect(flag('new')).toBe(false); // 84.01 is more
    expect(flag('amazon')).toBe(true); // at the lowest, 35 days of history
    expect(flag('buybox')).toBe(false); // at the lowest, one hour short of 35 days
  });

  it('keeps GET /products/{id} with its history as before', async () => {
    const r = await api.get(`/api/v1/products/${known}`);
    expect(r.status).toBe(200);
    expect(r.body.product.id).toBe(known);
    expect(r.body.history).toHaveLength(7);
  });

  it.each([
    ['points=5', 400, 'validation_failed'],
    ['points=100000', 400, 'validation_failed'],
    ['priceType=cheapest', 400, 'validation_failed'],
    ['from=yesterday', 400, 'validation_failed'],
    ['from=2025-01-02&to=2025-01-01', 400, 'invalid_range'],
  ])('answers %s with %i %s', async (query, status, code) => {
    const r = await api.get(`/api/v1/products/${known}/history?${query}`);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
  });

  it('answers an unknown product with 404 and a bad id with 400', async () => {
    expect((await api.get('/api/v1/products/987654/history')).status).toBe(404);
    expect((await api.get('/api/v1/products/x/history')).status).toBe(400);
  });
});
