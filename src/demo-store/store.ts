/**
 * The demo store's mutable state, without HTTP: the catalogue, what each product shows now (moving
 * prices, admin pins), faults, and the search. The HTTP layer (server.ts) and the admin API read
 * and change it only through these methods.
 */
import { AppError, notFound } from '../errors.js';
import { decimalToMinor, minorToDecimal, type Money } from '../money/index.js';
import { generateCatalogue, type CatalogueItem, type StockState } from './catalogue.js';
import { NO_FAULTS, type Fault, type FaultRates } from './faults.js';
import { demoMarketplaceByCode } from './marketplaces.js';
import { movedState, staticState, TickClock, withStrike, type ProductState } from './moves.js';
import { createRng, mix, type Rng } from './prng.js';
import { productPath } from './render/sections.js';

/** One product as the store's API shows it: what a shopper sees on its page right now. */
export interface DemoProduct {
  readonly asin: string;
  /** Marketplace id ("demo.de"). */
  readonly marketplace: string;
  /** Path of the product page ("/de/dp/B0…"); prefix the store's URL for a link. */
  readonly path: string;
  readonly title: string;
  readonly category: string;
  readonly currency: string;
  /** The offer price. Out-of-stock pages show no price; this keeps the one a restock brings back. */
  readonly price: Money | null;
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

export class DemoStoreState {
  readonly items: readonly CatalogueItem[];
  readonly seed: number;
  private readonly byAsin: Map<string, CatalogueItem>;
  private readonly pins = new Map<string, Pin>();
  private readonly productFaults = new Map<string, Fault>();
  private readonly neighbourCache = new Map<string, readonly CatalogueItem[]>();
  private readonly movedCache = new Map<string, { tick: number; state: ProductState }>();
  private rates: FaultRates = NO_FAULTS;
  private movesEnabled: boolean;
  readonly clock: TickClock;
  /** Draws for store-wide fault rates: seeded, so a test with rates sees the same sequence. */
  readonly faultRng: Rng;

  constructor(opts: StoreOptions) {
    this.seed = opts.seed;
    this.items = generateCatalogue(opts.seed, opts.productCount);
    this.byAsin = new Map(this.items.map((i) => [i.asin, i]));
    this.movesEnabled = opts.priceMoves.enabled;
    this.clock = new TickClock(opts.clock, opts.priceMoves.speed);
    this.faultRng = createRng(mix(opts.seed, 0xfa017));
  }

  item(asin: string): CatalogueItem | undefined {
    return this.byAsin.get(asin);
  }

  requireItem(asin: string): CatalogueItem {
    const item = this.byAsin.get(asin);
    if (!item) throw notFound(`product ${asin}`);
    return item;
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
    this.movedCache.set(item.asin, { tick, state });
    return state;
  }

  /** Products of the same marketplace for the carousels, fixed per product. */
  neighboursOf(item: CatalogueItem): readonly CatalogueItem[] {
    let list = this.neighbourCache.get(item.asin);
    if (!list) {
      const same = this.items.filter((i) => i.marketplace === item.marketplace && i !== item);
      const rng = createRng(mix(item.seed, 0x5e1));
      const picked: CatalogueItem[] = [];
      for (let i = 0; i < Math.min(NEIGHBOURS, same.length); i++) picked.push(rng.pick(same));
      list = picked;
      this.neighbourCache.set(item.asin, list);
    }
    return list;
  }

  view(item: CatalogueItem, state = this.stateOf(item)): DemoProduct {
    return {
      asin: item.asin,
      marketplace: item.marketplace.id,
      path: productPath(item.marketplace.code, item.asin),
      title: item.title,
      category: item.category.key,
      currency: item.price.currency,
      price: state.price,
      priceMinor: state.price?.minor ?? null,
      listPrice: state.strikePrice,
      availability: state.availability,
      seller: item.seller,
      soldByStore: item.soldByStore,
      pinned: this.pins.has(item.asin),
      fault: this.productFaults.get(item.asin) ?? null,
    };
  }

  products(): DemoProduct[] {
    return this.items.map((i) => this.view(i));
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

  /** Products whose title, brand or category holds every word of the query. */
  search(query: string, mpCode?: string, limit = 48): CatalogueItem[] {
    const words = normalize(query).split(/\s+/).filter(Boolean);
    const mp = mpCode ? demoMarketplaceByCode(mpCode) : undefined;
    const out: CatalogueItem[] = [];
    for (const item of this.items) {
      if (mp && item.marketplace !== mp) continue;
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
