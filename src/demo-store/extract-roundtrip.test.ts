/**
 * The demo store is only useful if the real Amazon extractor reads its pages like real pages: every
 * product page, in every layout and every state a product can be in, must extract to what the
 * catalogue says the page shows (`expectedReading`, layouts.ts).
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minorToDecimal, type Money } from '../money/index.js';
import { amazonHasEnough, extractAmazon } from '../stores/amazon/extract.js';
import { SLACK, findHorizon } from '../stores/amazon/page.js';
import { generateCatalogue, PAGE_LAYOUTS, type CatalogueItem } from './catalogue.js';
import { createDemoStore, type DemoStore } from './index.js';
import { expectedReading } from './layouts.js';
import { movedState, staticState, withStrike, type ProductState } from './moves.js';
import { captchaPage, errorPage } from './render/interstitials.js';
import { renderProductPage } from './render/product-page.js';
import { request, type AdminProduct, json } from './testing/http.js';

const ORIGIN = 'http://127.0.0.1:3001';
const catalogue = generateCatalogue(1);

function pageFor(item: CatalogueItem, state: ProductState): string {
  const neighbours = catalogue.filter((c) => c.marketplace === item.marketplace && c !== item);
  return renderProductPage({ item, state, origin: ORIGIN, neighbours: neighbours.slice(0, 48) });
}

function expectMatches(item: CatalogueItem, state: ProductState, html: string): void {
  const url = `${ORIGIN}/${item.marketplace.code}/dp/${item.asin}`;
  const o = extractAmazon(html, { url, marketplace: item.marketplace.amazonMarketplace });
  const e = expectedReading(item, state);
  const where = `${item.asin} (${item.marketplace.id}, ${item.layout}, ${JSON.stringify(state)})`;
  expect(o.outcome, where).toBe('ok');
  expect(o.productId, where).toBe(e.productId);
  expect(o.marketplace, where).toBe(item.marketplace.amazonMarketplace);
  expect(o.title, where).toBe(item.title);
  expect(o.imageUrl, where).toBe(`${ORIGIN}/images/${item.asin}.svg`);
  expect(o.price, where).toEqual(e.price);
  expect(o.listPrice, where).toEqual(e.listPrice);
  expect(o.priceRange ?? null, where).toEqual(e.priceRange);
  expect(o.availability, where).toBe(e.availability);
  expect(o.soldByStore, where).toBe(e.soldByStore);
  expect(o.offers, where).toEqual(e.offers);
}

/** The states a page can show: as catalogued, no featured offer, out of stock, moved. */
function statesOf(item: CatalogueItem): ProductState[] {
  return [
    staticState(item),
    withStrike(item, null, 'in_stock', null, null),
    withStrike(item, item.price, 'out_of_stock', null, null),
  ];
}

describe('Amazon extractor on demo pages', () => {
  it('has every layout in the default catalogue, most products on the current ones', () => {
    const count = (l: string) => catalogue.filter((i) => i.layout === l).length;
    for (const layout of PAGE_LAYOUTS) expect(count(layout), layout).toBeGreaterThan(0);
    const current = ['apex-split', 'apex', 'core-table', 'apex-deal'].map(count);
    expect(current.reduce((a, b) => a + b, 0)).toBeGreaterThan(catalogue.length / 2);
  });

  it('reads every catalogue product as the catalogue has it', () => {
    for (const item of catalogue)
      expectMatches(item, staticState(item), pageFor(item, staticState(item)));
  });

  it('reads every layout with no featured offer, out of stock and in stock', () => {
    for (const layout of PAGE_LAYOUTS) {
      for (const item of catalogue.filter((i) => i.layout === layout).slice(0, 4)) {
        for (const state of statesOf(item)) expectMatches(item, state, pageFor(item, state));
      }
    }
  });

  it('reads every layout in every marketplace format', () => {
    const wide = generateCatalogue(3, 2_000);
    const seen = new Set<string>();
    for (const item of wide) {
      const key = `${item.layout}/${item.marketplace.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const neighbours = wide.filter((c) => c.marketplace === item.marketplace).slice(0, 48);
      const state = staticState(item);
      const html = renderProductPage({ item, state, origin: ORIGIN, neighbours });
      expectMatches(item, state, html);
    }
    expect(seen.size).toBe(PAGE_LAYOUTS.length * 5);
  });

  it('reads moving prices: sales with a "was" price, stock-outs and restocks', () => {
    const seen = new Set<string>();
    for (const item of catalogue.filter((_, i) => i % 4 === 0)) {
      for (let t = 0; t < 240; t += 3) {
        const state = movedState(item, t);
        const kind = `${item.layout}/${state.availability}/${state.strikeKind}`;
        if (seen.has(`${item.asin}/${kind}`)) continue;
        seen.add(`${item.asin}/${kind}`);
        expectMatches(item, state, pageFor(item, state));
      }
    }
    const kinds = new Set([...seen].map((s) => s.split('/').slice(1).join('/')));
    expect(kinds).toContain('apex-split/in_stock/was');
    expect(kinds).toContain('core-table/out_of_stock/null');
    expect(kinds).toContain('legacy-saleprice/in_stock/was');
  });

  it('reads a variation parent as a range and no price', () => {
    const parent = catalogue.find((i) => i.layout === 'variation-parent')!;
    const o = extractAmazon(pageFor(parent, staticState(parent)), {
      marketplace: parent.marketplace.amazonMarketplace,
    });
    expect(o.price).toBeNull();
    expect(o.priceRange?.min).toEqual(parent.price);
    expect(o.priceRange!.max.minor).toBeGreaterThan(parent.price.minor);
    expect(o.availability).toBe('unknown');
  });

  it('reads the Kindle price, not Kindle Unlimited 0.00 or the print formats', () => {
    for (const item of catalogue.filter((i) => i.layout.startsWith('kindle'))) {
      const html = pageFor(item, staticState(item));
      expect(html).toMatch(/\b0[.,]00|￥0/);
      const o = extractAmazon(html, { marketplace: item.marketplace.amazonMarketplace });
      expect(o.price, item.asin).toEqual(item.price);
      expect(o.availability).toBe('in_stock');
    }
  });

  it('gives the extractor everything it reads before the early-stop point', () => {
    for (const layout of PAGE_LAYOUTS) {
      const item = catalogue.find((i) => i.layout === layout)!;
      const html = pageFor(item, staticState(item));
      const horizon = findHorizon(html);
      expect(horizon, layout).toBeGreaterThan(0);
      expect(amazonHasEnough(html), layout).toBe(true);
      expect(extractAmazon(html.slice(0, horizon + SLACK)), layout).toEqual(extractAmazon(html));
    }
  });

  it('reports the robot check and the 503 page as blocked, never as a price', () => {
    const mp = catalogue[0]!.marketplace;
    expect(
      extractAmazon(captchaPage(mp, '/com/dp/B0ABCDEFGH', 'ABCDEF0123456789'), {}).outcome,
    ).toBe('captcha');
    expect(extractAmazon(errorPage(), {}).outcome).toBe('error');
  });
});

describe('Amazon extractor on pages served over HTTP', () => {
  let store: DemoStore;
  let base: string;
  beforeAll(async () => {
    store = createDemoStore({ seed: 1 });
    ({ url: base } = await store.listen(0));
  });
  afterAll(async () => {
    await store.close();
  });

  const extract = async (p: AdminProduct) => {
    const res = await request(p.url, { headers: { 'accept-encoding': 'gzip' } });
    const html = zlib.gunzipSync(res.body).toString('utf8');
    return extractAmazon(html, {
      url: p.url,
      marketplace: p.marketplace.replace('demo', 'amazon'),
    });
  };

  it('reads what the admin API says the extractor should read, for every layout', async () => {
    const products = (await json<AdminProduct[]>(`${base}/_admin/products`)).body;
    for (const layout of PAGE_LAYOUTS) {
      const p = products.find((q) => q.layout === layout)!;
      const o = await extract(p);
      const money = (m: Money | null) => (m ? minorToDecimal(m.minor, m.currency) : null);
      expect(money(o.price), layout).toBe(p.expected.price);
      expect(money(o.listPrice), layout).toBe(p.expected.listPrice);
      expect(o.availability, layout).toBe(p.expected.availability);
      expect(
        o.priceRange ? { min: money(o.priceRange.min), max: money(o.priceRange.max) } : null,
        layout,
      ).toEqual(p.expected.priceRange);
    }
  });

  it('matches the admin API after a price change', async () => {
    const products = (await json<AdminProduct[]>(`${base}/_admin/products`)).body;
    for (const p of products.filter((q, i) => i % 20 === 3 && q.layout !== 'variation-parent')) {
      const price = p.currency === 'JPY' ? '4321' : '43.21';
      await json(`${base}/_admin/products/${p.asin}`, 'PUT', { price, availability: 'in_stock' });
      const o = await extract(p);
      expect(o.price, p.layout).toEqual({ minor: 4321, currency: p.currency });
      expect(o.title).toBe(p.title);
      expect(o.availability).toBe('in_stock');
    }
  });
});
