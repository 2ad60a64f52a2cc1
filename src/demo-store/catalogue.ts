/**
 * The demo catalogue: product i is a pure function of (seed, i). Same seed, same products, same
 * prices, on every machine, and no product needs another to exist: a store of a million products
 * derives the one a request names (its ASIN decodes to its index, see ids.ts) instead of building
 * them all up front.
 */
import { currencyDecimals, type Money } from '../money/index.js';
import { asinOf, indexOfAsin } from './ids.js';
import { createRng, hashString, mix, type Rng } from './prng.js';
import { demoMarketplaces, type DemoMarketplace } from './marketplaces.js';
import {
  CATEGORIES,
  COLOURS,
  THIRD_PARTY_SELLERS,
  tr,
  type CategoryWords,
  type Lang,
  type Translated,
} from './words.js';

/**
 * The page layouts the store serves, one per product (see layouts.ts for what each looks like and
 * what the extractor must read from it):
 * - current (2021-): `apex-split`, `apex`, `core-table`, `apex-deal`;
 * - legacy priceblock (2015-2021): `legacy-ourprice`, `legacy-saleprice`, `legacy-deal`;
 * - Kindle ebooks: `kindle-2017` (row in the buy box table), `kindle-2024` (`#kindle-price`);
 * - `variation-parent`: a price range and no buy box until a size is chosen.
 */
export const PAGE_LAYOUTS = [
  'apex-split',
  'apex',
  'core-table',
  'apex-deal',
  'legacy-ourprice',
  'legacy-saleprice',
  'legacy-deal',
  'kindle-2017',
  'kindle-2024',
  'variation-parent',
] as const;
export type PageLayout = (typeof PAGE_LAYOUTS)[number];
export type StockState = 'in_stock' | 'out_of_stock';

export interface CatalogueItem {
  /** Position in the catalogue; the ASIN is derived from it and decodes back to it. */
  readonly index: number;
  readonly asin: string;
  readonly marketplace: DemoMarketplace;
  readonly category: CategoryWords;
  readonly brand: string;
  readonly title: string;
  /** What the product is, in every language: search finds "kettle" on demo.de too. */
  readonly noun: Translated;
  /**
   * The regular price, in the marketplace's currency: what the price walk moves around. For a
   * variation parent it is the cheapest size, the low end of the range its page shows.
   */
  readonly price: Money;
  /** Recommended or list price, when the product has one (always above `price`). */
  readonly listPrice: Money | null;
  readonly availability: StockState;
  /** Cents ending the store rounds this product's prices to (99 → "x.99"); JPY/INR use their own. */
  readonly priceEnding: number;
  readonly seller: string;
  readonly soldByStore: boolean;
  /** A used offer as a fraction of the price in percent, or null: a decoy price on the page. */
  readonly usedPercent: number | null;
  readonly layout: PageLayout;
  /** Variation parents: the dearest size as a multiple of the cheapest, in permille (1080–1600). */
  readonly rangePermille: number;
  /** Star rating in tenths (43 = 4.3). */
  readonly rating: number;
  readonly reviewCount: number;
  readonly bullets: readonly string[];
  /** Seed of this product's page filler and price moves. */
  readonly seed: number;
}

/** US cents → the marketplace's minor units, as integer maths over rates in hundredths. */
const RATE_HUNDREDTHS: Readonly<Record<string, number>> = {
  USD: 100,
  EUR: 92,
  GBP: 79,
  JPY: 15_000,
  INR: 8_300,
};

export function convertFromUsdCents(cents: number, currency: string): number {
  const rate = RATE_HUNDREDTHS[currency];
  if (rate === undefined) throw new RangeError(`no demo exchange rate for ${currency}`);
  const scale = 10 ** currencyDecimals(currency);
  // cents * rate/100 is the amount in US-cent-sized units of the target; * scale/100 → its minor.
  return Math.round((cents * rate * scale) / 10_000);
}

/**
 * Rounds an amount the way shops price things: "12.99", "1.299,00 €", "￥2,980", "₹1,499.00".
 * Pure and idempotent-ish (rounding a rounded price keeps it), so walks stay on plausible prices.
 */
export function charmRound(minor: number, currency: string, ending: number): number {
  const unit = 10 ** currencyDecimals(currency);
  if (currency === 'JPY') {
    if (minor >= 1000) return Math.max(100, Math.round((minor + 20) / 100) * 100 - 20);
    return Math.max(10, Math.round(minor / 10) * 10);
  }
  if (currency === 'INR') {
    const units = Math.round(minor / unit);
    const step = units >= 1000 ? 100 : 10;
    return Math.max(step - 1, Math.round((units + 1) / step) * step - 1) * unit;
  }
  const cut = ending === 0 ? 0 : unit - ending;
  const units = Math.max(1, Math.round((minor + cut) / unit));
  return units * unit - cut;
}

/** A multiple of a price, rounded like a shop price and strictly above it. */
export function priceAbove(base: Money, permille: number, ending: number): Money {
  const { minor, currency } = base;
  let up = charmRound(Math.round((minor * permille) / 1000), currency, ending);
  if (up <= minor) up = charmRound(minor + 10 ** currencyDecimals(currency), currency, ending);
  if (up <= minor) up = minor + 10 ** currencyDecimals(currency);
  return { minor: up, currency };
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function weighted<T>(rng: Rng, choices: ReadonlyArray<readonly [T, number]>): T {
  let total = 0;
  for (const [, w] of choices) total += w;
  let r = rng.next() * total;
  for (const [value, w] of choices) {
    r -= w;
    if (r < 0) return value;
  }
  return (choices[choices.length - 1] as readonly [T, number])[0];
}

/**
 * Layout shares, in percent. Most products get the current layouts; the legacy priceblock pages
 * are the ones a tracker meets on long-lived listings and in saved pages. Kindle layouts are for
 * books only, variation parents for goods only.
 */
const GOODS_LAYOUTS: ReadonlyArray<readonly [PageLayout, number]> = [
  ['apex-split', 24],
  ['apex', 22],
  ['core-table', 13],
  ['apex-deal', 8],
  ['legacy-ourprice', 10],
  ['legacy-saleprice', 6],
  ['legacy-deal', 7],
  ['variation-parent', 10],
];
const BOOK_LAYOUTS: ReadonlyArray<readonly [PageLayout, number]> = [
  ['kindle-2024', 30],
  ['kindle-2017', 20],
  ['apex-split', 15],
  ['apex', 15],
  ['core-table', 8],
  ['legacy-ourprice', 12],
];

export const isKindle = (layout: PageLayout): boolean =>
  layout === 'kindle-2017' || layout === 'kindle-2024';

export const isDealLayout = (layout: PageLayout): boolean =>
  layout === 'apex-deal' || layout === 'legacy-deal';

function makeTitle(
  rng: Rng,
  cat: CategoryWords,
  lang: Lang,
  brand: string,
  nounWords: Translated,
  layout: PageLayout,
): string {
  const noun = tr(nounWords, lang);
  const qualifier = rng.pick(cat.qualifiers);
  const spec = rng.pick(cat.specs);
  if (cat.kind === 'book') {
    // Books: title, subtitle, format; the "brand" is the author and appears in the byline. An
    // ebook's title has no format: "Kindle Edition" is a label under it.
    return isKindle(layout) ? `${qualifier}: ${spec}` : `${qualifier}: ${spec} (${noun})`;
  }
  const colour = tr(rng.pick(COLOURS), lang);
  if (lang === 'ja') return `${brand} ${noun} ${qualifier} ${spec} ${colour}`;
  if (lang === 'de') return `${brand} ${qualifier} ${noun}, ${spec}, ${colour}`;
  // Real English titles pile up specs; a second one on half of them gives lengths some variety.
  const second = rng.pick(cat.specs);
  const extra = second !== spec && rng.chance(0.5) ? `, ${second}` : '';
  return `${brand} ${qualifier} ${noun}, ${spec}${extra} - ${colour}`;
}

const ITEM_SALT = 0xca7a;

/** Product `index` of the catalogue of `seed`. */
export function itemAt(seed: number, index: number): CatalogueItem {
  const rng = createRng(mix(seed, ITEM_SALT, index));
  const marketplace = demoMarketplaces[index % demoMarketplaces.length] as DemoMarketplace;
  const category = rng.pick(CATEGORIES);
  const asin = asinOf(seed, index);
  const layout = weighted(rng, category.kind === 'book' ? BOOK_LAYOUTS : GOODS_LAYOUTS);
  const kindle = isKindle(layout);
  const brand = rng.pick(category.brands);
  const noun = rng.pick(category.nouns);
  const title = makeTitle(rng, category, marketplace.language, brand, noun, layout);
  const [lo, hi] = category.priceUsdCents;
  // Squaring the draw skews prices low within the range, as in real catalogues; ebooks cost less.
  const r = rng.next();
  const drawn = lo + Math.floor(r * r * (hi - lo));
  const usdCents = kindle ? Math.round((drawn * 6) / 10) : drawn;
  const currency = marketplace.currency;
  const priceEnding = rng.pick([99, 99, 99, 95, 49, 0]);
  const price: Money = {
    minor: charmRound(convertFromUsdCents(usdCents, currency), currency, priceEnding),
    currency,
  };
  let listPrice: Money | null = null;
  // A deal needs a struck price to save against; a variation parent shows only its range.
  const wantsList = isDealLayout(layout) || rng.chance(0.35);
  const listUp = rng.int(110, 160);
  if (wantsList && layout !== 'variation-parent') listPrice = priceAbove(price, listUp * 10, 0);
  const soldByStore = rng.chance(0.6);
  const bullets = shuffled(rng, category.bullets).slice(0, rng.int(3, 5));
  const outOfStock = rng.chance(0.05);
  const usedPercent = rng.chance(0.4) ? rng.int(62, 90) : null;
  return {
    index,
    asin,
    marketplace,
    category,
    brand,
    title,
    noun,
    price,
    listPrice,
    // An ebook is never out of stock: there is no stock.
    availability: outOfStock && !kindle ? 'out_of_stock' : 'in_stock',
    priceEnding,
    seller: soldByStore ? marketplace.storeName : rng.pick(THIRD_PARTY_SELLERS),
    soldByStore,
    // Nobody sells a used ebook, and a parent has no offer of its own.
    usedPercent: kindle || layout === 'variation-parent' ? null : usedPercent,
    layout,
    rangePermille: rng.int(108, 160) * 10,
    rating: rng.int(31, 49),
    reviewCount: rng.int(3, 40_000),
    bullets,
    seed: hashString(asin, seed),
  };
}

export const DEFAULT_PRODUCT_COUNT = 240;
/** Products a store may hold: enough for the benchmarks, far below the ASIN space (ids.ts). */
export const MAX_PRODUCT_COUNT = 10_000_000;
/** Products kept derived in memory; beyond that an item is derived again (a few microseconds). */
const ITEM_CACHE_SIZE = 20_000;

/**
 * A catalogue of `count` products, derived on demand. Products are spread evenly over the five
 * marketplaces: product i belongs to marketplace i mod 5.
 */
export class Catalogue {
  private readonly cache = new Map<number, CatalogueItem>();

  constructor(
    readonly seed: number,
    readonly count: number,
  ) {
    if (!Number.isSafeInteger(count) || count < 1 || count > MAX_PRODUCT_COUNT) {
      throw new RangeError(`productCount must be an integer from 1 to ${MAX_PRODUCT_COUNT}`);
    }
  }

  at(index: number): CatalogueItem {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.count) {
      throw new RangeError(`no product at index ${index}`);
    }
    let item = this.cache.get(index);
    if (item) return item;
    item = itemAt(this.seed, index);
    if (this.cache.size >= ITEM_CACHE_SIZE) {
      // Oldest first: Map iterates in insertion order.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(index, item);
    return item;
  }

  byAsin(asin: string): CatalogueItem | undefined {
    const index = indexOfAsin(this.seed, asin, this.count);
    return index === null ? undefined : this.at(index);
  }

  /** How many products marketplace number `mp` (its position in demoMarketplaces) holds. */
  countIn(mp: number): number {
    const n = demoMarketplaces.length;
    return mp >= this.count ? 0 : Math.floor((this.count - 1 - mp) / n) + 1;
  }

  /** Index of the k-th product of marketplace number `mp`. */
  indexIn(mp: number, k: number): number {
    return mp + k * demoMarketplaces.length;
  }

  /** Products [from, to) in catalogue order; for small catalogues and pages of big ones. */
  slice(from: number, to: number): CatalogueItem[] {
    const out: CatalogueItem[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, this.count); i++) out.push(this.at(i));
    return out;
  }

  /** Items currently held in memory (bounded). */
  get cachedItems(): number {
    return this.cache.size;
  }
}

/** The whole catalogue for a seed, materialised: for tests and tools on small catalogues. */
export function generateCatalogue(seed: number, count = DEFAULT_PRODUCT_COUNT): CatalogueItem[] {
  const c = new Catalogue(seed, count);
  return c.slice(0, count);
}
