/**
 * A store of a million products, as the benchmarks use it: any product page answers, the admin
 * listing pages through the catalogue, and memory stays bounded because nothing is built up front
 * and the page cache keeps to its byte budget. Structure only: no timing is asserted.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minorToDecimal } from '../money/index.js';
import { extractAmazon } from '../stores/amazon/extract.js';
import { asinOf } from './ids.js';
import { createDemoStore, type DemoStore } from './index.js';
import { json, request, type AdminProduct } from './testing/http.js';

const COUNT = 1_000_000;
const BUDGET = 512 * 1024;
let store: DemoStore;
let base: string;

interface State {
  productCount: number;
  itemsInMemory: number;
  cache: { pages: number; bytes: number; maxBytes: number; evictions: number };
}

beforeAll(async () => {
  store = createDemoStore({ seed: 4, productCount: COUNT, pageCacheBytes: BUDGET });
  ({ url: base } = await store.listen(0));
});

afterAll(async () => {
  await store.close();
});

describe('a store of a million products', () => {
  it('starts without building its catalogue', async () => {
    const state = (await json<State>(`${base}/_admin/state`)).body;
    expect(state.productCount).toBe(COUNT);
    expect(state.itemsInMemory).toBeLessThan(100);
  });

  it('lists a page of products from anywhere in the catalogue', async () => {
    const page = await json<AdminProduct[]>(`${base}/_admin/products?offset=999990&limit=5`);
    expect(page.headers['x-total-count']).toBe(String(COUNT));
    expect(page.body.map((p) => p.asin)).toEqual(
      [999_990, 999_991, 999_992, 999_993, 999_994].map((i) => asinOf(4, i)),
    );
    expect(page.headers.link).toContain('offset=999995');
    const de = await json<AdminProduct[]>(`${base}/_admin/products?mp=de&offset=199999&limit=5`);
    expect(de.body).toHaveLength(1);
    expect(de.headers['x-total-count']).toBe('200000');
  });

  it('caps the default listing at 10,000 and links the rest', async () => {
    const res = await request(`${base}/_admin/products`);
    const body = JSON.parse(res.body.toString('utf8')) as AdminProduct[];
    expect(body).toHaveLength(10_000);
    expect(res.headers['x-total-count']).toBe(String(COUNT));
    expect(res.headers.link).toContain('offset=10000');
  });

  it('answers any product page, with what the listing says, from a bounded cache', async () => {
    const indices = [0, 999_999, 123_456, 500_001];
    for (let i = 0; i < 36; i++) indices.push((i * 27_644_437) % COUNT);
    for (const index of indices) {
      const asin = asinOf(4, index);
      const p = (await json<AdminProduct>(`${base}/_admin/products/${asin}`)).body;
      const res = await request(p.url, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status).toBe(200);
      const html = zlib.gunzipSync(res.body).toString('utf8');
      const o = extractAmazon(html, {
        url: p.url,
        marketplace: p.marketplace.replace('demo', 'amazon'),
      });
      expect(o.title).toBe(p.title);
      expect(o.price ? minorToDecimal(o.price.minor, o.price.currency) : null).toBe(
        p.expected.price,
      );
      const { cache } = (await json<State>(`${base}/_admin/state`)).body;
      expect(cache.bytes).toBeLessThanOrEqual(BUDGET);
    }
    const state = (await json<State>(`${base}/_admin/state`)).body;
    expect(state.cache.pages).toBeLessThan(indices.length);
    expect(state.cache.evictions).toBeGreaterThan(0);
    expect(state.itemsInMemory).toBeLessThanOrEqual(20_000);
  });

  it('finds a product by ASIN and follows its short link', async () => {
    const asin = asinOf(4, 777_777);
    const found = (await json<AdminProduct[]>(`${base}/_admin/search?k=${asin}`)).body;
    expect(found.map((p) => p.asin)).toEqual([asin]);
    const res = await request(found[0]!.shortUrl);
    expect(res.status).toBe(301);
    expect(res.headers.location).toContain(`/dp/${asin}`);
    expect((await request(`${base}/s?k=${asin}`)).body.toString()).toContain(`data-asin="${asin}"`);
  });
});
