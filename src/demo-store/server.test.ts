import zlib from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDemoStore,
  parseDemoUrl,
  parseDemoWishlistUrl,
  runDemoStore,
  type DemoStore,
} from './index.js';
import { chooseEncoding } from './server.js';
import { json, request, type AdminProduct } from './testing/http.js';

let store: DemoStore;
let base: string;

let products: AdminProduct[];

beforeAll(async () => {
  store = createDemoStore({ seed: 11, clock: () => 0 });
  ({ url: base } = await store.listen(0, '127.0.0.1'));
  products = (await json<AdminProduct[]>(`${base}/_admin/products`)).body;
});

afterAll(async () => {
  await store.close();
});

beforeEach(async () => {
  await json(`${base}/_admin/reset`, 'POST');
});

/** The first product of a marketplace in a current layout (the tests read their HTML). */
const firstIn = (mp: string, stock = 'in_stock'): AdminProduct =>
  products.find(
    (p) =>
      p.marketplace === mp &&
      p.availability === stock &&
      ['apex', 'apex-split', 'core-table'].includes(p.layout),
  )!;

describe('admin API', () => {
  it('lists every product with the contract fields', () => {
    expect(products).toHaveLength(240);
    const p = products[0]!;
    expect(Object.keys(p)).toEqual(
      expect.arrayContaining([
        'asin',
        'marketplace',
        'url',
        'title',
        'price',
        'currency',
        'listPrice',
        'availability',
        'category',
      ]),
    );
    expect(p.url).toBe(`${base}/com/dp/${p.asin}`);
    expect(p.marketplace).toBe('demo.com');
    for (const q of products) {
      expect(q.price === null || /^\d+(\.\d+)?$/.test(q.price)).toBe(true);
      if (q.currency === 'JPY' && q.price !== null) expect(q.price).toMatch(/^\d+$/);
      // A variation parent offers no price, only a range.
      if (q.layout === 'variation-parent') {
        expect(q.price).toBeNull();
        if (q.availability === 'in_stock') expect(q.priceRange).not.toBeNull();
      } else expect(q.priceRange).toBeNull();
      expect(q.shortUrl).toMatch(new RegExp(`^${base}/s/[0-9A-Za-z]{7}$`));
    }
  });

  it('changes a price at once and the page shows it', async () => {
    const p = firstIn('demo.de');
    const put = await json<AdminProduct>(`${base}/_admin/products/${p.asin}`, 'PUT', {
      price: '1299.5',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ asin: p.asin, price: '1299.50', pinned: true });
    const page = await request(`${base}/de/dp/${p.asin}`);
    const html = page.body.toString('utf8');
    expect(html).toContain('1.299,50\u00a0€');
    const got = await json<AdminProduct>(`${base}/_admin/products/${p.asin}`);
    expect(got.body.price).toBe('1299.50');
  });

  it('takes a product out of stock and back, and null price means no offer', async () => {
    const p = firstIn('demo.com');
    await json(`${base}/_admin/products/${p.asin}`, 'PUT', { availability: 'out_of_stock' });
    let html = (await request(`${base}/com/dp/${p.asin}`)).body.toString();
    expect(html).toContain('Currently unavailable.');
    expect(html).not.toContain('priceToPay"');
    const back = await json<AdminProduct>(`${base}/_admin/products/${p.asin}`, 'PUT', {
      availability: 'in_stock',
    });
    expect(back.body.price).toBe(p.price);
    const none = await json<AdminProduct>(`${base}/_admin/products/${p.asin}`, 'PUT', {
      price: null,
    });
    expect(none.body.price).toBeNull();
    html = (await request(`${base}/com/dp/${p.asin}`)).body.toString();
    expect(html).toContain('See All Buying Options');
    const unpinned = await json<AdminProduct>(`${base}/_admin/products/${p.asin}/pin`, 'DELETE');
    expect(unpinned.body).toMatchObject({ price: p.price, pinned: false });
  });

  it.each([
    ['{not json', 400, 'invalid_json'],
    [JSON.stringify({ price: 12.34 }), 400, 'invalid_price'],
    [JSON.stringify({ price: '12.345' }), 400, 'invalid_price'],
    [JSON.stringify({ price: '-1' }), 400, 'invalid_price'],
    [JSON.stringify({ price: 'abc' }), 400, 'invalid_price'],
    [JSON.stringify({ availability: 'maybe' }), 400, 'invalid_availability'],
    [JSON.stringify({ colour: 'red' }), 400, 'invalid_body'],
    [JSON.stringify({}), 400, 'invalid_body'],
    [JSON.stringify([1]), 400, 'invalid_body'],
  ])('rejects %s with %i %s', async (body, status, code) => {
    const p = firstIn('demo.com');
    const res = await json<{ error: { code: string; message: string } }>(
      `${base}/_admin/products/${p.asin}`,
      'PUT',
      body,
    );
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toBeTruthy();
    expect((await json<AdminProduct>(`${base}/_admin/products/${p.asin}`)).body.pinned).toBe(false);
  });

  it('rejects decimals a currency does not have', async () => {
    const p = firstIn('demo.co.jp');
    const res = await json<{ error: { code: string } }>(
      `${base}/_admin/products/${p.asin}`,
      'PUT',
      {
        price: '1280.50',
      },
    );
    expect(res.body.error.code).toBe('invalid_price');
    const ok = await json<AdminProduct>(`${base}/_admin/products/${p.asin}`, 'PUT', {
      price: '1280',
    });
    expect(ok.body.price).toBe('1280');
  });

  it('answers 404 for an unknown ASIN and 405 for a wrong method', async () => {
    const missing = await json<{ error: { code: string } }>(
      `${base}/_admin/products/B0ZZZZZZZZ`,
      'PUT',
      { price: '1.00' },
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
    expect((await json(`${base}/_admin/products`, 'POST', {})).status).toBe(405);
    expect((await request(`${base}/com/dp/B0ZZZZZZZZ`)).status).toBe(404);
  });

  it('searches as JSON and as an Amazon-style results page', async () => {
    const p = firstIn('demo.com');
    const word = p.title.split(' ')[0]!;
    const res = await json<AdminProduct[]>(
      `${base}/_admin/search?k=${encodeURIComponent(word)}&mp=com`,
    );
    expect(res.body.map((r) => r.asin)).toContain(p.asin);
    expect(res.body.every((r) => r.marketplace === 'demo.com')).toBe(true);
    const html = (await request(`${base}/s?k=${encodeURIComponent(word)}&mp=com`)).body.toString();
    expect(html).toContain(`data-asin="${p.asin}" data-index=`);
    expect(html).toContain('data-component-type="s-search-result"');
    expect(html.match(/data-component-type="s-search-result"/g)).toHaveLength(res.body.length);
  });

  it('reports state and takes clock and fault settings', async () => {
    const state = await json<{ clock: { speed: number }; faults: { errorRate: number } }>(
      `${base}/_admin/faults`,
      'PUT',
      { errorRate: 0.25 },
    );
    expect(state.body.faults.errorRate).toBe(0.25);
    const clock = await json<{ clock: { speed: number; priceMoves: boolean } }>(
      `${base}/_admin/clock`,
      'PUT',
      { speed: 30 },
    );
    expect(clock.body.clock).toMatchObject({ speed: 30, priceMoves: false });
    expect((await json(`${base}/_admin/faults`, 'PUT', { errorRate: 2 })).status).toBe(400);
    await json(`${base}/_admin/clock`, 'PUT', { speed: 1 });
  });
});

describe('product pages', () => {
  it('serves /{mp}/dp/{ASIN}, /dp/{ASIN} and slugs with a canonical link on the request host', async () => {
    const p = firstIn('demo.co.uk');
    const a = await request(`${base}/co.uk/dp/${p.asin}`);
    const b = await request(`${base}/dp/${p.asin}`);
    const c = await request(`${base}/co.uk/Some-Product-Slug/dp/${p.asin}/ref=sr_1_1?th=1`);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect(b.body.equals(a.body)).toBe(true);
    expect(c.body.equals(a.body)).toBe(true);
    expect(a.body.toString()).toContain(
      `<link rel="canonical" href="${base}/co.uk/dp/${p.asin}"/>`,
    );
    const other = await request(`${base}/co.uk/dp/${p.asin}`, {
      headers: { host: 'demo.localhost:9999' },
    });
    expect(other.body.toString()).toContain(
      `<link rel="canonical" href="http://demo.localhost:9999/co.uk/dp/${p.asin}"/>`,
    );
    expect((await request(`${base}/de/dp/${p.asin}`)).status).toBe(404);
  });

  it('sends gzip and brotli bodies that decode to the identity page', async () => {
    const p = firstIn('demo.co.jp');
    const url = `${base}/co.jp/dp/${p.asin}`;
    const plain = await request(url);
    const gz = await request(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const br = await request(url, { headers: { 'accept-encoding': 'br' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gz.body.length).toBeLessThan(plain.body.length / 3);
    expect(gz.headers.vary).toBe('Accept-Encoding');
    const again = await request(url, { headers: { 'if-none-match': String(gz.headers.etag) } });
    expect(again.status).toBe(304);
  });

  it('are the size of real pages with the price early on', async () => {
    for (const p of products.filter((_, i) => i % 24 === 0)) {
      const html = (await request(`${base}/dp/${p.asin}`)).body;
      expect(html.length).toBeGreaterThan(500_000);
      expect(html.length).toBeLessThan(1_600_000);
      const text = html.toString('latin1');
      const firstPrice = Math.min(
        ...[
          'id="corePrice_feature_div"',
          'id="corePriceDisplay_desktop_feature_div"',
          'id="corePrice_desktop"',
          'id="price_inside_buybox"',
          'id="buyNewSection"',
          'class="kindle-price"',
          'ebook-price-value',
          'id="priceblock_',
        ]
          .map((k) => text.indexOf(k))
          .filter((i) => i >= 0),
      );
      expect(firstPrice / text.length).toBeGreaterThan(0.18);
      expect(firstPrice / text.length).toBeLessThan(0.32);
    }
  });

  it('serves product images as SVG', async () => {
    const p = products[5]!;
    const res = await request(`${base}/images/${p.asin}.svg`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.body.toString()).toContain('<svg');
  });
});

describe('faults', () => {
  const pageOf = (p: AdminProduct) => `${base}/${p.marketplace.slice(5)}/dp/${p.asin}`;
  const setFault = (p: AdminProduct, fault: string | null) =>
    json(`${base}/_admin/products/${p.asin}/fault`, 'PUT', { fault });

  it('serves the robot check with status 200', async () => {
    const p = firstIn('demo.com');
    await setFault(p, 'captcha');
    const res = await request(pageOf(p));
    expect(res.status).toBe(200);
    const html = res.body.toString();
    expect(html).toContain('action="/errors/validateCaptcha"');
    expect(html).toContain('opfcaptcha');
    expect(html).not.toContain('productTitle');
    await setFault(p, null);
    expect((await request(pageOf(p))).body.toString()).toContain('productTitle');
  });

  it('serves the 503 dogs page, and 429 with Retry-After when rate limited', async () => {
    const p = firstIn('demo.de');
    await setFault(p, 'error');
    const err = await request(pageOf(p));
    expect(err.status).toBe(503);
    expect(err.body.toString()).toContain('Sorry! Something went wrong!');
    await setFault(p, 'rate_limit');
    const limited = await request(pageOf(p));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('30');
  });

  it('truncates the body and drops the connection', async () => {
    const p = firstIn('demo.in');
    await setFault(p, 'truncate');
    await expect(request(pageOf(p), { headers: { 'accept-encoding': 'gzip' } })).rejects.toThrow();
  });

  it('delays slow responses', async () => {
    const p = firstIn('demo.co.uk');
    await json(`${base}/_admin/faults`, 'PUT', { slowMs: 150 });
    await setFault(p, 'slow');
    const t0 = performance.now();
    const res = await request(pageOf(p));
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('applies store-wide rates to every page', async () => {
    await json(`${base}/_admin/faults`, 'PUT', { captchaRate: 1 });
    for (const p of products.slice(0, 3)) {
      const html = (await request(pageOf(p))).body.toString();
      expect(html).toContain('validateCaptcha');
    }
    await json(`${base}/_admin/faults`, 'PUT', { captchaRate: 0, rateLimitRate: 1 });
    const statuses = new Set<number>();
    for (const p of products.slice(0, 12)) {
      const res = await request(pageOf(p));
      statuses.add(res.status);
      expect(res.headers['retry-after']).toBe('30');
    }
    expect(statuses).toEqual(new Set([429, 503]));
    // Reset clears store-wide faults too.
    await json(`${base}/_admin/reset`, 'POST');
    expect((await request(pageOf(products[0]!))).status).toBe(200);
  });
});

describe('moving prices over HTTP', () => {
  it('follow the store clock', async () => {
    let t = 0;
    const moving = createDemoStore({
      seed: 5,
      productCount: 20,
      clock: () => t,
      priceMoves: { enabled: true, speed: 1 },
    });
    const { url } = await moving.listen(0);
    try {
      const at = async () =>
        (await json<AdminProduct[]>(`${url}/_admin/products`)).body.map((p) => p.price);
      const start = await at();
      let changed = 0;
      for (let minute = 1; minute <= 5; minute++) {
        t = minute * 60_000;
        const prices = await at();
        changed += prices.filter((p, i) => p !== start[i]).length;
      }
      expect(changed).toBeGreaterThan(0);
      const state = await json<{ clock: { tick: number } }>(`${url}/_admin/state`);
      expect(state.body.clock.tick).toBe(5);
    } finally {
      await moving.close();
    }
  });
});

describe('runDemoStore', () => {
  it('starts the store with moving prices and stops it', async () => {
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const running = await runDemoStore({ port: 0, speed: 60, logger: quiet, handleSignals: false });
    try {
      const state = await json<{ clock: { speed: number; priceMoves: boolean } }>(
        `${running.url}/_admin/state`,
      );
      expect(state.body.clock).toMatchObject({ speed: 60, priceMoves: true });
      const home = await request(`${running.url}/`);
      expect(home.status).toBe(200);
      expect(home.body.toString()).toContain('/co.jp/dp/B0');
    } finally {
      await running.close();
    }
    await running.stopped;
  });
});

describe('helpers', () => {
  it('chooses the encoding from Accept-Encoding', () => {
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('gzip, deflate, br')).toBe('gzip');
    expect(chooseEncoding('br')).toBe('br');
    expect(chooseEncoding('gzip;q=0.5, br')).toBe('br');
    expect(chooseEncoding('gzip, br;q=0')).toBe('gzip');
    expect(chooseEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(chooseEncoding('identity')).toBe('identity');
    expect(chooseEncoding('*')).toBe('gzip');
  });

  it('takes the store under another loopback name for the configured origin', () => {
    const b = 'http://127.0.0.1:3001';
    expect(parseDemoUrl('http://localhost:3001/de/dp/B0ABCDEFGH', b)?.canonicalUrl).toBe(
      `${b}/de/dp/B0ABCDEFGH`,
    );
    expect(parseDemoWishlistUrl('http://localhost:3001/hz/wishlist/ls/ABCDEFGH12', b)).toEqual({
      id: 'ABCDEFGH12',
      canonicalUrl: `${b}/hz/wishlist/ls/ABCDEFGH12`,
    });
    expect(parseDemoUrl('http://localhost:3002/de/dp/B0ABCDEFGH', b)).toBeNull();
    expect(parseDemoUrl('http://example.com:3001/de/dp/B0ABCDEFGH', b)).toBeNull();
  });

  it('parses demo URLs', () => {
    const b = 'http://127.0.0.1:3001';
    expect(parseDemoUrl(`${b}/de/dp/B0ABCDEFGH`, b)).toEqual({
      marketplace: 'demo.de',
      asin: 'B0ABCDEFGH',
      canonicalUrl: `${b}/de/dp/B0ABCDEFGH`,
    });
    expect(parseDemoUrl(`${b}/co.jp/Some-Slug/dp/B0ABCDEFGH/ref=x?th=1`, `${b}/`)).toMatchObject({
      marketplace: 'demo.co.jp',
    });
    expect(parseDemoUrl(`${b}/dp/B0ABCDEFGH`, b)).toBeNull();
    expect(parseDemoUrl(`${b}/dp/B0ABCDEFGH`, b, () => 'demo.in')).toMatchObject({
      marketplace: 'demo.in',
      canonicalUrl: `${b}/in/dp/B0ABCDEFGH`,
    });
    expect(parseDemoUrl('http://127.0.0.1:3002/de/dp/B0ABCDEFGH', b)).toBeNull();
    expect(parseDemoUrl(`${b}/de/dp/XYZ`, b)).toBeNull();
    expect(parseDemoUrl('not a url', b)).toBeNull();
  });
});
