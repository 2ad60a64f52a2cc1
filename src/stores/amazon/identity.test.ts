import { describe, expect, it } from 'vitest';
import { amazonProductUrl, isAmazonHost, parseAmazonUrl } from './identity.js';

function product(marketplace: string, asin: string, suffix: string) {
  return { marketplace, asin, canonicalUrl: `https://www.amazon.${suffix}/dp/${asin}` };
}

describe('parseAmazonUrl', () => {
  const cases: Array<[string, string, string, string]> = [
    // [pasted URL, marketplace, ASIN, domain suffix]
    ['https://www.amazon.com/dp/B0057OC5O8', 'amazon.com', 'B0057OC5O8', 'com'],
    ['https://www.amazon.com/dp/B0057OC5O8/', 'amazon.com', 'B0057OC5O8', 'com'],
    ['https://www.amazon.de/gp/product/B07C76F3P2', 'amazon.de', 'B07C76F3P2', 'de'],
    [
      'https://www.amazon.de/gp/product/B07C76F3P2/ref=ox_sc_act_title_1?smid=A3JWKAKR8XB7XF&psc=1',
      'amazon.de',
      'B07C76F3P2',
      'de',
    ],
    ['https://www.amazon.co.uk/gp/aw/d/1849757097', 'amazon.co.uk', '1849757097', 'co.uk'],
    [
      'https://www.amazon.com/exec/obidos/ASIN/B00N150YS4/ref=nosim/somebody-20',
      'amazon.com',
      'B00N150YS4',
      'com',
    ],
    [
      'https://www.amazon.com/exec/obidos/tg/detail/-/0316769177',
      'amazon.com',
      '0316769177',
      'com',
    ],
    ['https://www.amazon.com/o/ASIN/B00N150YS4/', 'amazon.com', 'B00N150YS4', 'com'],
    ['https://www.amazon.com/o/B00N150YS4/', 'amazon.com', 'B00N150YS4', 'com'],
    [
      'https://www.amazon.com.br/Circular-WAP-Ferramenta-El%C3%A9trica-Madeira/dp/B076QFXQK5/ref=sr_1_1?keywords=serra&qid=1',
      'amazon.com.br',
      'B076QFXQK5',
      'com.br',
    ],
    [
      'https://www.amazon.es/-/pt/Hi-Spec-herramientas/dp/B07ZCVN7YN',
      'amazon.es',
      'B07ZCVN7YN',
      'es',
    ],
    [
      'https://www.amazon.de/-/en/Kitekat-food-market-jelly-bags/dp/B00C7SCAP6/ref=sr_1_5',
      'amazon.de',
      'B00C7SCAP6',
      'de',
    ],
    ['https://smile.amazon.com/dp/B0057OC5O8?th=1&psc=1', 'amazon.com', 'B0057OC5O8', 'com'],
    ['https://m.amazon.co.jp/dp/B0057OC5O8', 'amazon.co.jp', 'B0057OC5O8', 'co.jp'],
    ['https://amazon.fr/dp/B0057OC5O8', 'amazon.fr', 'B0057OC5O8', 'fr'],
    [
      'http://www.amazon.de/Gastroback-42429-Design-Wasserkocher-Advanced/dp/B000LQXC2Q',
      'amazon.de',
      'B000LQXC2Q',
      'de',
    ],
    ['www.amazon.in/dp/B0057OC5O8', 'amazon.in', 'B0057OC5O8', 'in'],
    ['amazon.com.mx/dp/b0057oc5o8', 'amazon.com.mx', 'B0057OC5O8', 'com.mx'],
    ['https://WWW.AMAZON.CA./dp/B0057OC5O8', 'amazon.ca', 'B0057OC5O8', 'ca'],
    ['https://www.amazon.com/dp/product/B0057OC5O8', 'amazon.com', 'B0057OC5O8', 'com'],
    ['https://www.amazon.com/gp/product/glance/B0057OC5O8', 'amazon.com', 'B0057OC5O8', 'com'],
    [
      'https://www.amazon.com/gp/offer-listing/B0057OC5O8/ref=dp_olp_new?condition=new',
      'amazon.com',
      'B0057OC5O8',
      'com',
    ],
    ['https://www.amazon.com/product-reviews/B0057OC5O8/', 'amazon.com', 'B0057OC5O8', 'com'],
    [
      'https://www.amazon.com/gp/product/handle-buy-box/ref=dp_start?ASIN=B0057OC5O8',
      'amazon.com',
      'B0057OC5O8',
      'com',
    ],
    // ISBN-10 ASINs, including the X check digit
    [
      'https://www.amazon.de/Tiamats-Wrath-Expanse-major-Netflix/dp/0356510344',
      'amazon.de',
      '0356510344',
      'de',
    ],
    ['https://www.amazon.com/dp/080442957X', 'amazon.com', '080442957X', 'com'],
    ['https://www.amazon.com/dp/080442957x/', 'amazon.com', '080442957X', 'com'],
    ['https://www.amazon.com.tr/dp/B0057OC5O8', 'amazon.com.tr', 'B0057OC5O8', 'com.tr'],
    ['https://www.amazon.com.be/dp/B0057OC5O8', 'amazon.com.be', 'B0057OC5O8', 'com.be'],
    ['https://www.amazon.sa/dp/B0057OC5O8', 'amazon.sa', 'B0057OC5O8', 'sa'],
    ['https://www.amazon.com.au/dp/B0057OC5O8#reviews', 'amazon.com.au', 'B0057OC5O8', 'com.au'],
    ['https://amzn.com/B0057OC5O8', 'amazon.com', 'B0057OC5O8', 'com'],
  ];

  it.each(cases)('%s', (url, marketplace, asin, suffix) => {
    expect(parseAmazonUrl(url)).toEqual(product(marketplace, asin, suffix));
  });

  it('recognises short links without resolving them', () => {
    expect(parseAmazonUrl('https://amzn.to/3xYzAbC')).toEqual({
      shortLink: true,
      url: 'https://amzn.to/3xYzAbC',
    });
    expect(parseAmazonUrl('https://a.co/d/1aBcD2e')).toEqual({
      shortLink: true,
      url: 'https://a.co/d/1aBcD2e',
    });
    expect(parseAmazonUrl('amzn.eu/d/ab12CD3')).toEqual({
      shortLink: true,
      url: 'https://amzn.eu/d/ab12CD3',
    });
    expect(parseAmazonUrl('http://amzn.asia/d/xyz')).toEqual({
      shortLink: true,
      url: 'https://amzn.asia/d/xyz',
    });
    expect(parseAmazonUrl('https://amzn.to/')).toBeNull();
  });

  it('rejects pages without a product, other hosts and look-alikes', () => {
    expect(parseAmazonUrl('https://www.amazon.com/s?k=usb+cable')).toBeNull();
    expect(parseAmazonUrl('https://www.amazon.de/')).toBeNull();
    expect(parseAmazonUrl('https://www.amazon.com/dp/NOTANASIN1')).toBeNull();
    expect(parseAmazonUrl('https://www.amazon.com/dp/B00N150')).toBeNull();
    expect(parseAmazonUrl('https://amazon.de.evil.example/dp/B0057OC5O8')).toBeNull();
    expect(parseAmazonUrl('https://notamazon.com/dp/B0057OC5O8')).toBeNull();
    expect(parseAmazonUrl('https://aws.amazon.com/dp/B0057OC5O8')).toBeNull();
    expect(parseAmazonUrl('https://www.amazon.xyz/dp/B0057OC5O8')).toBeNull();
    expect(parseAmazonUrl('ftp://www.amazon.com/dp/B0057OC5O8')).toBeNull();
    expect(parseAmazonUrl('not a url at all')).toBeNull();
    expect(parseAmazonUrl('')).toBeNull();
  });
});

describe('isAmazonHost', () => {
  it('accepts storefronts and short-link hosts', () => {
    for (const h of [
      'www.amazon.com',
      'amazon.de',
      'smile.amazon.co.uk',
      'm.amazon.co.jp',
      'WWW.AMAZON.COM.BR.',
      'amzn.to',
      'a.co',
      'amzn.eu',
      'amzn.asia',
    ]) {
      expect(isAmazonHost(h), h).toBe(true);
    }
  });

  it('refuses other Amazon services and look-alikes', () => {
    for (const h of [
      'aws.amazon.com',
      'sellercentral.amazon.de',
      'amazon.de.evil.example',
      'evilamazon.com',
      'amazon.xyz',
      'example.com',
      '127.0.0.1',
    ]) {
      expect(isAmazonHost(h), h).toBe(false);
    }
  });
});

describe('amazonProductUrl', () => {
  it('builds the canonical URL of a marketplace', () => {
    expect(amazonProductUrl('amazon.co.jp', 'b0057oc5o8')).toBe(
      'https://www.amazon.co.jp/dp/B0057OC5O8',
    );
    expect(amazonProductUrl('amazon.com.br', '8565042472')).toBe(
      'https://www.amazon.com.br/dp/8565042472',
    );
  });

  it('refuses an unknown marketplace', () => {
    expect(() => amazonProductUrl('amazon.xyz', 'B0057OC5O8')).toThrow(RangeError);
  });
});
