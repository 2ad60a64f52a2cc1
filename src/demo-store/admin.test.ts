import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minorToDecimal } from '../money/index.js';
import {
  createDemoStore,
  isDemoShortLink,
  parseDemoUrl,
  parseDemoWishlistUrl,
  type DemoStore,
} from './index.js';
import { movedState } from './moves.js';
import { itemAt } from './catalogue.js';
import { json, request, type AdminProduct } from './testing/http.js';

let now = 0;
let store: DemoStore;
let base: string;
let products: AdminProduct[];

beforeAll(async () => {
  store = createDemoStore({ seed: 21, clock: () => now, priceMoves: { enabled: true, speed: 1 } });
  ({ url: base } = await store.listen(0));
  products = (await json<AdminProduct[]>(`${base}/_admin/products`)).body;
});

afterAll(async () => {
  await store.close();
});

describe('short links', () => {
  it('answer 301 with the product page, like amzn.to', async () => {
    for (const p of products.filter((_, i) => i % 30 === 0)) {
      expect(isDemoShortLink(p.shortUrl, base)).toBe(true);
      const res = await request(p.shortUrl);
      expect(res.status).toBe(301);
      const location = String(res.headers.location);
      expect(parseDemoUrl(location, base)).toEqual({
        marketplace: p.marketplace,
        asin: p.asin,
        canonicalUrl: p.url,
      });
      expect((await request(location)).status).toBe(200);
    }
  });

  it('answer 404 for a code of no product, and leave searches alone', async () => {
    expect((await request(`${base}/s/zzzzzzz`)).status).toBe(404);
    const search = await request(`${base}/s/ref=nb_sb_noss?k=${encodeURIComponent('a')}`);
    expect(search.status).toBe(200);
    expect(search.body.toString()).toContain('s-search-results');
    expect(isDemoShortLink(`${base}/s?k=kettle`, base)).toBe(false);
    expect(isDemoShortLink('https://amzn.to/3xYz9Ab', base)).toBe(false);
    expect(
      parseDemoWishlistUrl(`${base}/hz/wishlist/ls/3RTYHM78C5OVZ?ref_=wl_share`, base),
    ).toEqual({
      id: '3RTYHM78C5OVZ',
      canonicalUrl: `${base}/hz/wishlist/ls/3RTYHM78C5OVZ`,
    });
  });
});

describe('product listing', () => {
  it('is a plain array of the whole small catalogue, with the total in a header', async () => {
    const all = await json<AdminProduct[]>(`${base}/_admin/products`);
    expect(all.body).toHaveLength(240);
    expect(all.headers['x-total-count']).toBe('240');
    expect(all.headers.link).toBeUndefined();
    for (const p of all.body) expect(p.expected).toBeDefined();
  });

  it('pages with offset and limit, and links the next page', async () => {
    const page = await json<AdminProduct[]>(`${base}/_admin/products?offset=10&limit=5`);
    expect(page.body.map((p) => p.asin)).toEqual(products.slice(10, 15).map((p) => p.asin));
    expect(page.headers['x-total-count']).toBe('240');
    expect(page.headers.link).toBe(`<${base}/_admin/products?offset=15&limit=5>; rel="next"`);
    const last = await json<AdminProduct[]>(`${base}/_admin/products?offset=235&limit=10`);
    expect(last.body).toHaveLength(5);
    expect(last.headers.link).toBeUndefined();
    const de = await json<AdminProduct[]>(`${base}/_admin/products?mp=de&offset=2&limit=3`);
    expect(de.body.map((p) => p.asin)).toEqual(
      products
        .filter((p) => p.marketplace === 'demo.de')
        .slice(2, 5)
        .map((p) => p.asin),
    );
    expect(de.headers['x-total-count']).toBe('48');
  });

  it('rejects bad paging with 400', async () => {
    for (const q of ['limit=0', 'limit=10001', 'offset=-1', 'offset=abc']) {
      const res = await json<{ error: { code: string } }>(`${base}/_admin/products?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
    }
  });
});

describe('clock', () => {
  it('jumps ahead by whole ticks on POST /_admin/tick', async () => {
    const p = products.find((q) => q.layout === 'apex')!;
    const before = await json<{ clock: { tick: number } }>(`${base}/_admin/state`);
    const after = await json<{ clock: { tick: number } }>(`${base}/_admin/tick`, 'POST', {
      ticks: 45,
    });
    expect(after.body.clock.tick).toBe(before.body.clock.tick + 45);
    const item = itemAt(21, products.indexOf(p));
    const expected = movedState(item, after.body.clock.tick).price;
    const got = (await json<AdminProduct>(`${base}/_admin/products/${p.asin}`)).body;
    expect(got.price).toBe(expected ? minorToDecimal(expected.minor, expected.currency) : null);
    // The fake clock moves the tick too; speed changes keep the ticks already elapsed.
    now += 120_000;
    const later = await json<{ clock: { tick: number } }>(`${base}/_admin/state`);
    expect(later.body.clock.tick).toBe(after.body.clock.tick + 2);
  });

  it('rejects a bad tick count', async () => {
    for (const body of [{ ticks: 0 }, { ticks: 1.5 }, { ticks: '3' }, {}]) {
      const res = await json<{ error: { code: string } }>(`${base}/_admin/tick`, 'POST', body);
      expect(res.status).toBe(400);
    }
    expect((await json(`${base}/_admin/tick`, 'GET')).status).toBe(405);
  });
});
