/**
 * The demo store's mutable state, without HTTP: the catalogue, what each product shows now (moving
 * prices, admin pins), faults, and the search. The HTTP layer (server.ts) and the admin API read
 * and change it only through these methods.
 */
import { AppError, notFound } from '../errors.js';
import { decimalToMinor, minorToDecimal, type Money } from '../money/index.js';
import { Catalogue, type CatalogueItem, type PageLayout, type StockState } from './catalogue.js';
import { NO_FAULTS, type Fault, type FaultRates } from './faults.js';
import { indexOfShortCode, shortCodeOf } from './ids.js';
import { demoMarketplaceByCode, demoMarketplaces } from './marketplaces.js';
import { movedState, staticState, TickClock, withStrike, type ProductState } from './moves.js';
import { expectedReading, showsStrike, type ExpectedReading } from './layouts.js';
import { createRng, mix, type Rng } from './prng.js';
import { productPath } from './render/sections.js';
import { generateWishlists, type Wishlist } from './wishlists.js';

/** One product as the store's API shows it: what a shopper sees on its page right now. */
export interface DemoProduct {
  readonly asin: string;
  /** Marketplace id ("demo.de"). */
  readonly marketplace: string;
  /** Path of the product page ("/de/dp/B0…"); prefix the store's URL for a link. */
  readonly path: string;
  /** Path of the product's short link ("/s/3xYz9Ab"), which answers 301 to `path`. */
  readonly shortPath: string;
  readonly title: string;
  readonly category: string;
  readonly currency: string;
  readonly layout: PageLayout;
  /**
   * The offer price. Out-of-stock pages show no price; this keeps the one a restock brings back.
   * Null for a variation parent, whose page offers no price until a size is chosen.
   */
  readonly price: Money | null;
  /** A variation parent's range (cheapest and dearest size); null for every other product. */
  readonly priceRange: { readonly min: Money; readonly max: Money } | null;
  /** `price?.minor`, for callers that keep the currency apart. */
  readonly priceMinor: number | null;
  /** The struck-through list or pre-sale price the page shows next to the price, if any. */
  readonly listPrice: Money | null;
  readonly availability: StockState;
  readonly seller: string;
  readonly soldByStore: boolean;
  /** Pinned by the admin API: price moves leave it alone. */
  readonly pinned: boolean;
  readonly fault: Fault | null;
  /** What a correct Amazon extractor reads from the product's page right now (layouts.ts). */
  readonly expected: ExpectedReading;
}

export interface ProductChange {
  /** Decimal string in the product's currency ("12.34"), or null for no featured offer. */
  readonly price?: string | null;
  readonly availability?: StockState;
}

export interface PriceMoves {
  readonly enabled: boolean;
  /** Ticks per minute of the store's clock (1 = a price step chance every minute). */
  readonly speed: number;
}

interface Pin {
  readonly price: Money | null;
  readonly availability: StockState;
}

export interface StoreOptions {
  readonly seed: number;
  readonly productCount: number;
  readonly clock: () => number;
  readonly priceMoves: PriceMoves;
}

const NEIGHBOURS = 48;
/** Moved states kept per tick; beyond that the map is dropped (recomputing one is cheap). */
const MOVED_CACHE_SIZE = 50_000;
/** Products a text search looks through; a catalogue larger than this is searched in part. */
export const SEARCH_SCAN_LIMIT = 20_000;

export class DemoStoreState {
  readonly catalogue: Catalogue;
  readonly seed: number;
  private readonly pins = new Map<string, Pin>();
  private readonly productFaults = new Map<string, Fault>();
  private readonly movedCache = new Map<string, { tick: number; state: ProductState }>();
  private wishlistList: Wishlist[] | undefined;
  private rates: FaultRates = NO_FAULTS;
  private movesEnabled: boolean;
  readonly clock: TickClock;
  /** Draws for store-wide fault rates: seeded, so a test with rates sees the same sequence. */
  readonly faultRng: Rng;

  constructor(opts: StoreOptions) {
    this.seed = opts.seed;
    this.catalogue = new Catalogue(opts.seed, opts.productCount);
    this.movesEnabled = opts.priceMoves.enabled;
    this.clock = new TickClock(opts.clock, opts.priceMoves.speed);
    this.faultRng = createRng(mix(opts.seed, 0xfa017));
  }

  get productCount(): number {
    return this.catalogue.count;
  }

  item(asin: string): CatalogueItem | undefined {
    return this.catalogue.byAsin(asin);
  }

  requireItem(asin: string): CatalogueItem {
    const item = this.item(asin);
    if (!item) throw notFound(`product ${asin}`);
    return item;
  }

  /** The product a short-link code stands for. */
  itemByShortCode(code: string): CatalogueItem | undefined {
    const index = indexOfShortCode(this.seed, code, this.catalogue.count);
    return index === null ? undefined : this.catalogue.at(index);
  }

  shortPathOf(item: CatalogueItem): string {
    return `/s/${shortCodeOf(this.seed, item.index)}`;
  }

  /** What the product shows now. */
  stateOf(item: CatalogueItem): ProductState {
    const pin = this.pins.get(item.asin);
    if (pin) return withStrike(item, pin.price, pin.availability, null, null);
    if (!this.movesEnabled) return staticState(item);
    const tick = this.clock.tick();
    const cached = this.movedCache.get(item.asin);
    if (cached && cached.tick === tick) return cached.state;
    const state = movedState(item, tick);
    if (this.movedCache.size >= MOVED_CACHE_SIZE) this.movedCache.clear();
    this.movedCache.set(item.asin, { tick, state });
    return state;
  }

  /** Products of the same marketplace for the carousels, fixed per product. */
  neighboursOf(item: CatalogueItem): readonly CatalogueItem[] {
    const m = item.index % demoMarketplaces.length;
    const available = this.catalogue.countIn(m);
    const rng = createRng(mix(item.seed, 0x5e1));
    const picked: CatalogueItem[] = [];
    if (available <= 1) return picked;
    for (let i = 0; i < NEIGHBOURS; i++) {
      let k = rng.int(0, available - 1);
      let index = this.catalogue.indexIn(m, k);
      if (index === item.index) {
        k = (k + 1) % available;
        index = this.catalogue.indexIn(m, k);
      }
      picked.push(this.catalogue.at(index));
    }
    return picked;
  }

  view(item: CatalogueItem, state = this.stateOf(item)): DemoProduct {
    const parent = item.layout === 'variation-parent';
    const price = parent ? null : state.price;
    return {
      asin: item.asin,
      marketplace: item.marketplace.id,
      path: productPath(item.marketplace.code, item.asin),
      shortPath: this.shortPathOf(item),
      title: item.title,
      category: item.category.key,
      currency: item.price.currency,
      layout: item.layout,
      price,
      priceMinor: price?.minor ?? null,
      priceRange:
        parent && state.price && state.rangeMax ? { min: state.price, max: state.rangeMax } : null,
      listPrice: showsStrike(item, state) ? state.strikePrice : null,
      availability: state.availability,
      seller: item.seller,
      soldByStore: item.soldByStore,
      pinned: this.pins.has(item.asin),
      fault: this.productFaults.get(item.asin) ?? null,
      expected: expectedReading(item, state),
    };
  }

  /**
   * Products in stock whose price will fall within the next `ticks` ticks of the store's clock,
   * from the first `scan` products of the catalogue: sales (a fall of 10% or more) first, then
   * smaller falls, soonest first within each. The store's future is a pure
   * function of its clock, so it can tell: the demo suggests these to a newcomer, who then sees a
   * drop and an alert within minutes instead of by luck.
   */
  dropsSoon(ticks: number, limit: number, scan = 5_000): DemoProduct[] {
    if (!this.movesEnabled || this.clock.speed <= 0) return [];
    const now = this.clock.tick();
    const found: Array<{ at: number; big: boolean; item: CatalogueItem }> = [];
    for (let i = 0; i < Math.min(scan, this.catalogue.count); i++) {
      const item = this.catalogue.at(i);
      if (this.pins.has(item.asin) || item.layout === 'variation-parent') continue;
      const current = this.stateOf(item);
      if (current.availability !== 'in_stock' || current.price === null) continue;
      for (let t = 1; t <= ticks; t++) {
        const later = movedState(item, now + t);
        if (later.price === null || later.availability !== 'in_stock') break;
        if (later.price.minor < current.price.minor) {
          const big = later.price.minor * 10 <= current.price.minor * 9;
          found.push({ at: t, big, item });
          break;
        }
      }
    }
    found.sort(
      (a, b) => Number(b.big) - Number(a.big) || a.at - b.at || a.item.index - b.item.index,
    );
    return found.slice(0, limit).map((f) => this.view(f.item));
  }

  /** Every product, in catalogue order. Materialises them all: use `productsPage` on big stores. */
  products(): DemoProduct[] {
    return this.productsPage(0, this.catalogue.count).items;
  }

  /**
   * Products [offset, offset + limit) of the catalogue, or of one marketplace (by code, "de"),
   * and how many there are in all.
   */
  productsPage(
    offset: number,
    limit: number,
    mpCode?: string,
  ): { total: number; items: DemoProduct[] } {
    const c = this.catalogue;
    if (mpCode !== undefined) {
      const m = demoMarketplaces.findIndex((mp) => mp.code === mpCode);
      if (m < 0) return { total: 0, items: [] };
      const total = c.countIn(m);
      const items: DemoProduct[] = [];
      for (let k = offset; k < Math.min(total, offset + limit); k++) {
        items.push(this.view(c.at(c.indexIn(m, k))));
      }
      return { total, items };
    }
    return { total: c.count, items: c.slice(offset, offset + limit).map((i) => this.view(i)) };
  }

  /** The store's public wishlists (made on first use). */
  wishlists(): readonly Wishlist[] {
    this.wishlistList ??= generateWishlists(this.catalogue);
    return this.wishlistList;
  }

  wishlist(id: string): Wishlist | undefined {
    return this.wishlists().find((w) => w.id === id);
  }

  /** Sets price and/or availability at once and pins the product against price moves. */
  setProduct(asin: string, change: ProductChange): DemoProduct {
    const item = this.requireItem(asin);
    const current = this.stateOf(item);
    let price = current.price;
    if (change.price !== undefined) {
      price = change.price === null ? null : parsePrice(change.price, item.price.currency);
    }
    const availability = change.availability ?? current.availability;
    this.pins.set(asin, { price, availability });
    return this.view(item);
  }

  unpin(asin: string): DemoProduct {
    const item = this.requireItem(asin);
    this.pins.delete(asin);
    return this.view(item);
  }

  setProductFault(asin: string, fault: Fault | null): DemoProduct {
    const item = this.requireItem(asin);
    if (fault) this.productFaults.set(asin, fault);
    else this.productFaults.delete(asin);
    return this.view(item);
  }

  productFault(asin: string): Fault | null {
    return this.productFaults.get(asin) ?? null;
  }

  get faultRates(): FaultRates {
    return this.rates;
  }

  setFaultRates(change: Partial<FaultRates>): FaultRates {
    this.rates = { ...this.rates, ...change };
    return this.rates;
  }

  /** Whether any store-wide fault can fire: the hot path skips the draw when none can. */
  get anyFaultRate(): boolean {
    const r = this.rates;
    return r.captchaRate + r.errorRate + r.truncateRate + r.rateLimitRate > 0;
  }

  get priceMoves(): PriceMoves {
    return { enabled: this.movesEnabled, speed: this.clock.speed };
  }

  setPriceMoves(change: Partial<PriceMoves>): PriceMoves {
    if (change.speed !== undefined) this.clock.setSpeed(change.speed);
    if (change.enabled !== undefined) this.movesEnabled = change.enabled;
    this.movedCache.clear();
    return this.priceMoves;
  }

  /** Advances the store clock by `ticks` at once; returns the new tick. */
  advanceClock(ticks: number): number {
    return this.clock.advance(ticks);
  }

  /** Back to the catalogue: no pins, no faults. The clock keeps running. */
  reset(): void {
    this.pins.clear();
    this.productFaults.clear();
    this.rates = NO_FAULTS;
  }

  pinnedAsins(): string[] {
    return [...this.pins.keys()];
  }

  faultedProducts(): Record<string, Fault> {
    return Object.fromEntries(this.productFaults);
  }

  /**
   * Products whose title, brand or category holds every word of the query; an ASIN finds its
   * product directly. In a catalogue larger than SEARCH_SCAN_LIMIT only the first products (of the
   * marketplace) are looked through.
   */
  search(query: string, mpCode?: string, limit = 48): CatalogueItem[] {
    const words = normalize(query).split(/\s+/).filter(Boolean);
    const mp = mpCode ? demoMarketplaceByCode(mpCode) : undefined;
    if (words.length === 1) {
      const direct = this.item((words[0] ?? '').toUpperCase());
      if (direct) return !mp || direct.marketplace === mp ? [direct] : [];
    }
    const c = this.catalogue;
    const m = mp ? demoMarketplaces.indexOf(mp) : -1;
    const total = m >= 0 ? c.countIn(m) : c.count;
    const out: CatalogueItem[] = [];
    for (let k = 0; k < Math.min(total, SEARCH_SCAN_LIMIT); k++) {
      const item = c.at(m >= 0 ? c.indexIn(m, k) : k);
      const haystack = searchText(item);
      if (words.every((w) => haystack.includes(w))) out.push(item);
      if (out.length >= limit) break;
    }
    return out;
  }
}

const haystacks = new WeakMap<CatalogueItem, string>();

function searchText(item: CatalogueItem): string {
  let s = haystacks.get(item);
  if (s === undefined) {
    s = normalize(
      [
        item.title,
        item.brand,
        item.asin,
        item.category.key,
        ...item.category.names,
        ...item.noun,
      ].join(' '),
    );
    haystacks.set(item, s);
  }
  return s;
}

function normalize(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/** A price from the admin API: a positive decimal string with at most the currency's decimals. */
export function parsePrice(value: string, currency: string): Money {
  const minor = /^\d{1,12}(\.\d{1,3})?$/.test(value) ? decimalToMinor(value, currency) : null;
  if (minor === null || minor <= 0) {
    throw new AppError(
      'invalid_price',
      `price must be a positive decimal string in ${currency} (like "${minorToDecimal(1999, currency)}"), got ${JSON.stringify(value)}`,
      400,
    );
  }
  return { minor, currency };
}
