import {
  currencyDecimals,
  decimalToMinor,
  type Money,
  type ParsedPrice,
} from '../../money/index.js';
import type { Availability } from '../types.js';

/** Which machine-readable source a reading came from, in the order they are trusted. */
export type StructuredSource = 'jsonld' | 'microdata' | 'meta';
export const SOURCE_ORDER: readonly StructuredSource[] = ['jsonld', 'microdata', 'meta'];

/** One offer as a source states it, before the page's currency fills in missing codes. */
export interface OfferFact {
  readonly price: ParsedPrice | null;
  /** The offer's stated currency, kept even when it has no amount: it names the page's currency. */
  readonly currency: string | null;
  /** A ListPrice / StrikethroughPrice / MSRP stated next to the offer. */
  readonly listPrice: ParsedPrice | null;
  readonly availability: Availability | null;
  readonly used: boolean;
}

/** What one source says about the product. */
export interface ProductFacts {
  readonly source: StructuredSource;
  readonly name: string | null;
  readonly image: string | null;
  readonly url: string | null;
  readonly sku: string | null;
  readonly offers: readonly OfferFact[];
}

/** One source's facts reduced to what a watcher needs, in real money. */
export interface SourceReading {
  readonly source: StructuredSource;
  /** The lowest price among the offers one can buy now (or, failing that, at all). */
  readonly price: Money | null;
  /** Every priced offer in the price's currency: a visible price equal to any of them agrees. */
  readonly prices: readonly Money[];
  readonly range: { readonly min: Money; readonly max: Money } | null;
  readonly listPrice: Money | null;
  /** The lowest used or refurbished offer; never the price while new offers exist. */
  readonly used: Money | null;
  /** Whether `price` comes from used offers because the source lists nothing new. */
  readonly usedOnly: boolean;
  readonly availability: Availability | null;
  /** The source had an amount whose currency could not be told. */
  readonly unresolvedCurrency: boolean;
}

export type ToMoney = (p: ParsedPrice | null) => Money | null;

const DOT_GROUPED = /^\d{1,3}(?:\.\d{3})+$/;

/**
 * A machine-readable amount in minor units. Shops often print `og:price:amount` and microdata
 * `content` in their display format ("1.299" for 1 299 €, "12.990" CLP, "149.000" VND: Shopify's
 * amount_no_decimals_with_comma_separator, Latin American and Vietnamese stores). A dot every three
 * digits is a thousands group when the currency cannot have those decimals: it has none at all
 * (CLP, VND, JPY), or the digits past its precision are not zeros ("1.299" cannot be euros).
 * Otherwise the dot is the decimal mark schema.org says it is ("1.299" KWD, "19.990" EUR).
 */
function minorUnits(amount: string, currency: string): number | null {
  const minor = decimalToMinor(amount, currency);
  if (DOT_GROUPED.test(amount) && (minor === null || currencyDecimals(currency) === 0)) {
    return decimalToMinor(amount.replace(/\./g, ''), currency);
  }
  return minor;
}

/** Resolves a stated price against the page's currency; null when no currency can be told. */
export function moneyResolver(pageCurrency: string | null): ToMoney {
  return (p) => {
    const currency = p?.currency ?? pageCurrency;
    if (!p || !currency) return null;
    const minor = minorUnits(p.amount, currency);
    return minor === null || minor <= 0 ? null : { minor, currency };
  };
}

// How purchasable an offer is: a watcher wants the price they can pay now, then one they can
// order, then one whose stock nobody stated, and only then the price of something sold out.
const TIER: Readonly<Record<Availability | 'none', number>> = {
  in_stock: 0,
  preorder: 1,
  unknown: 2,
  none: 2,
  out_of_stock: 3,
};

interface Priced {
  readonly money: Money;
  readonly fact: OfferFact;
}

function lowest(xs: readonly Priced[]): Priced | null {
  let best: Priced | null = null;
  for (const x of xs) if (!best || x.money.minor < best.money.minor) best = x;
  return best;
}

/** The currency most offers use: per-region offers in several currencies must not be mixed. */
function dominantCurrency(xs: readonly Priced[]): string | null {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(x.money.currency, (counts.get(x.money.currency) ?? 0) + 1);
  let best: string | null = null;
  for (const [c, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = c;
  return best;
}

/** The overall stock state of a set of offers: in stock if any one is. */
export function combineAvailability(values: readonly (Availability | null)[]): Availability | null {
  const stated = values.filter((v): v is Availability => v !== null && v !== 'unknown');
  if (stated.length === 0) return null;
  for (const a of ['in_stock', 'preorder'] as const) if (stated.includes(a)) return a;
  return stated.length === values.length ? 'out_of_stock' : null;
}

function bestOffer(xs: readonly Priced[]): Priced | null {
  for (let tier = 0; tier <= 3; tier++) {
    const inTier = xs.filter((x) => TIER[x.fact.availability ?? 'none'] === tier);
    const best = lowest(inTier);
    if (best) return best;
  }
  return null;
}

export function summarize(facts: ProductFacts, toMoney: ToMoney): SourceReading {
  const priced: Priced[] = [];
  let unresolved = false;
  for (const fact of facts.offers) {
    const money = toMoney(fact.price);
    if (money) priced.push({ money, fact });
    else if (fact.price) unresolved = true;
  }
  const fresh = priced.filter((x) => !x.fact.used);
  const used = priced.filter((x) => x.fact.used);
  const usedOnly = fresh.length === 0 && used.length > 0;
  const main = usedOnly ? used : fresh;
  const currency = dominantCurrency(main);
  const sameCurrency = main.filter((x) => x.money.currency === currency);
  const best = bestOffer(sameCurrency);
  const prices = sameCurrency.map((x) => x.money);
  const min = lowest(sameCurrency)?.money ?? null;
  const max = prices.reduce<Money | null>((m, p) => (!m || p.minor > m.minor ? p : m), null);
  const list = best ? toMoney(best.fact.listPrice) : null;
  const relevant = facts.offers.filter((f) => f.used === usedOnly);
  return {
    source: facts.source,
    price: best?.money ?? null,
    prices,
    range: min && max && min.minor !== max.minor ? { min, max } : null,
    listPrice: list && best && isAbove(list, best.money) ? list : null,
    used: usedOnly ? null : (lowest(used)?.money ?? null),
    usedOnly,
    availability: combineAvailability(relevant.map((f) => f.availability)),
    unresolvedCurrency: unresolved && !best,
  };
}

/** A list price only means something above the price, in the same currency. */
export function isAbove(list: Money, price: Money): boolean {
  return list.currency === price.currency && list.minor > price.minor;
}

export function equalMoney(a: Money | null, b: Money | null): boolean {
  return !!a && !!b && a.minor === b.minor && a.currency === b.currency;
}
