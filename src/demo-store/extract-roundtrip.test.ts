/**
 * The demo store is only useful if the real Amazon extractor reads its pages like real pages: every
 * product page, in every state a product can be in, must extract to what the catalogue says.
 */
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractAmazon } from '../stores/amazon/extract.js';
import { generateCatalogue, type CatalogueItem } from './catalogue.js';
import { createDemoStore, type DemoStore } from './index.js';
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
  const shown = state.availability === 'in_stock' && state.price !== null;
  const where = `${item.asin} (${item.marketplace.id}, ${item.layout}, ${JSON.stringify(state)})`;
  expect(o.outcome, where).toBe('ok');
  expect(o.productId, where).toBe(item.asin);
  expect(o.marketplace, where).toBe(item.marketplace.amazonMarketplace);
  expect(o.title, where).toBe(item.title);
  expect(o.price, where).toEqual(shown ? state.price : null);
  expect(o.listPrice, where).toEqual(shown ? state.strikePrice : null);
  expect(o.imageUrl, where).toBe(`${ORIGIN}/images/${item.asin}.svg`);
  // A page with no featured offer says nothing about stock; the extractor may call it unknown.
  if (state.price !== null) expect(o.availability, where).toBe(state.availability);
  if (shown) {
    expect(o.soldByStore, where).toBe(item.soldByStore);
    const used =
      item.usedPercent === null
        ? null
        : {
            minor: Math.round((state.price.minor * item.usedPercent) / 100),
            currency: state.price.currency,
          };
    expect(o.offers.used, where).toEqual(used);
  }
}

describe('Amazon extractor on demo pages', () => {
  it('reads every catalogue product as the catalogue has it', () => {
    for (const item of catalogue)
      expectMatches(item, staticState(item), pageFor(item, staticState(item)));
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
  });

  it('reads a page with no featured offer as having no price', () => {
    for (const item of catalogue.slice(0, 15)) {
      const state = withStrike(item, null, 'in_stock', null, null);
      expectMatches(item, state, pageFor(item, state));
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

  it('matches the admin API after a price change', async () => {
    const products = (await json<AdminProduct[]>(`${base}/_admin/products`)).body;
    for (const p of products.filter((_, i) => i % 40 === 3)) {
      const price = p.currency === 'JPY' ? '4321' : '43.21';
      await json(`${base}/_admin/products/${p.asin}`, 'PUT', { price, availability: 'in_stock' });
      const res = await request(p.url, { headers: { 'accept-encoding': 'gzip' } });
      const html = zlib.gunzipSync(res.body).toString('utf8');
      const o = extractAmazon(html, {
        url: p.url,
        marketplace: p.marketplace.replace('demo', 'amazon'),
      });
      expect(o.price).toEqual({ minor: 4321, currency: p.currency });
      expect(o.title).toBe(p.title);
      expect(o.availability).toBe('in_stock');
    }
  });
});
