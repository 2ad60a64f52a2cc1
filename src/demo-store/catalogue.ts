/**
 * The demo catalogue: a pure function of (seed, count). Same seed, same products, same prices, in
 * the same order, on every machine.
 */
import { currencyDecimals, type Money } from '../money/index.js';
import { createRng, hashString, type Rng } from './prng.js';
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
 * The page layouts of current Amazon product pages the store rotates through:
 * - `apex-split`: buy box first with the price in `#corePrice_feature_div`, then the centre column
 *   whose `.priceToPay .a-offscreen` is blank (only the aria-hidden parts carry the number), as on
 *   some 2025 pages;
 * - `apex`: `#corePriceDisplay_desktop_feature_div` with a filled `.priceToPay .a-offscreen`;
 * - `core-table`: the `#corePrice_desktop` table with `.apexPriceToPay` and a struck list price row.
 */
export type PageLayout = 'apex-split' | 'apex' | 'core-table';
export type StockState = 'in_stock' | 'out_of_stock';

export interface CatalogueItem {
  readonly asin: string;
  readonly marketplace: DemoMarketplace;
  readonly category: CategoryWords;
  readonly brand: string;
  readonly title: string;
  /** What the product is, in every language: search finds "kettle" on demo.de too. */
  readonly noun: Translated;
  /** The regular price, in the marketplace's currency: what the price walk moves around. */
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

const ASIN_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function newAsin(rng: Rng, taken: Set<string>): string {
  for (;;) {
    let asin = 'B0';
    for (let i = 0; i < 8; i++) asin += ASIN_CHARS[rng.int(0, ASIN_CHARS.length - 1)];
    if (!taken.has(asin)) {
      taken.add(asin);
      return asin;
    }
  }
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function makeTitle(
  rng: Rng,
  cat: CategoryWords,
  lang: Lang,
  brand: string,
  nounWords: Translated,
): string {
  const noun = tr(nounWords, lang);
  const qualifier = rng.pick(cat.qualifiers);
  const spec = rng.pick(cat.specs);
  if (cat.kind === 'book') {
    // Books: title, subtitle, format; the "brand" is the author and appears in the byline.
    return `${qualifier}: ${spec} (${noun})`;
  }
  const colour = tr(rng.pick(COLOURS), lang);
  if (lang === 'ja') return `${brand} ${noun} ${qualifier} ${spec} ${colour}`;
  if (lang === 'de') return `${brand} ${qualifier} ${noun}, ${spec}, ${colour}`;
  // Real English titles pile up specs; a second one on half of them gives lengths some variety.
  const second = rng.pick(cat.specs);
  const extra = second !== spec && rng.chance(0.5) ? `, ${second}` : '';
  return `${brand} ${qualifier} ${noun}, ${spec}${extra} - ${colour}`;
}

function makeItem(rng: Rng, index: number, seed: number, taken: Set<string>): CatalogueItem {
  const marketplace = demoMarketplaces[index % demoMarketplaces.length] as DemoMarketplace;
  const category = rng.pick(CATEGORIES);
  const asin = newAsin(rng, taken);
  const brand = rng.pick(category.brands);
  const noun = rng.pick(category.nouns);
  const title = makeTitle(rng, category, marketplace.language, brand, noun);
  const [lo, hi] = category.priceUsdCents;
  // Squaring the draw skews prices low within the range, as in real catalogues.
  const r = rng.next();
  const usdCents = lo + Math.floor(r * r * (hi - lo));
  const currency = marketplace.currency;
  const priceEnding = rng.pick([99, 99, 99, 95, 49, 0]);
  const priceMinor = charmRound(convertFromUsdCents(usdCents, currency), currency, priceEnding);
  let listPrice: Money | null = null;
  if (rng.chance(0.35)) {
    const up = rng.int(110, 160);
    const listMinor = charmRound(Math.round((priceMinor * up) / 100), currency, 0);
    if (listMinor > priceMinor) listPrice = { minor: listMinor, currency };
  }
  const soldByStore = rng.chance(0.6);
  const bullets = shuffled(rng, category.bullets).slice(0, rng.int(3, 5));
  return {
    asin,
    marketplace,
    category,
    brand,
    title,
    noun,
    price: { minor: priceMinor, currency },
    listPrice,
    availability: rng.chance(0.05) ? 'out_of_stock' : 'in_stock',
    priceEnding,
    seller: soldByStore ? marketplace.storeName : rng.pick(THIRD_PARTY_SELLERS),
    soldByStore,
    usedPercent: rng.chance(0.4) ? rng.int(62, 90) : null,
    layout: rng.pick<PageLayout>(['apex-split', 'apex-split', 'apex', 'apex', 'core-table']),
    rating: rng.int(31, 49),
    reviewCount: rng.int(3, 40_000),
    bullets,
    seed: hashString(asin, seed),
  };
}

export const DEFAULT_PRODUCT_COUNT = 240;

/** The whole catalogue for a seed. Products are spread evenly over the five marketplaces. */
export function generateCatalogue(seed: number, count = DEFAULT_PRODUCT_COUNT): CatalogueItem[] {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('productCount must be >= 1');
  const rng = createRng(seed);
  const taken = new Set<string>();
  const items: CatalogueItem[] = [];
  for (let i = 0; i < count; i++) items.push(makeItem(rng, i, seed, taken));
  return items;
}
