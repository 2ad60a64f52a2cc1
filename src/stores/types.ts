/**
 * Glossary
 * - observation: what one check of one product page says (price, availability, or why not).
 * - outcome: whether the page could be read. Only `ok` observations can change a stored price or
 *   fire an alert; `captcha`, `blocked` and `error` say nothing about the product.
 * - price type: which of a product's prices a number is. `buybox` is what the buy box shows,
 *   `amazon` the price when Amazon itself sells, `new` the lowest third-party new offer, `used`
 *   the lowest used offer.
 * - marketplace: one storefront of a store, with its own currency and locale (amazon.de).
 */
import type { Money } from '../money/index.js';

export type Outcome = 'ok' | 'captcha' | 'blocked' | 'not_found' | 'error' | 'unsupported';
export type Availability = 'in_stock' | 'out_of_stock' | 'preorder' | 'unknown';
export const PRICE_TYPES = ['buybox', 'amazon', 'new', 'used'] as const;
export type PriceType = (typeof PRICE_TYPES)[number];

export interface Observation {
  readonly outcome: Outcome;
  /** Adapter that read the page: "amazon", "structured", "demo", "paapi". */
  readonly store: string;
  /** "amazon.de", "demo.com", or a site's host for structured-data stores; null when unknown. */
  readonly marketplace: string | null;
  /** ASIN for Amazon, the store's id or canonical URL otherwise. */
  readonly productId: string | null;
  readonly title: string | null;
  readonly imageUrl: string | null;
  /** The price to pay: the buy box, or the single price a store shows. */
  readonly price: Money | null;
  /** List, strike-through or recommended price, when shown. */
  readonly listPrice: Money | null;
  readonly offers: { readonly new: Money | null; readonly used: Money | null };
  /** True when the buy box is sold by the store itself (Amazon): its price is the `amazon` type. */
  readonly soldByStore?: boolean | undefined;
  /** Variation parents show a range; a range is never a price. */
  readonly priceRange?: { readonly min: Money; readonly max: Money } | null | undefined;
  readonly availability: Availability;
  /** Structured-data stores: how sure the extractor is of `price` (0..1). */
  readonly confidence?: number | undefined;
}

export function emptyObservation(
  store: string,
  outcome: Outcome,
  extra: Partial<Observation> = {},
): Observation {
  return {
    outcome,
    store,
    marketplace: null,
    productId: null,
    title: null,
    imageUrl: null,
    price: null,
    listPrice: null,
    offers: { new: null, used: null },
    availability: 'unknown',
    ...extra,
  };
}

/**
 * The observation with its own copies of its strings. Extractors return slices of the page (a
 * title, an image URL), and V8 keeps a whole page (about a megabyte) alive for as long as one
 * slice of it lives: a checker's batch of observations waiting for their transaction would hold
 * a batch of pages.
 */
export function detachedFromPage(obs: Observation): Observation {
  return structuredClone(obs);
}
