import { describe, expect, it } from 'vitest';
import { charmRound, convertFromUsdCents, generateCatalogue } from './catalogue.js';
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
    expect(new Set(items.map((i) => i.layout))).toEqual(
      new Set(['apex-split', 'apex', 'core-table']),
    );
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
