import { describe, expect, it } from 'vitest';
import { availabilityFromPhrase, readAvailability } from './availability.js';
import { currencyFromHost, currencyFromLocale } from './currency.js';
import { readAmount } from './amount.js';
import { pageUrls } from './urls.js';

describe('availability', () => {
  it('reads structured values in any spelling', () => {
    expect(readAvailability('http://schema.org/InStock')).toBe('in_stock');
    expect(readAvailability('in stock')).toBe('in_stock');
    expect(readAvailability('oos')).toBe('out_of_stock');
    expect(readAvailability('https://schema.org/Discontinued')).toBe('out_of_stock');
    expect(readAvailability('PreSale')).toBe('preorder');
    expect(readAvailability(42)).toBeNull();
  });

  it('reads stock lines, negations first', () => {
    expect(availabilityFromPhrase('Sofort lieferbar')).toBe('in_stock');
    expect(availabilityFromPhrase('Derzeit nicht lieferbar')).toBe('out_of_stock');
    expect(availabilityFromPhrase('Épuisé')).toBe('out_of_stock');
    expect(availabilityFromPhrase('No longer available')).toBe('out_of_stock');
    expect(availabilityFromPhrase('Jetzt vorbestellen')).toBe('preorder');
    expect(availabilityFromPhrase('Add to cart')).toBeNull();
  });
});

describe('currency hints', () => {
  it('needs a region, not just a language', () => {
    expect(currencyFromLocale('de-DE')).toBe('EUR');
    expect(currencyFromLocale('de_CH')).toBe('CHF');
    expect(currencyFromLocale('en-us')).toBe('USD');
    expect(currencyFromLocale('de')).toBeNull();
    expect(currencyFromLocale('zh-Hant-HK')).toBe('HKD');
  });

  it('reads country domains only', () => {
    expect(currencyFromHost('www.zalando.de')).toBe('EUR');
    expect(currencyFromHost('shop.example.co.uk')).toBe('GBP');
    expect(currencyFromHost('example.com')).toBeNull();
  });
});

describe('readAmount', () => {
  it('takes plain decimals as they are and parses displayed ones', () => {
    expect(readAmount('31.49', 'USD', undefined)).toEqual({ amount: '31.49', currency: 'USD' });
    expect(readAmount('48,00', 'USD', 'es')).toEqual({ amount: '48.00', currency: 'USD' });
    expect(readAmount('29,98 €', null, 'de')).toEqual({ amount: '29.98', currency: 'EUR' });
  });

  it('refuses zero, exponents and non-strings', () => {
    expect(readAmount('0.00', 'USD', undefined)).toBeNull();
    expect(readAmount('1e+21', 'USD', undefined)).toBeNull();
    expect(readAmount({}, 'USD', undefined)).toBeNull();
  });
});

describe('pageUrls', () => {
  const none = { canonical: null, ogUrl: null, baseHref: null, lang: null, alternates: [] };

  it('strips every www prefix for the marketplace', () => {
    const u = pageUrls({
      ...none,
      ctxUrl: undefined,
      canonical: 'https://www2.hm.com/de_de/p.html',
    });
    expect(u.marketplace).toBe('hm.com');
    expect(u.productUrl).toBe('https://www2.hm.com/de_de/p.html');
  });

  it('resolves a relative og:url against the page in its own language', () => {
    const u = pageUrls({
      ...none,
      ctxUrl: undefined,
      ogUrl: '/item.html',
      lang: 'de-DE',
      alternates: [
        { hreflang: 'de-AT', href: 'https://www.shop.at/item.html' },
        { hreflang: 'de-DE', href: 'https://www.shop.de/item.html' },
      ],
    });
    expect(u.productUrl).toBe('https://www.shop.de/item.html');
    expect(u.marketplace).toBe('shop.de');
  });

  it('refuses non-http URLs', () => {
    const u = pageUrls({ ...none, ctxUrl: 'javascript:alert(1)', canonical: 'data:text/html,x' });
    expect(u.productUrl).toBeNull();
    expect(u.marketplace).toBeNull();
  });
});
