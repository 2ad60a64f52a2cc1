/**
 * The checker with PA-API as its bulk source, against the signature-verifying stand-in: ten ASINs
 * a request, answers applied like page observations, and what PA-API cannot answer read from the
 * product's page instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import type { StoreRegistry } from '../stores/index.js';
import { createPaapiClient, createPaapiSource } from '../stores/paapi/index.js';
import { startStandin, type Standin } from '../stores/paapi/testing/standin.js';
import { emptyObservation } from '../stores/types.js';
import { createChecker } from './checker.js';
import { createFetcher, type Fetcher, type FetchResult } from './fetcher.js';

const KEY = 'AKIAPAAPITEST0000001';
const SECRET = 'paapi-secret-key-for-tests-0123456789abcd';
const NOW = new Date('2026-11-25T10:00:00Z');
const asin = (i: number) => `B0DE${String(i).padStart(6, '0')}`;
const item = (i: number) => ({
  ASIN: asin(i),
  ItemInfo: { Title: { DisplayValue: `Produkt ${i}` } },
  Offers: {
    Listings: [
      {
        Availability: { Type: 'Now' },
        MerchantInfo: { Id: 'A3JWKAKR8XB7XF', Name: 'Amazon.de' },
        Price: { Amount: 10 + i, Currency: 'EUR', DisplayAmount: `${10 + i},00 €` },
      },
    ],
  },
});

describe('checker with PA-API', () => {
  let db: TestDatabase;
  let standin: Standin;
  let apiFetcher: Fetcher;
  const pageFetches: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // The stand-in knows eleven of the twelve amazon.de products.
    standin = await startStandin({
      accessKey: KEY,
      secretKey: SECRET,
      partnerTag: 'pricehawk-21',
      host: 'webservices.amazon.de',
      region: 'eu-west-1',
      marketplace: 'www.amazon.de',
      items: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [asin(i), item(i)])),
      clock: () => NOW,
    });
    const port = new URL(standin.origin).port;
    apiFetcher = createFetcher({
      logger: createLogger('silent'),
      acceptsHost: () => false,
      trustedHosts: [`webservices.amazon.de:${port}`],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    for (let i = 0; i < 12; i++) {
      await db.pool.query(
        `insert into products (store, marketplace, external_id, url, currency, next_check_at)
         values ('amazon', 'amazon.de', $1, 'https://www.amazon.de/dp/' || $1, 'EUR', $2)`,
        [asin(i), new Date(NOW.getTime() - 1000)],
      );
    }
    await db.pool.query(
      `insert into products (store, marketplace, external_id, url, currency, next_check_at)
       values ('amazon', 'amazon.com', 'B0US000001', 'https://www.amazon.com/dp/B0US000001', 'USD', $1)`,
      [new Date(NOW.getTime() - 1000)],
    );
  });

  afterAll(async () => {
    await apiFetcher.close();
    await standin.close();
    await db.drop();
  });

  it('reads covered products ten a request and the rest from their pages', async () => {
    const client = createPaapiClient({
      accessKey: KEY,
      secretKey: SECRET,
      partnerTag: 'pricehawk-21',
      clock: () => NOW,
      send: async (req) => {
        // Test only: the stand-in speaks plain HTTP on its port; the signed Host stays the same.
        const url = new URL(req.url);
        url.protocol = 'http:';
        url.port = new URL(standin.origin).port;
        const res = await apiFetcher.fetch({
          url: url.toString(),
          method: 'POST',
          body: req.body,
          headers: { ...req.headers },
        });
        return { status: res.status, body: res.body, headers: res.headers };
      },
    });
    const pages: Fetcher = {
      async fetch(req) {
        pageFetches.push(req.url);
        return {
          status: 200,
          url: req.url,
          body: '',
          headers: {},
          bytesRead: 0,
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
        extract: (_html: string, p: { marketplace: string }) =>
          emptyObservation('amazon', 'ok', {
            price: { minor: 999, currency: p.marketplace === 'amazon.de' ? 'EUR' : 'USD' },
            availability: 'in_stock',
          }),
      }),
    } as unknown as StoreRegistry;
    const checker = createChecker({
      pool: db.pool,
      fetcher: pages,
      stores,
      logger: createLogger('silent'),
      metrics: createMetrics(),
      clock: () => NOW,
      random: () => 0.5,
      workerId: 'w',
      policy: {
        intervalWatchedMs: 3_600_000,
        intervalUnwatchedMs: 86_400_000,
        dailyCap: 3,
        furtherDropPercent: 5,
      },
      batchSize: 50,
      concurrency: 4,
      leaseMs: 60_000,
      bulk: createPaapiSource({
        client,
        marketplaces: ['amazon.de'],
        logger: createLogger('silent'),
        clock: () => NOW,
      }),
    });

    expect(await checker.runBatch()).toBe(13);
    expect(standin.requests.map((r) => r.itemIds.length)).toEqual([10, 2]);
    expect(standin.requests.every((r) => r.verification.ok)).toBe(true);
    expect(pageFetches.sort()).toEqual([
      'https://www.amazon.com/dp/B0US000001',
      `https://www.amazon.de/dp/${asin(11)}`,
    ]);

    const { rows } = await db.pool.query<{
      external_id: string;
      price_buybox: number;
      price_amazon: number | null;
      title: string | null;
    }>('select external_id, price_buybox, price_amazon, title from products order by id');
    expect(rows[0]).toEqual({
      external_id: asin(0),
      price_buybox: 1000,
      price_amazon: 1000,
      title: 'Produkt 0',
    });
    expect(rows[10]?.price_buybox).toBe(2000);
    expect(rows[11]?.price_buybox).toBe(999); // read from its page
  });
});
