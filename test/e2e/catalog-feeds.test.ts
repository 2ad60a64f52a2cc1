/**
 * The public pages and feeds over HTTP on a real database: top drops and popular products, a
 * product's Atom feed, a user's secret alerts feed (scoped to that user, rotatable), and the
 * SVG chart; every document well formed with scraped titles escaped.
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '../../src/db/pool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ApiClient } from '../helpers/http.js';
import { startCatalogApp, xmlProblem, type CatalogApp } from './catalog-harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Math.floor(Date.now() / HOUR) * HOUR;
const EVIL = `Evil <script>alert("x")</script> ]]> & Co's "Best" <![CDATA[ y ]]>\u0001`;
const EVIL_CLEAN = EVIL.replace('\u0001', '');

let seq = 0;
async function product(
  pool: Pool,
  opts: { title?: string; watchers?: number; currency?: string } = {},
): Promise<number> {
  seq++;
  const { rows } = await pool.query<{ id: number }>(
    `insert into products (store, marketplace, external_id, url, title, currency)
     values ('amazon', 'amazon.com', $1, 'https://www.amazon.com/dp/' || $1, $2, $3) returning id`,
    [
      `B0FEED${String(seq).padStart(4, '0')}`,
      opts.title ?? `Product ${seq}`,
      opts.currency ?? 'USD',
    ],
  );
  const id = rows[0]?.id as number;
  if (opts.watchers)
    await pool.query('update products set watcher_count = $2 where id = $1', [id, opts.watchers]);
  return id;
}

async function points(
  pool: Pool,
  productId: number,
  list: ReadonlyArray<readonly [ago: number, amount: number | null]>,
  currency = 'USD',
): Promise<void> {
  for (const [ago, amount] of list) {
    await pool.query(
      `insert into price_points (product_id, price_type, observed_at, amount, currency)
       values ($1, 'buybox', $2, $3, $4)`,
      [productId, new Date(NOW - ago), amount, currency],
    );
  }
}

const fetchRaw = async (url: string, headers: Record<string, string> = {}) => {
  const res = await request(url, { headers });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
};

const texts = (xml: string, tag: string): string[] =>
  DomUtils.getElementsByTagName(tag, parseDocument(xml, { xmlMode: true }), true).map((e) =>
    DomUtils.textContent(e),
  );

describe('deals, feeds and charts', () => {
  let db: TestDatabase;
  let app: CatalogApp;
  let api: ApiClient;
  const p: Record<string, number> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startCatalogApp(db, { clock: () => new Date(NOW) });
    api = new ApiClient(app.url);

    p.twenty = await product(db.pool, { watchers: 2 });
    await points(db.pool, p.twenty, [
      [3 * DAY, 10_000],
      [5 * HOUR, 8_000],
    ]);
    p.ten = await product(db.pool, { watchers: 1 });
    await points(db.pool, p.ten, [
      [10 * DAY, 100_000],
      [2 * HOUR, 90_000],
    ]);
    p.half = await product(db.pool, { watchers: 5, currency: 'EUR' });
    await points(
      db.pool,
      p.half,
      [
        [2 * DAY, 1_000],
        [1 * HOUR, 500],
      ],
      'EUR',
    );
    p.unwatched = await product(db.pool);
    await points(db.pool, p.unwatched, [
      [3 * DAY, 10_000],
      [1 * HOUR, 1_000],
    ]);
    p.rose = await product(db.pool, { watchers: 1 });
    await points(db.pool, p.rose, [
      [3 * DAY, 1_000],
      [1 * HOUR, 1_200],
    ]);
    p.fresh = await product(db.pool, { watchers: 1 });
    await points(db.pool, p.fresh, [[3 * HOUR, 500]]);
    p.back = await product(db.pool, { watchers: 1 });
    await points(db.pool, p.back, [
      [3 * DAY, 1_000],
      [10 * HOUR, 800],
      [1 * HOUR, 1_000],
    ]);
    p.older = await product(db.pool, { watchers: 1 });
    await points(db.pool, p.older, [
      [3 * DAY, 1_000],
      [30 * HOUR, 900],
    ]);
    p.gone = await product(db.pool, { watchers: 1 });
    await points(db.pool, p.gone, [
      [3 * DAY, 1_000],
      [1 * HOUR, null],
    ]);

    p.evil = await product(db.pool, { title: EVIL, watchers: 3 });
    await points(db.pool, p.evil, [
      [40 * DAY, 4_999],
      [20 * DAY, 3_999],
      [2 * DAY, null],
      [1 * DAY, 4_599],
    ]);
    p.empty = await product(db.pool, { title: 'Never Priced Yet' });
  });

  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  describe('GET /api/v1/deals', () => {
    interface DropJson {
      product: { id: number };
      before: { amount: string; currency: string };
      after: { amount: string; currency: string };
      drop: { amount: string; currency: string };
      dropPercent: number;
    }

    it('ranks the last day’s drops among watched products by percentage and by amount', async () => {
      const r = await api.get('/api/v1/deals');
      expect(r.status).toBe(200);
      const byPercent = r.body.drops.byPercent as DropJson[];
      expect(byPercent.map((d) => d.product.id)).toEqual([p.half, p.twenty, p.ten]);
      expect(byPercent[0]).toMatchObject({
        before: { amount: '10.00', currency: 'EUR' },
        after: { amount: '5.00', currency: 'EUR' },
        drop: { amount: '5.00', currency: 'EUR' },
        dropPercent: 50,
      });
      expect(byPercent[1]).toMatchObject({
        dropPercent: 20,
        drop: { amount: '20.00', currency: 'USD' },
      });
      // Amounts compare within one currency (USD unless asked).
      expect(r.body.currency).toBe('USD');
      expect((r.body.drops.byAmount as DropJson[]).map((d) => d.product.id)).toEqual([
        p.ten,
        p.twenty,
      ]);
      const eur = await api.get('/api/v1/deals?currency=EUR');
      expect((eur.body.drops.byAmount as DropJson[]).map((d) => d.product.id)).toEqual([p.half]);
    });

    it('widens the window on request, and lists the most watched products', async () => {
      const r = await api.get('/api/v1/deals?window=2d&limit=10');
      const ids = (r.body.drops.byPercent as DropJson[]).map((d) => d.product.id);
      expect(ids).toContain(p.older);
      expect(ids).not.toContain(p.unwatched);
      const popular = r.body.popular as Array<{ id: number; watchers: number }>;
      expect(popular.slice(0, 3).map((x) => x.id)).toEqual([p.half, p.evil, p.twenty]);
      expect(popular[0]?.watchers).toBe(5);
      expect(popular.map((x) => x.id)).not.toContain(p.unwatched);
    });

    it.each(['window=0h', 'window=1w', 'window=999d', 'limit=0', 'currency=EURO', 'priceType=x'])(
      'answers %s with 400',
      async (q) => {
        const r = await api.get(`/api/v1/deals?${q}`);
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('validation_failed');
      },
    );
  });

  describe('product feed', () => {
    it('is well-formed Atom with the scraped title escaped, and cacheable', async () => {
      const r = await fetchRaw(`${app.url}/feeds/products/${p.evil}.xml`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toContain('application/atom+xml');
      expect(xmlProblem(r.body)).toBeNull();
      expect(r.body).not.toContain('<script>');
      expect(r.body).not.toContain('\u0001');
      expect(texts(r.body, 'feed')).toHaveLength(1);
      const titles = texts(r.body, 'title');
      expect(titles[0]).toBe(`${EVIL_CLEAN}: prices`);
      // Newest first: 4,599 after an unavailable spell, unavailable, a drop, the first price.
      expect(titles.slice(1)).toEqual([
        `${EVIL_CLEAN}: Buy box: $45.99`,
        `${EVIL_CLEAN}: Buy box: not available`,
        `${EVIL_CLEAN}: Buy box dropped to $39.99 (was $49.99, −20.0%)`,
        `${EVIL_CLEAN}: Buy box: $49.99`,
      ]);
      // The HTML content escapes the title once more, for the reader's HTML.
      const content = texts(r.body, 'content')[0] ?? '';
      expect(content).toContain('&lt;script&gt;');
      expect(content).not.toContain('<script>');

      const etag = r.headers.etag as string;
      expect(etag).toBeTruthy();
      expect(r.headers['cache-control']).toContain('public');
      const again = await fetchRaw(`${app.url}/feeds/products/${p.evil}.xml`, {
        'if-none-match': etag,
      });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
    });

    it('answers an unknown product with 404 and a bad id with 400', async () => {
      expect((await fetchRaw(`${app.url}/feeds/products/999999.xml`)).status).toBe(404);
      expect((await fetchRaw(`${app.url}/feeds/products/abc.xml`)).status).toBe(400);
    });
  });

  describe('alerts feed', () => {
    it('shows each user their own alerts only, at a URL that rotation replaces', async () => {
      const alice = new ApiClient(app.url);
      const bob = new ApiClient(app.url);
      for (const [client, name] of [
        [alice, 'alice'],
        [bob, 'bob'],
      ] as const) {
        const s = await client.post('/api/v1/auth/signup', {
          email: `${name}@example.com`,
          password: `${name}-password-1`,
          name,
        });
        expect(s.status).toBe(201);
      }
      const userId = async (email: string) =>
        (await db.pool.query<{ id: number }>('select id from users where email = $1', [email]))
          .rows[0]?.id as number;
      const aliceId = await userId('alice@example.com');
      const bobId = await userId('bob@example.com');
      await db.pool.query(
        `insert into notifications (user_id, product_id, kind, price_type, price_minor, previous_minor, currency, created_at)
         values ($1, $3, 'price_drop', 'buybox', 4599, 4999, 'USD', $4),
                ($1, $3, 'back_in_stock', 'buybox', 4599, null, 'USD', $5),
                ($2, $6, 'price_drop', 'buybox', 8000, 10000, 'USD', $4)`,
        [aliceId, bobId, p.evil, new Date(NOW - 2 * HOUR), new Date(NOW - HOUR), p.twenty],
      );

      const aliceFeed = await alice.get('/api/v1/me/feed');
      expect(aliceFeed.status).toBe(200);
      expect((await alice.get('/api/v1/me/feed')).body.url).toBe(aliceFeed.body.url);
      const bobFeed = await bob.get('/api/v1/me/feed');
      expect(bobFeed.body.url).not.toBe(aliceFeed.body.url);
      const path = (u: string) => new URL(u).pathname;
      expect(aliceFeed.body.url).toMatch(
        /^http:\/\/pricehawk\.test\/feeds\/alerts\/[\w-]{32}\.xml$/,
      );

      const a = await fetchRaw(`${app.url}${path(aliceFeed.body.url)}`);
      expect(a.status).toBe(200);
      expect(xmlProblem(a.body)).toBeNull();
      expect(a.headers['cache-control']).toContain('private');
      const aliceTitles = texts(a.body, 'title').slice(1);
      expect(aliceTitles).toEqual([
        `${EVIL_CLEAN}: back in stock at $45.99`,
        `${EVIL_CLEAN}: price dropped to $45.99 (was $49.99)`,
      ]);
      const b = await fetchRaw(`${app.url}${path(bobFeed.body.url)}`);
      expect(texts(b.body, 'title').slice(1)).toEqual([
        'Product 1: price dropped to $80.00 (was $100.00)',
      ]);

      const rotated = await alice.post('/api/v1/me/feed/rotate');
      expect(rotated.status).toBe(200);
      expect(rotated.body.url).not.toBe(aliceFeed.body.url);
      expect((await fetchRaw(`${app.url}${path(aliceFeed.body.url)}`)).status).toBe(404);
      expect((await fetchRaw(`${app.url}${path(rotated.body.url)}`)).status).toBe(200);
      expect((await fetchRaw(`${app.url}${path(bobFeed.body.url)}`)).status).toBe(200);
    });

    it('is refused without a session, and unknown tokens are 404', async () => {
      const anonymous = new ApiClient(app.url);
      expect((await anonymous.get('/api/v1/me/feed')).status).toBe(401);
      expect((await anonymous.post('/api/v1/me/feed/rotate')).status).toBe(401);
      expect((await fetchRaw(`${app.url}/feeds/alerts/${'a'.repeat(32)}.xml`)).status).toBe(404);
      expect((await fetchRaw(`${app.url}/feeds/alerts/short.xml`)).status).toBe(404);
    });
  });

  describe('chart', () => {
    it('is a well-formed SVG with the title escaped, embeddable and cacheable', async () => {
      const r = await fetchRaw(`${app.url}/charts/products/${p.evil}.svg?days=60&width=800`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toContain('image/svg+xml');
      expect(r.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(xmlProblem(r.body)).toBeNull();
      expect(r.body).not.toContain('<script');
      const doc = parseDocument(r.body, { xmlMode: true });
      const svg = DomUtils.getElementsByTagName('svg', doc, true);
      expect(svg).toHaveLength(1);
      expect(texts(r.body, 'title')[0]).toBe(`${EVIL_CLEAN} · Buy box (USD)`);
      const labels = texts(r.body, 'text');
      expect(labels).toContain(EVIL_CLEAN);
      expect(labels).toContain('$49.99'); // highest
      expect(labels).toContain('$39.99'); // lowest
      expect(labels).toContain('now $45.99');
      // One step line, broken where the price was unavailable.
      const path = DomUtils.getElementsByTagName('path', doc, true)[0];
      expect(path?.attribs.d?.split('M')).toHaveLength(3);

      const etag = r.headers.etag as string;
      expect(r.headers['cache-control']).toContain('max-age');
      const again = await fetchRaw(`${app.url}/charts/products/${p.evil}.svg?days=60&width=800`, {
        'if-none-match': etag,
      });
      expect(again.status).toBe(304);
    });

    it('draws an empty chart for a product without prices, and refuses bad input', async () => {
      const r = await fetchRaw(`${app.url}/charts/products/${p.empty}.svg`);
      expect(r.status).toBe(200);
      expect(xmlProblem(r.body)).toBeNull();
      expect(texts(r.body, 'text')).toContain('No price history yet');
      expect((await fetchRaw(`${app.url}/charts/products/${p.evil}.svg?days=0`)).status).toBe(400);
      expect((await fetchRaw(`${app.url}/charts/products/${p.evil}.svg?priceType=x`)).status).toBe(
        400,
      );
      expect((await fetchRaw(`${app.url}/charts/products/999999.svg`)).status).toBe(404);
    });
  });
});
