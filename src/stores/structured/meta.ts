/**
 * Open Graph and product meta tags (`og:*`, `product:*`, Facebook catalog style, Pinterest rich
 * pins, Twitter product cards). They carry a single price, so they make one offer at most.
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

const PRICE_LABEL = /^\s*(?:price|preis|prix|precio|prezzo|prijs|pris|cena|preço)\s*:?\s*$/i;

/**
 * A Twitter product card's price: `twitter:labelN` "Price" names `twitter:dataN` ("$19.99 USD",
 * "LBP139999.00"). Old Shopify and Magento themes still print these cards and nothing else; the
 * data is display text, so it goes through the price parser like any shown price.
 */
function twitterCardPrice(meta: MetaTags): string | null {
  for (let n = 1; n <= 4; n++) {
    const label = meta.get(`twitter:label${n}`);
    if (label && PRICE_LABEL.test(label)) return first(meta, [`twitter:data${n}`]);
  }
  return null;
}

function readMetaPrice(meta: MetaTags): string | null {
  return (
    first(meta, [
      'product:sale_price:amount',
      'product:price:amount',
      'og:price:amount',
      'product:price',
    ]) ?? twitterCardPrice(meta)
  );
}

export function readMeta(meta: MetaTags, locale: string | undefined): ProductFacts {
  const sale = first(meta, ['product:sale_price:amount']);
  const currency = readCurrency(
    first(meta, ['product:sale_price:currency', 'product:price:currency', 'og:price:currency']),
    isCurrencyCode,
  );
  const amount = readAmount(readMetaPrice(meta), currency, locale);
  // With a sale price the plain price tag becomes the price it was reduced from. Pinterest's rich
  // pins name that price `og:price:standard_amount` ("the original price when on sale").
  const listRaw =
    first(meta, ['product:original_price:amount', 'og:price:standard_amount']) ??
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
