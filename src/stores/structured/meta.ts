/**
 * Open Graph and product meta tags (`og:*`, `product:*`, Facebook catalog style). They carry a
 * single price, so they make one offer at most.
 */
import { isCurrencyCode } from '../../money/index.js';
import { readAmount, readCurrency } from './amount.js';
import { readAvailability } from './availability.js';
import type { ProductFacts } from './offers.js';
import { cleanText } from './text.js';

export type MetaTags = ReadonlyMap<string, string>;

function first(meta: MetaTags, keys: readonly string[]): string | null {
  for (const k of keys) {
    const v = meta.get(k)?.trim();
    if (v) return v;
  }
  return null;
}

/** Whether the tags say this page is a product page at all. */
export function metaSaysProduct(meta: MetaTags): boolean {
  return /product/i.test(meta.get('og:type') ?? '') || readMetaPrice(meta) !== null;
}

function readMetaPrice(meta: MetaTags): string | null {
  return first(meta, [
    'product:sale_price:amount',
    'product:price:amount',
    'og:price:amount',
    'product:price',
  ]);
}

export function readMeta(meta: MetaTags, locale: string | undefined): ProductFacts {
  const sale = first(meta, ['product:sale_price:amount']);
  const currency = readCurrency(
    first(meta, ['product:sale_price:currency', 'product:price:currency', 'og:price:currency']),
    isCurrencyCode,
  );
  const amount = readAmount(readMetaPrice(meta), currency, locale);
  // With a sale price the plain price tag becomes the price it was reduced from.
  const listRaw =
    first(meta, ['product:original_price:amount']) ??
    (sale ? first(meta, ['product:price:amount', 'og:price:amount']) : null);
  const listCurrency =
    readCurrency(first(meta, ['product:original_price:currency']), isCurrencyCode) ?? currency;
  const availability = readAvailability(
    first(meta, ['product:availability', 'og:availability', 'availability']),
  );
  const condition = first(meta, ['product:condition', 'og:condition']) ?? '';
  const offers =
    amount || availability || currency
      ? [
          {
            price: amount,
            currency,
            listPrice: readAmount(listRaw, listCurrency, locale),
            availability,
            used: /used|refurbished/i.test(condition),
          },
        ]
      : [];
  return {
    source: 'meta',
    name: cleanText(first(meta, ['og:title', 'twitter:title'])),
    image: first(meta, ['og:image:secure_url', 'og:image', 'og:image:url', 'twitter:image']),
    url: first(meta, ['og:url']),
    sku: first(meta, ['product:retailer_item_id', 'product:sku']),
    offers,
  };
}
