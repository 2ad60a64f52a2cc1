/**
 * Reading GetItems answers (pure): items → observations, item errors → `not_found`, and an
 * HTTP-level failure → a typed PaapiError. The JSON is untrusted: every field is checked before
 * use, and a price that cannot be read with certainty makes the observation an `error` (it
 * changes nothing) rather than a wrong number that could fire an alert.
 */
import { decimalToMinor, isCurrencyCode, parseMoney, type Money } from '../../money/index.js';
import { emptyObservation, type Availability, type Observation } from '../types.js';
import { PaapiError } from './errors.js';
import type { PaapiLocale } from './locales.js';

export const PAAPI_STORE = 'paapi';

/**
 * Item error codes that mean "this ASIN is not there for PA-API": invalid or not accessible.
 * Anything else about an item says nothing about the product.
 */
const NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'ItemNotAccessible',
  'InvalidParameterValue',
]);

// ---------------------------------------------------------------------------------------------
// Untrusted JSON helpers

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function at(v: unknown, ...path: string[]): unknown {
  let cur: unknown = v;
  for (const k of path) cur = obj(cur)?.[k];
  return cur;
}

// ---------------------------------------------------------------------------------------------
// Money

/** How a PA-API price object read: both ways agreeing, one way, or not at all. */
export type MoneyReading =
  | { readonly kind: 'absent' }
  | { readonly kind: 'ok'; readonly money: Money; readonly agreed: boolean }
  | { readonly kind: 'unreadable' }
  | { readonly kind: 'conflict'; readonly fromAmount: Money; readonly fromDisplay: Money };

/**
 * A PA-API price ({Amount: 1299, Currency: "EUR", DisplayAmount: "1.299,00 €"}) as Money, read
 * twice without float arithmetic: `Amount` through its shortest decimal spelling (String(1299.5)
 * is "1299.5", exactly what the JSON said) and `DisplayAmount` through the locale-aware parser.
 * Agreement is the normal case; one reading alone is used when the other is missing or
 * unreadable (an Amount like 19.990000000000002, a DisplayAmount of "See price in cart"); two
 * readings that disagree mean we do not know the price.
 */
export function readMoney(value: unknown, locale: PaapiLocale): MoneyReading {
  const o = obj(value);
  if (!o) return { kind: 'absent' };
  const named = str(o.Currency)?.toUpperCase();
  const currency = named && isCurrencyCode(named) ? named : named ? null : locale.currency;
  if (!currency) return { kind: 'unreadable' };

  let fromAmount: Money | null = null;
  if (typeof o.Amount === 'number' && Number.isFinite(o.Amount) && o.Amount >= 0) {
    const minor = decimalToMinor(String(o.Amount), currency);
    if (minor !== null) fromAmount = { minor, currency };
  }
  let fromDisplay: Money | null = null;
  const display = str(o.DisplayAmount);
  if (display) {
    const parsed = parseMoney(display, { currency, locale: locale.locale });
    // A DisplayAmount in another currency than Currency is not the same price.
    if (parsed && parsed.currency === currency) fromDisplay = parsed;
  }

  if (fromAmount && fromDisplay) {
    return fromAmount.minor === fromDisplay.minor
      ? { kind: 'ok', money: fromAmount, agreed: true }
      : { kind: 'conflict', fromAmount, fromDisplay };
  }
  const one = fromAmount ?? fromDisplay;
  if (one) return { kind: 'ok', money: one, agreed: false };
  return { kind: 'unreadable' };
}

function moneyOrNull(r: MoneyReading): Money | null {
  return r.kind === 'ok' ? r.money : null;
}

// ---------------------------------------------------------------------------------------------
// Items

/** Offers.Listings.Availability.Type → our availability. */
export function availabilityOf(type: unknown): Availability {
  switch (typeof type === 'string' ? type.trim().toLowerCase() : '') {
    case 'now':
      return 'in_stock';
    case 'preorder':
      return 'preorder';
    // Backordered items can be ordered but not shipped: for a price watcher that is not stock.
    case 'backorder':
    case 'outofstock':
    case 'unavailable':
      return 'out_of_stock';
    default:
      return 'unknown';
  }
}

/**
 * Amazon's own retail seller ids per marketplace, where known. PA-API names the merchant, and a
 * name can be set by anyone selling on Amazon, so the id decides when we know it.
 */
const AMAZON_RETAIL_SELLER_IDS: ReadonlySet<string> = new Set([
  'ATVPDKIKX0DER', // amazon.com
  'A3DWYIK6Y9EEQB', // amazon.ca
  'AVDBXBAVVSXLQ', // amazon.com.mx
  'A1ZZFT5FULY4LN', // amazon.com.br
  'A3P5ROKL5A1OLE', // amazon.co.uk
  'A3JWKAKR8XB7XF', // amazon.de
  'A1X6FK5RDHNB96', // amazon.fr
  'A11IL2PNWYJU7H', // amazon.it
  'A1AT7YVPFBWXBL', // amazon.es
  'AN1VRQENFRJN5', // amazon.co.jp
]);

/** "Amazon", "Amazon.de", "Amazon.co.jp", "Amazon.com.br" — not "Amazon Warehouse" or "AmazonBasics Store". */
const AMAZON_RETAIL_NAME = /^amazon(\.[a-z]{2,3}(\.[a-z]{2})?)?$/i;

/** Whether Amazon itself sells the offer; undefined when PA-API did not say who does. */
export function soldByAmazon(merchantInfo: unknown): boolean | undefined {
  const m = obj(merchantInfo);
  if (!m) return undefined;
  const id = str(m.Id);
  if (id && AMAZON_RETAIL_SELLER_IDS.has(id)) return true;
  const name = str(m.Name);
  if (name === undefined) return id === undefined ? undefined : false;
  return AMAZON_RETAIL_NAME.test(name);
}

interface ItemContext {
  readonly locale: PaapiLocale;
  /**
   * Whether any item of the same answer carried Offers. PA-API leaves Offers out of items that
   * are not buyable, but also out of every item when it no longer serves the Offers resource
   * (it is deprecated in favour of OffersV2). Only when others in the same answer have offers
   * does a missing Offers mean "not buyable".
   */
  readonly offersServed: boolean;
}

export function observeItem(item: Json, asin: string, ctx: ItemContext): Observation {
  const { locale } = ctx;
  const base = {
    marketplace: locale.marketplaceId,
    productId: asin,
    title: str(at(item, 'ItemInfo', 'Title', 'DisplayValue')) ?? null,
    imageUrl: str(at(item, 'Images', 'Primary', 'Large', 'URL')) ?? null,
  };
  const offers = obj(item.Offers);
  if (!offers) {
    if (!ctx.offersServed) return emptyObservation(PAAPI_STORE, 'error', base);
    return emptyObservation(PAAPI_STORE, 'ok', { ...base, availability: 'out_of_stock' });
  }

  let offerNew: Money | null = null;
  let offerUsed: Money | null = null;
  for (const s of arr(offers.Summaries)) {
    const condition = str(at(s, 'Condition', 'Value'))?.toLowerCase();
    const lowest = moneyOrNull(readMoney(at(s, 'LowestPrice'), locale));
    if (condition === 'new' && lowest && (!offerNew || lowest.minor < offerNew.minor)) {
      offerNew = lowest;
    } else if (condition === 'used' && lowest && (!offerUsed || lowest.minor < offerUsed.minor)) {
      offerUsed = lowest;
    }
  }
  const summaries = { offers: { new: offerNew, used: offerUsed } };

  const listings = arr(offers.Listings)
    .map(obj)
    .filter((l): l is Json => l !== undefined);
  // PA-API returns the buy-box winner as the listing; the flag is checked in case it returns more.
  const listing = listings.find((l) => l.IsBuyBoxWinner === true) ?? listings[0];
  if (!listing) {
    // Offers from other sellers but no buy box ("See all buying options"): no price to pay.
    return emptyObservation(PAAPI_STORE, 'ok', { ...base, ...summaries });
  }

  const price = readMoney(listing.Price, locale);
  if (price.kind !== 'ok') {
    // A listing without a readable price is not "no price": nothing is learnt from it.
    return emptyObservation(PAAPI_STORE, 'error', base);
  }
  return {
    ...emptyObservation(PAAPI_STORE, 'ok', base),
    price: price.money,
    listPrice: moneyOrNull(readMoney(listing.SavingBasis, locale)),
    ...summaries,
    soldByStore: soldByAmazon(listing.MerchantInfo),
    availability: availabilityOf(at(listing, 'Availability', 'Type')),
  };
}

/** The ASIN an item error is about: PA-API names it only in the message ("The ItemId B0… is"). */
export function asinOfError(message: string, requested: ReadonlySet<string>): string | undefined {
  for (const m of message.matchAll(/\b([A-Za-z0-9]{10})\b/g)) {
    const a = m[1]?.toUpperCase();
    if (a && requested.has(a)) return a;
  }
  return undefined;
}

export interface UpstreamError {
  readonly code: string;
  readonly message: string;
}

export function errorsOf(body: unknown): UpstreamError[] {
  return arr(at(body, 'Errors'))
    .map((e) => ({ code: str(at(e, 'Code')) ?? '', message: str(at(e, 'Message')) ?? '' }))
    .filter((e) => e.code !== '' || e.message !== '');
}

/**
 * One GetItems answer (already JSON-parsed) → an observation for every ASIN asked for. Items
 * PA-API returned are read; ASINs an item error names are `not_found` (or `error` for other
 * codes); an ASIN neither returned nor named is `error`, because silence proves nothing.
 */
export function mapGetItems(
  body: unknown,
  locale: PaapiLocale,
  asins: readonly string[],
): Map<string, Observation> {
  const requested = new Set(asins);
  const items = arr(at(body, 'ItemsResult', 'Items'))
    .map(obj)
    .filter((i): i is Json => i !== undefined);
  const ctx: ItemContext = { locale, offersServed: items.some((i) => obj(i.Offers) !== undefined) };

  const out = new Map<string, Observation>();
  for (const item of items) {
    const asin = str(item.ASIN)?.toUpperCase();
    if (!asin || !requested.has(asin) || out.has(asin)) continue;
    out.set(asin, observeItem(item, asin, ctx));
  }
  for (const e of errorsOf(body)) {
    const asin = asinOfError(e.message, requested);
    if (!asin || out.has(asin)) continue;
    const outcome = NOT_FOUND_CODES.has(e.code) ? 'not_found' : 'error';
    out.set(asin, emptyObservation(PAAPI_STORE, outcome, idOf(locale, asin)));
  }
  for (const asin of asins) {
    if (!out.has(asin)) out.set(asin, emptyObservation(PAAPI_STORE, 'error', idOf(locale, asin)));
  }
  return out;
}

function idOf(locale: PaapiLocale, asin: string): Partial<Observation> {
  return { marketplace: locale.marketplaceId, productId: asin };
}

/**
 * A 4xx whose only errors are about requested items (every ASIN of the batch invalid): an
 * answer about the items, not a failed request.
 */
export function isItemsOnlyFailure(body: unknown, asins: readonly string[]): boolean {
  const errors = errorsOf(body);
  const requested = new Set(asins);
  return (
    errors.length > 0 &&
    errors.every(
      (e) => NOT_FOUND_CODES.has(e.code) && asinOfError(e.message, requested) !== undefined,
    )
  );
}

// ---------------------------------------------------------------------------------------------
// Request failures

/** PA-API sends no Retry-After today; its quota is per second, so one second is the floor. */
export const DEFAULT_RETRY_AFTER_MS = 1000;

/** Retry-After as delay-seconds or an HTTP date, in ms from `now`; the default when absent. */
export function retryAfterMs(header: string | undefined, now: Date): number {
  const v = header?.trim();
  if (v) {
    if (/^\d+$/.test(v)) return Math.max(DEFAULT_RETRY_AFTER_MS, Number(v) * 1000);
    const when = Date.parse(v);
    if (!Number.isNaN(when)) return Math.max(DEFAULT_RETRY_AFTER_MS, when - now.getTime());
  }
  return DEFAULT_RETRY_AFTER_MS;
}

/** A non-200 answer → the PaapiError it means. */
export function errorForResponse(
  status: number,
  body: unknown,
  headers: { readonly retryAfter?: string | undefined },
  now: Date,
): PaapiError {
  const first = errorsOf(body)[0];
  const code = first?.code ?? '';
  const message = first?.message || `PA-API answered HTTP ${status}`;
  const d = { upstreamStatus: status, upstreamCode: code || null };
  if (status === 429 || code === 'TooManyRequests') {
    return new PaapiError('paapi_throttled', message, {
      ...d,
      retryAfterMs: retryAfterMs(headers.retryAfter, now),
    });
  }
  if (code === 'RequestExpired' || (code === 'InvalidSignature' && /expired/i.test(message))) {
    return new PaapiError('paapi_clock_skew', message, d);
  }
  if (code === 'InvalidSignature' || code === 'IncompleteSignature') {
    return new PaapiError('paapi_invalid_signature', message, d);
  }
  if (code === 'UnrecognizedClient') return new PaapiError('paapi_unrecognized_client', message, d);
  if (code === 'InvalidPartnerTag') return new PaapiError('paapi_invalid_partner_tag', message, d);
  if (
    status === 403 ||
    code === 'AccessDenied' ||
    code === 'AccessDeniedAwsUsers' ||
    code === 'InvalidAssociate'
  ) {
    return new PaapiError('paapi_access_denied', message, d);
  }
  if (status === 401) return new PaapiError('paapi_invalid_signature', message, d);
  if (status >= 500 || code === 'InternalFailure') {
    return new PaapiError('paapi_unavailable', message, d);
  }
  if (status >= 400) return new PaapiError('paapi_bad_request', message, d);
  return new PaapiError('paapi_bad_response', message, d);
}
