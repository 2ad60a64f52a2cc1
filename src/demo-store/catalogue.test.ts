import { describe, expect, it } from 'vitest';
import {
  Catalogue,
  charmRound,
  convertFromUsdCents,
  generateCatalogue,
  isKindle,
  itemAt,
  PAGE_LAYOUTS,
} from './catalogue.js';
import { asinOf, indexOfAsin, indexOfShortCode, permute, shortCodeOf, unpermute } from './ids.js';
import { demoMarketplaces } from './marketplaces.js';
import { formatMoney } from '../money/index.js';
import { priceParts } from './render/price.js';

describe('catalogue', () => {
  it('is the same for the same seed and different for another', () => {
    const a = generateCatalogue(42);
    const b = generateCatalogue(42);
    const c = generateCatalogue(43);
    const summary = (items: typeof a) =>
      items.map((i) => [i.asin, i.title, i.price.minor, i.listPrice?.minor ?? null, i.layout]);
    expect(summary(a)).toEqual(summary(b));
    expect(summary(a)).not.toEqual(summary(c));
  });

  it('holds 240 products with unique well-formed ASINs, spread over five marketplaces', () => {
    const items = generateCatalogue(1);
    expect(items).toHaveLength(240);
    const asins = new Set(items.map((i) => i.asin));
    expect(asins.size).toBe(240);
    for (const asin of asins) expect(asin).toMatch(/^B0[0-9A-Z]{8}$/);
    for (const mp of demoMarketplaces) {
      expect(items.filter((i) => i.marketplace === mp)).toHaveLength(48);
    }
    expect(new Set(items.map((i) => i.category.key)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(items.map((i) => i.layout))).toEqual(new Set(PAGE_LAYOUTS));
  });

  it('gives Kindle layouts to books only, and variation parents to goods only', () => {
    for (const item of generateCatalogue(5, 2_000)) {
      if (isKindle(item.layout)) {
        expect(item.category.kind).toBe('book');
        expect(item.availability).toBe('in_stock');
        expect(item.usedPercent).toBeNull();
      }
      if (item.layout === 'variation-parent') {
        expect(item.category.kind).toBe('goods');
        expect(item.listPrice).toBeNull();
      }
      if (item.layout === 'apex-deal' || item.layout === 'legacy-deal') {
        expect(item.listPrice!.minor).toBeGreaterThan(item.price.minor);
      }
    }
  });

  it('derives any product from its index alone, and its ASIN back to the index', () => {
    const items = generateCatalogue(9, 50);
    const big = new Catalogue(9, 1_000_000);
    for (const item of items) {
      expect(itemAt(9, item.index)).toEqual(item);
      expect(big.byAsin(item.asin)).toEqual(item);
      expect(indexOfAsin(9, item.asin, 50)).toBe(item.index);
    }
    expect(big.at(999_999).asin).toBe(asinOf(9, 999_999));
    expect(indexOfAsin(9, asinOf(9, 999_999), 1_000_000)).toBe(999_999);
    // Beyond the catalogue, or from another seed: not ours.
    expect(indexOfAsin(9, asinOf(9, 50), 50)).toBeNull();
    expect(new Catalogue(10, 50).byAsin(items[0]!.asin)).toBeUndefined();
    expect(indexOfAsin(9, 'B0ZZZZZZZZ', 50)).toBeNull();
  });

  it('maps indices to ids one to one', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const n = permute(7, i);
      expect(unpermute(7, n)).toBe(i);
      seen.add(n);
    }
    expect(seen.size).toBe(20_000);
    expect(unpermute(7, permute(7, 2 ** 40 - 1))).toBe(2 ** 40 - 1);
    for (const i of [0, 1, 239, 999_999]) {
      const code = shortCodeOf(3, i);
      expect(code).toMatch(/^[0-9A-Za-z]{7}$/);
      expect(indexOfShortCode(3, code, 1_000_000)).toBe(i);
    }
  });

  it('prices products in their marketplace currency, in plausible integer amounts', () => {
    for (const item of generateCatalogue(7)) {
      expect(item.price.currency).toBe(item.marketplace.currency);
      expect(Number.isSafeInteger(item.price.minor)).toBe(true);
      expect(item.price.minor).toBeGreaterThan(0);
      if (item.listPrice) expect(item.listPrice.minor).toBeGreaterThan(item.price.minor);
      const usd = convertFromUsdCents(item.category.priceUsdCents[1], item.price.currency);
      expect(item.price.minor).toBeLessThanOrEqual(Math.round(usd * 1.01) + 100);
    }
  });

  it('writes titles in the marketplace language', () => {
    const items = generateCatalogue(1);
    const jp = items.filter((i) => i.marketplace.code === 'co.jp' && i.category.kind === 'goods');
    expect(jp.some((i) => /[\u3040-\u30ff]/.test(i.title))).toBe(true);
  });

  it('rounds prices the way shops do', () => {
    expect(charmRound(1234, 'USD', 99)).toBe(1199);
    expect(charmRound(1260, 'USD', 99)).toBe(1299);
    expect(charmRound(1260, 'EUR', 0)).toBe(1300);
    expect(charmRound(2953, 'JPY', 0)).toBe(2980);
    expect(charmRound(347, 'JPY', 0)).toBe(350);
    expect(charmRound(149_850, 'INR', 0)).toBe(149_900);
    expect(charmRound(charmRound(4567, 'GBP', 95), 'GBP', 95)).toBe(charmRound(4567, 'GBP', 95));
  });

  it('formats prices in each marketplace format', () => {
    expect(priceParts({ minor: 129_900, currency: 'EUR' }, 'de-DE').text).toBe('1.299,00\u00a0€');
    expect(priceParts({ minor: 1280, currency: 'JPY' }, 'ja-JP')).toMatchObject({
      text: '￥1,280',
      whole: '1,280',
      decimal: '',
    });
    expect(priceParts({ minor: 12_345_600, currency: 'INR' }, 'en-IN').text).toBe('₹1,23,456.00');
    expect(priceParts({ minor: 2999, currency: 'GBP' }, 'en-GB')).toMatchObject({
      text: '£29.99',
      symbol: '£',
      whole: '29',
      fraction: '99',
      symbolAfter: false,
    });
    expect(priceParts({ minor: 6699, currency: 'EUR' }, 'de-DE').symbolAfter).toBe(true);
    for (const mp of demoMarketplaces) {
      const m = { minor: 123_456_789, currency: mp.currency };
      expect(priceParts(m, mp.locale).text).toBe(formatMoney(m, mp.locale));
    }
  });
});
