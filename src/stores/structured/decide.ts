/**
 * Combining the sources into one price and a confidence.
 *
 * Rules (confidence is how sure we are of `price`, 0..1):
 * - The visible price agrees with at least one structured source (equal to its price or to one of
 *   its offers): that source's price is taken (the lowest purchasable offer, so a per-size page
 *   reports its "from" price). Everything agrees → 0.98 with three or more sources, 0.95 with two.
 *   Some structured source disagrees → 0.75: the page settled the conflict.
 * - The visible price agrees with none: the page wins (the shopper pays what the page shows; JSON-LD
 *   and meta tags are often stale, pre-tax or in another currency). 0.6 when the structured sources
 *   also disagree among themselves, 0.5 when they agree with each other but not with the page.
 * - No visible price: agreeing structured sources → 0.9 (three), 0.85 (two), 0.7 (one alone).
 *   Disagreeing sources where one source states the other's price as its list / original price
 *   (meta 120 with `og:price:standard_amount` 150, JSON-LD still 150): the other is the pre-sale
 *   price a shop forgot to update, so the reduced price is taken, at 0.6.
 *   Disagreeing sources and nothing to break the tie → JSON-LD, then microdata, then meta, at 0.4.
 * - No structured price: price null. A visible price alone is never used, because on product pages
 *   without a structured price the nearest "$25" is usually a promotion, not the price. Confidence
 *   0.8 when the structured data says the product is out of stock (a missing price is expected),
 *   0.2 when an amount was there but no currency could be told, 0.3 otherwise.
 * - A currency that came only from the page's locale or domain caps confidence at 0.5.
 */
import type { Money } from '../../money/index.js';
import type { Availability } from '../types.js';
import { isAbove, equalMoney, SOURCE_ORDER, type SourceReading } from './offers.js';
import type { VisibleReading } from './visible.js';

export interface Decision {
  readonly price: Money | null;
  readonly listPrice: Money | null;
  readonly range: { readonly min: Money; readonly max: Money } | null;
  readonly availability: Availability;
  readonly offers: { readonly new: Money | null; readonly used: Money | null };
  readonly confidence: number;
}

function agrees(r: SourceReading, m: Money): boolean {
  return equalMoney(r.price, m) || r.prices.some((p) => equalMoney(p, m));
}

function distinctPrices(readings: readonly SourceReading[]): Money[] {
  const out: Money[] = [];
  for (const r of readings)
    if (r.price && !out.some((m) => equalMoney(m, r.price))) out.push(r.price);
  return out;
}

interface Choice {
  readonly price: Money | null;
  readonly from: SourceReading | null;
  readonly confidence: number;
}

function choose(claims: readonly SourceReading[], visible: Money | null): Choice {
  const distinct = distinctPrices(claims);
  if (claims.length === 0) return { price: null, from: null, confidence: 0 };
  if (visible) {
    const agreeing = claims.filter((r) => agrees(r, visible));
    const from = agreeing[0];
    if (from) {
      const dissent = claims.length > agreeing.length;
      const n = agreeing.length + 1;
      return { price: from.price, from, confidence: dissent ? 0.75 : n >= 3 ? 0.98 : 0.95 };
    }
    return { price: visible, from: null, confidence: distinct.length > 1 ? 0.6 : 0.5 };
  }
  const first = claims[0];
  if (!first) return { price: null, from: null, confidence: 0 };
  if (distinct.length > 1) {
    const current = claims.filter((r) => !claims.some((o) => equalMoney(o.listPrice, r.price)));
    const settled = current[0];
    if (settled && current.length < claims.length && distinctPrices(current).length === 1) {
      return { price: settled.price, from: settled, confidence: 0.6 };
    }
    return { price: first.price, from: first, confidence: 0.4 };
  }
  const n = claims.length;
  return { price: first.price, from: first, confidence: n >= 3 ? 0.9 : n === 2 ? 0.85 : 0.7 };
}

function stock(
  readings: readonly SourceReading[],
  from: SourceReading | null,
): Availability | null {
  return from?.availability ?? readings.find((r) => r.availability)?.availability ?? null;
}

export interface DecideInput {
  /** One reading per structured source that describes the product, in any order. */
  readonly readings: readonly SourceReading[];
  readonly visible: VisibleReading;
  /** The currency was inferred from the page's locale or domain, not stated. */
  readonly currencyGuessed: boolean;
}

export function decide({ readings, visible, currencyGuessed }: DecideInput): Decision {
  const ordered = [...readings].sort(
    (a, b) => SOURCE_ORDER.indexOf(a.source) - SOURCE_ORDER.indexOf(b.source),
  );
  const claims = ordered.filter((r) => r.price);
  const { price, from, confidence } = choose(claims, visible.price);
  const availability = stock(ordered, from) ?? visible.availability ?? 'unknown';

  if (!price) {
    const unresolved = ordered.some((r) => r.unresolvedCurrency);
    const said = stock(ordered, null);
    return {
      price: null,
      listPrice: null,
      range: null,
      availability,
      offers: { new: null, used: ordered.find((r) => r.used)?.used ?? null },
      confidence: said === 'out_of_stock' ? 0.8 : unresolved ? 0.2 : 0.3,
    };
  }

  const rangeFrom = from ?? claims.find((r) => r.range && r.range.min.currency === price.currency);
  const range = rangeFrom?.range;
  const inRange =
    range &&
    range.min.currency === price.currency &&
    range.min.minor <= price.minor &&
    price.minor <= range.max.minor;
  const listCandidates = [visible.listPrice, from?.listPrice, ...claims.map((r) => r.listPrice)];
  const listPrice = listCandidates.find((m): m is Money => !!m && isAbove(m, price)) ?? null;
  const usedOnly = from?.usedOnly ?? false;
  return {
    price,
    listPrice,
    range: inRange ? range : null,
    availability,
    offers: {
      new: usedOnly ? null : price,
      used: usedOnly ? price : (ordered.find((r) => r.used)?.used ?? null),
    },
    confidence: currencyGuessed ? Math.min(confidence, 0.5) : confidence,
  };
}
