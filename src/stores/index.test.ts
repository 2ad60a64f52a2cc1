import { describe, expect, it } from 'vitest';
import { createStoreRegistry, isPublicHostName } from './index.js';

const stores = createStoreRegistry({ demoBaseUrl: 'http://127.0.0.1:3001' });

describe('identifying what people paste', () => {
  it('reads Amazon URLs of any marketplace to (marketplace, ASIN) and a canonical URL', () => {
    expect(
      stores.identify(
        'https://www.amazon.de/Gastroback-Wasserkocher/dp/B000LQXC2Q/ref=sr_1_1?keywords=x',
      ),
    ).toEqual({
      kind: 'product',
      identity: {
        store: 'amazon',
        marketplace: 'amazon.de',
        externalId: 'B000LQXC2Q',
        url: 'https://www.amazon.de/dp/B000LQXC2Q',
        currency: 'EUR',
      },
    });
    const jp = stores.identify('amazon.co.jp/gp/product/B07XJ8C8F5');
    expect(jp.kind === 'product' && jp.identity.marketplace).toBe('amazon.co.jp');
  });

  it('reads a bare ASIN, on amazon.com unless a marketplace is given', () => {
    const com = stores.identify('b0057oc5o8');
    expect(com.kind === 'product' && com.identity).toMatchObject({
      marketplace: 'amazon.com',
      externalId: 'B0057OC5O8',
    });
    const uk = stores.identify('B0057OC5O8', { marketplace: 'amazon.co.uk' });
    expect(uk.kind === 'product' && uk.identity.url).toBe('https://www.amazon.co.uk/dp/B0057OC5O8');
    expect(stores.identify('B0057OC5O8', { marketplace: 'amazon.xx' }).kind).toBe('unrecognised');
  });

  it('leaves short links to be resolved by the fetcher', () => {
    expect(stores.identify('https://amzn.to/3abcDEF')).toEqual({
      kind: 'short_link',
      url: 'https://amzn.to/3abcDEF',
    });
  });

  it('reads demo store URLs as demo products', () => {
    const d = stores.identify('http://127.0.0.1:3001/de/dp/B0ABCDEFGH');
    expect(d.kind === 'product' && d.identity).toEqual({
      store: 'demo',
      marketplace: 'demo.de',
      externalId: 'B0ABCDEFGH',
      url: 'http://127.0.0.1:3001/de/dp/B0ABCDEFGH',
      currency: 'EUR',
    });
  });

  it('reads the demo store under another loopback name as the configured one', () => {
    for (const host of ['localhost:3001', '[::1]:3001']) {
      const d = stores.identify(`http://${host}/de/dp/B0ABCDEFGH`);
      expect(d.kind === 'product' && d.identity.url).toBe('http://127.0.0.1:3001/de/dp/B0ABCDEFGH');
    }
    expect(stores.identify('http://localhost:3001/s/6zNrDk3')).toEqual({
      kind: 'short_link',
      url: 'http://127.0.0.1:3001/s/6zNrDk3',
    });
    // Another port is another server: not the demo store, and not a public store either.
    expect(stores.identify('http://localhost:3002/de/dp/B0ABCDEFGH').kind).toBe('unrecognised');
  });

  it('keys other stores by URL without tracking parameters or fragment', () => {
    const s = stores.identify(
      'https://www.overstock.com/Home-Garden/Plates/34092028/product.html?utm_source=x&option=2#reviews',
    );
    expect(s.kind === 'product' && s.identity).toEqual({
      store: 'structured',
      marketplace: 'overstock.com',
      externalId: 'https://www.overstock.com/Home-Garden/Plates/34092028/product.html?option=2',
      url: 'https://www.overstock.com/Home-Garden/Plates/34092028/product.html?option=2',
    });
  });

  it.each([
    'ftp://example.com/x',
    'javascript:alert(1)',
    'hello world',
    'http://localhost:8080/p',
    'http://10.0.0.1/p',
    'https://www.amazon.de/gp/help/x',
  ])('refuses %s', (input) => {
    expect(stores.identify(input).kind).toBe('unrecognised');
  });
});

describe('public host names', () => {
  it.each([
    ['example.com', true],
    ['www.etsy.com', true],
    ['xn--bcher-kva.example', true],
    ['localhost', false],
    ['printer.local', false],
    ['127.0.0.1', false],
    ['metadata.google.internal', false],
    ['-bad-.com', false],
  ])('%s: %s', (host, expected) => {
    expect(isPublicHostName(host)).toBe(expected);
  });
});
