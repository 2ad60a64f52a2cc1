/**
 * GET /api/v1/search over HTTP on a real database: the local catalogue (typos, marketplace
 * filter, ranking), the demo store's search page merged in and de-duplicated, and stores that
 * block, fail or hang degrading to a status while the catalogue's results still come back.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryWords } from '../../src/catalog/index.js';
import type { Pool } from '../../src/db/pool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ApiClient } from '../helpers/http.js';
import { startCatalogApp, startStandIn, type CatalogApp } from './catalog-harness.js';

interface Result {
  key: string;
  marketplace: string;
  asin: string | null;
  title: string | null;
  price: { amount: string; currency: string } | null;
  inCatalogue: boolean;
  productId: number | null;
  foundIn: string[];
  add: { marketplace: string; asin: string } | { url: string };
}
interface Source {
  source: string;
  marketplace: string | null;
  status: string;
  count: number;
}
interface SearchBody {
  results: Result[];
  sources: Source[];
}

let seq = 0;
async function addProduct(
  pool: Pool,
  p: { title: string; marketplace?: string; watchers?: number; price?: number; currency?: string },
): Promise<number> {
  seq++;
  const asin = `B0TEST${String(seq).padStart(4, '0')}`;
  const marketplace = p.marketplace ?? 'amazon.com';
  const { rows } = await pool.query<{ id: number }>(
    `insert into products (store, marketplace, external_id, url, title, currency, price_buybox)
     values ('amazon', $1, $2, $3, $4, $5, $6) returning id`,
    [
      marketplace,
      asin,
      `https://www.${marketplace}/dp/${asin}`,
      p.title,
      p.currency ?? 'USD',
      p.price ?? 1999,
    ],
  );
  const id = rows[0]?.id as number;
  // Through an update, as the watchlist does it: the trigger carries the count to the search.
  if (p.watchers)
    await pool.query('update products set watcher_count = $2 where id = $1', [id, p.watchers]);
  return id;
}

describe('search', () => {
  let db: TestDatabase;
  let app: CatalogApp;
  let amazonStandIn: Awaited<ReturnType<typeof startStandIn>>;
  let user: ApiClient;
  let anonymous: ApiClient;
  const ids = {
    sonyHeadphones: 0,
    boseHeadphones: 0,
    stand: 0,
    germanHeadphones: 0,
    speaker: 0,
    typoTitle: 0,
    cafe: 0,
    untitled: 0,
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // Amazon's search pages come from a stand-in: amazon.co.uk answers with a captcha,
    // amazon.fr never answers, amazon.de with a 503.
    amazonStandIn = await startStandIn((req, res) => {
      const host = new URL(req.url ?? '/', 'http://x').searchParams.get('host');
      if (host === 'www.amazon.co.uk') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          '<html><head><title>Robot Check</title></head><body><form action="/errors/validateCaptcha"><input id="captchacharacters"></form></body></html>',
        );
      } else if (host === 'www.amazon.de') {
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html><body>Service Unavailable</body></html>');
      }
      // amazon.fr: no answer at all.
    });
    app = await startCatalogApp(db, {
      trustedHosts: [amazonStandIn.host],
      amazonSearchUrl: (host, q) =>
        `${amazonStandIn.url}/s?k=${encodeURIComponent(q)}&host=${encodeURIComponent(host)}`,
      storeTimeoutMs: 1500,
    });
    user = new ApiClient(app.url);
    anonymous = new ApiClient(app.url);
    const signup = await user.post('/api/v1/auth/signup', {
      email: 'searcher@example.com',
      password: 'searcher-password',
      name: 'Searcher',
    });
    expect(signup.status).toBe(201);

    ids.sonyHeadphones = await addProduct(db.pool, {
      title: 'Sony WH-1000XM5 Wireless Noise Cancelling Headphones, Black',
      watchers: 3,
    });
    ids.boseHeadphones = await addProduct(db.pool, {
      title: 'Bose QuietComfort Wireless Headphones, White',
      watchers: 40,
    });
    ids.stand = await addProduct(db.pool, { title: 'Wooden Headphones Stand for Desk' });
    ids.germanHeadphones = await addProduct(db.pool, {
      title: 'Kabellose Kopfhörer mit Geräuschunterdrückung (Headphones), Schwarz',
      marketplace: 'amazon.de',
      currency: 'EUR',
      watchers: 100,
    });
    ids.speaker = await addProduct(db.pool, { title: 'JBL Wireless Bluetooth Speaker' });
    ids.typoTitle = await addProduct(db.pool, { title: 'Cheap Hedphones Earbuds' });
    ids.cafe = await addProduct(db.pool, { title: 'Café Crème Espresso Machine', watchers: 1 });
    ids.untitled = (
      await db.pool.query<{ id: number }>(
        `insert into products (store, marketplace, external_id, url)
         values ('amazon', 'amazon.com', 'B0NOTITLE1', 'https://www.amazon.com/dp/B0NOTITLE1') returning id`,
      )
    ).rows[0]?.id as number;
  });

  afterAll(async () => {
    await app?.stop();
    await amazonStandIn?.close();
    await db?.drop();
  });

  const localSearch = async (query: string): Promise<SearchBody> => {
    const r = await anonymous.get<SearchBody>(`/api/v1/search?sources=local&${query}`);
    expect(r.status).toBe(200);
    return r.body;
  };

  it('finds "Headphones" when asked for "hedphones", and accents do not matter', async () => {
    const body = await localSearch('q=hedphones');
    const found = body.results.map((r) => r.productId);
    expect(found).toEqual(
      expect.arrayContaining([ids.sonyHeadphones, ids.boseHeadphones, ids.stand, ids.typoTitle]),
    );
    // Typed exactly as a title spells it, that title ranks first.
    expect(found[0]).toBe(ids.typoTitle);

    const cafe = await localSearch('q=cafe%20creme');
    expect(cafe.results.map((r) => r.productId)).toEqual([ids.cafe]);
    const accented = await localSearch(`q=${encodeURIComponent('CAFÉ')}`);
    expect(accented.results[0]?.productId).toBe(ids.cafe);
  });

  it('ranks titles with every word first, then the more watched', async () => {
    const body = await localSearch('q=wireless%20headphones');
    const found = body.results.map((r) => r.productId);
    // Both words: Bose (40 watchers) before Sony (3); then titles with one of the words.
    expect(found.slice(0, 2)).toEqual([ids.boseHeadphones, ids.sonyHeadphones]);
    expect(found.indexOf(ids.speaker)).toBeGreaterThan(1);
    expect(found.indexOf(ids.stand)).toBeGreaterThan(1);
    expect(found).not.toContain(ids.untitled);
  });

  it('takes an unfinished last word as the start of one, and a whole word as itself', async () => {
    const typing = await localSearch('q=wireless%20headph');
    expect(typing.results.slice(0, 2).map((r) => r.productId)).toEqual([
      ids.boseHeadphones,
      ids.sonyHeadphones,
    ]);
    const words = await queryWords(db.pool, 'wireless headphones', true);
    expect(words.map((w) => [w.word, w.prefix])).toEqual([
      ['wireless', false],
      ['headphones', false],
    ]);
    const unfinished = await queryWords(db.pool, 'wireless headph', true);
    expect(unfinished.map((w) => [w.word, w.prefix])).toEqual([
      ['wireless', false],
      ['headph', true],
    ]);
  });

  it('filters by marketplace', async () => {
    const all = await localSearch('q=headphones');
    expect(all.results.map((r) => r.productId)).toContain(ids.germanHeadphones);
    const de = await localSearch('q=headphones&marketplace=amazon.de');
    expect(de.results.map((r) => r.productId)).toEqual([ids.germanHeadphones]);
    expect(de.results[0]?.price).toEqual({ amount: '19.99', currency: 'EUR' });
    const kopf = await localSearch(`q=${encodeURIComponent('kopfhorer')}&marketplace=amazon.de`);
    expect(kopf.results.map((r) => r.productId)).toEqual([ids.germanHeadphones]);
  });

  it('finds a product by its ASIN', async () => {
    const asin = (
      await db.pool.query<{ external_id: string }>(
        'select external_id from products where id = $1',
        [ids.speaker],
      )
    ).rows[0]?.external_id as string;
    const body = await localSearch(`q=${asin.toLowerCase()}`);
    expect(body.results[0]).toMatchObject({ productId: ids.speaker, asin });
    expect((await localSearch(`q=${asin}&marketplace=amazon.de`)).results).toEqual([]);
  });

  it('answers a query with no match, or of punctuation only, with no results', async () => {
    expect((await localSearch('q=xylophonezzz')).results).toEqual([]);
    expect((await localSearch(`q=${encodeURIComponent('!!! ???')}`)).results).toEqual([]);
    expect((await localSearch(`q=${encodeURIComponent("it's & | ! (")}`)).results).toEqual([]);
  });

  it('merges the demo store search with the catalogue, each product once', async () => {
    const store = await user.get<SearchBody>(
      '/api/v1/search?q=water%20bottle&marketplace=demo.com',
    );
    expect(store.status).toBe(200);
    const demoSource = store.body.sources.find((s) => s.marketplace === 'demo.com');
    expect(demoSource).toMatchObject({ source: 'store', status: 'ok' });
    const fromStore = store.body.results.filter((r) => r.foundIn.includes('store'));
    expect(fromStore.length).toBeGreaterThan(0);
    const first = fromStore[0] as Result;
    expect(first).toMatchObject({ marketplace: 'demo.com', inCatalogue: false, productId: null });
    expect(first.asin).toMatch(/^[A-Z0-9]{10}$/);
    expect(first.price?.currency).toBe('USD');
    expect(first.add).toEqual({ marketplace: 'demo.com', asin: first.asin });

    // Add it in one step with what the result says, then search again: the product comes once,
    // from the catalogue and the store, with its id.
    const added = await user.post('/api/v1/products', first.add);
    expect(added.status).toBe(201);
    const again = await user.get<SearchBody>(
      '/api/v1/search?q=water%20bottle&marketplace=demo.com',
    );
    const same = again.body.results.filter((r) => r.asin === first.asin);
    expect(same).toHaveLength(1);
    expect(same[0]).toMatchObject({ inCatalogue: true, productId: added.body.product.id });
    expect(same[0]?.foundIn.sort()).toEqual(['local', 'store']);
    expect(new Set(again.body.results.map((r) => r.key)).size).toBe(again.body.results.length);
  });

  it('searches every demo marketplace when none is named', async () => {
    const r = await user.get<SearchBody>('/api/v1/search?q=puzzle&sources=store');
    expect(r.status).toBe(200);
    expect(r.body.sources.map((s) => s.marketplace).sort()).toEqual(
      ['demo.co.jp', 'demo.co.uk', 'demo.com', 'demo.de', 'demo.in'].sort(),
    );
    expect(r.body.sources.every((s) => s.status === 'ok')).toBe(true);
  });

  it('keeps the catalogue results when a store answers with a captcha, an error or nothing', async () => {
    for (const [marketplace, status] of [
      ['amazon.co.uk', 'blocked'],
      ['amazon.de', 'blocked'],
      ['amazon.fr', 'timeout'],
    ] as const) {
      const r = await user.get<SearchBody>(
        `/api/v1/search?q=headphones&marketplace=${marketplace}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.sources).toContainEqual(
        expect.objectContaining({ source: 'store', marketplace, status, count: 0 }),
      );
      expect(r.body.sources).toContainEqual(
        expect.objectContaining({ source: 'local', status: 'ok' }),
      );
    }
    const de = await user.get<SearchBody>('/api/v1/search?q=headphones&marketplace=amazon.de');
    expect(de.body.results.map((r) => r.productId)).toEqual([ids.germanHeadphones]);
  });

  it('keeps the catalogue results when the demo store shows captchas on every page', async () => {
    const faults = await request(`${app.demoStoreUrl}/_admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ captchaRate: 1 }),
    });
    expect(faults.statusCode).toBe(200);
    await faults.body.dump();
    try {
      const r = await user.get<SearchBody>(
        '/api/v1/search?q=headphones%20lantern&marketplace=demo.in',
      );
      expect(r.status).toBe(200);
      expect(r.body.sources).toContainEqual(
        expect.objectContaining({ source: 'store', marketplace: 'demo.in', status: 'blocked' }),
      );
      const all = await user.get<SearchBody>('/api/v1/search?q=hedphones%20lantern');
      expect(all.status).toBe(200);
      expect(all.body.results.map((x) => x.productId)).toContain(ids.boseHeadphones);
      expect(
        all.body.sources.filter((s) => s.source === 'store').every((s) => s.status === 'blocked'),
      ).toBe(true);
    } finally {
      const reset = await request(`${app.demoStoreUrl}/_admin/reset`, { method: 'POST' });
      await reset.body.dump();
    }
  });

  it('leaves the stores out for anonymous callers, and says so', async () => {
    const r = await anonymous.get<SearchBody>('/api/v1/search?q=headphones');
    expect(r.status).toBe(200);
    expect(r.body.results.length).toBeGreaterThan(0);
    expect(
      r.body.sources.filter((s) => s.source === 'store').every((s) => s.status === 'skipped'),
    ).toBe(true);
  });

  it.each([
    ['', 'querystring'],
    ['q=', 'querystring.q'],
    [`q=${'x'.repeat(201)}`, 'querystring.q'],
    ['q=a&limit=0', 'querystring.limit'],
    ['q=a&limit=many', 'querystring.limit'],
    ['q=a&sources=local,web', 'querystring.sources'],
    ['q=a&marketplace=%3Cscript%3E', 'querystring.marketplace'],
  ])('answers bad input (%s) with 400', async (query, where) => {
    const r = await anonymous.get(`/api/v1/search?${query}`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.message).toContain(where);
  });
});
