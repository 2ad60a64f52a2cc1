/**
 * Prices that move with the store's clock. Nothing runs in the background: a product's state at a
 * tick is a pure function of (product seed, tick), evaluated when a page or the admin API asks for
 * it. That keeps the store idle when nobody looks, lets a fake clock jump hours ahead in a test, and
 * makes every run with the same seed show the same history.
 *
 * - Walk: the price offset at tick t is the sum of small random steps over the last WALK_WINDOW
 *   ticks. Locally it moves like a random walk, but it is bounded and reverts to the regular price,
 *   and it costs O(window) to evaluate at any t without replaying history.
 * - Sales: time is cut into blocks; some blocks hold one sale of 10–40% off for a few ticks.
 * - Stock-outs: rarer blocks hold a stock-out of a few ticks, then the product restocks. Products
 *   the catalogue lists as out of stock restock a few ticks after the start.
 */
import type { Money } from '../money/index.js';
import {
  charmRound,
  isKindle,
  priceAbove,
  type CatalogueItem,
  type StockState,
} from './catalogue.js';
import { mix, unit } from './prng.js';

export const TICK_MS_AT_SPEED_1 = 60_000;
const WALK_WINDOW = 24;
const STEP_CHANCE = 0.15;
const MAX_OFFSET_PERMILLE = 250;
const SALE_BLOCK = 30;
const SALE_CHANCE = 0.3;
const STOCKOUT_BLOCK = 60;
const STOCKOUT_CHANCE = 0.12;

// Salts keep the independent draws of one product apart.
const SALT_STEP = 1;
const SALT_SALE = 2;
const SALT_STOCK = 3;
const SALT_RESTOCK = 4;

/** What a product shows at one moment: what its page renders and the admin API reports. */
export interface ProductState {
  /** Price of the featured offer; null when the page shows none. */
  readonly price: Money | null;
  /** The struck-through price shown next to it, when any. */
  readonly strikePrice: Money | null;
  /** Whether the struck price is the list price ("List Price:") or the pre-sale price ("Was:"). */
  readonly strikeKind: 'list' | 'was' | null;
  readonly availability: StockState;
  /** Percent off during a sale, else null. */
  readonly salePercent: number | null;
  /**
   * Variation parents: the dearest size, the high end of the range whose low end is `price`.
   * Null for every other layout.
   */
  readonly rangeMax: Money | null;
}

function walkOffsetPermille(seed: number, tick: number): number {
  let sum = 0;
  for (let i = tick - WALK_WINDOW + 1; i <= tick; i++) {
    const h = mix(seed, SALT_STEP, i);
    if (unit(h) < STEP_CHANCE) {
      const size = 10 + (h % 31); // 1.0%–4.0%
      sum += (h >>> 8) & 1 ? size : -size;
    }
  }
  return Math.max(-MAX_OFFSET_PERMILLE, Math.min(MAX_OFFSET_PERMILLE, sum));
}

/** Percent off if tick t falls inside this product's sale, else null. */
export function salePercentAt(seed: number, tick: number): number | null {
  const block = Math.floor(tick / SALE_BLOCK);
  const h = mix(seed, SALT_SALE, block);
  if (unit(h) >= SALE_CHANCE) return null;
  const h2 = mix(h, 1);
  const duration = 4 + (h2 % 9); // 4–12 ticks
  const start = block * SALE_BLOCK + ((h2 >>> 8) % (SALE_BLOCK - duration));
  if (tick < start || tick >= start + duration) return null;
  return 10 + ((h2 >>> 16) % 31); // 10–40 %
}

export function stockAt(item: CatalogueItem, tick: number): StockState {
  // An ebook has no stock to run out of.
  if (isKindle(item.layout)) return 'in_stock';
  if (item.availability === 'out_of_stock') {
    const restockAt = 3 + (mix(item.seed, SALT_RESTOCK) % 8);
    if (tick >= 0 && tick < restockAt) return 'out_of_stock';
  }
  const block = Math.floor(tick / STOCKOUT_BLOCK);
  const h = mix(item.seed, SALT_STOCK, block);
  if (unit(h) >= STOCKOUT_CHANCE) return 'in_stock';
  const h2 = mix(h, 1);
  const duration = 2 + (h2 % 7); // 2–8 ticks
  const start = block * STOCKOUT_BLOCK + ((h2 >>> 8) % (STOCKOUT_BLOCK - duration));
  return tick >= start && tick < start + duration ? 'out_of_stock' : 'in_stock';
}

/** The regular (non-sale) price at a tick: the catalogue price moved by the walk. */
export function regularPriceAt(item: CatalogueItem, tick: number): Money {
  const { minor, currency } = item.price;
  const offset = walkOffsetPermille(item.seed, tick);
  const moved = Math.round((minor * (1000 + offset)) / 1000);
  return { minor: charmRound(moved, currency, item.priceEnding), currency };
}

/** A product's state at a tick of the moving-price clock. */
export function movedState(item: CatalogueItem, tick: number): ProductState {
  const regular = regularPriceAt(item, tick);
  const salePercent = salePercentAt(item.seed, tick);
  let price = regular;
  if (salePercent !== null) {
    const target = Math.floor((regular.minor * (100 - salePercent)) / 100);
    const rounded = charmRound(target, regular.currency, item.priceEnding);
    // Rounding may climb back to the regular price on cheap items; a sale must be cheaper.
    price = { minor: rounded < regular.minor ? rounded : target, currency: regular.currency };
  }
  return withStrike(item, price, stockAt(item, tick), salePercent, regular);
}

/** The state when prices do not move: the catalogue as generated. */
export function staticState(item: CatalogueItem): ProductState {
  return withStrike(item, item.price, item.availability, null, null);
}

/**
 * Adds the strike price a page would show: the list price when above the price, otherwise the
 * pre-sale price during a sale.
 */
export function withStrike(
  item: CatalogueItem,
  price: Money | null,
  availability: StockState,
  salePercent: number | null,
  regular: Money | null,
): ProductState {
  let strikePrice: Money | null = null;
  let strikeKind: ProductState['strikeKind'] = null;
  if (price && item.listPrice && item.listPrice.minor > price.minor) {
    strikePrice = item.listPrice;
    strikeKind = 'list';
  } else if (price && regular && salePercent !== null && regular.minor > price.minor) {
    strikePrice = regular;
    strikeKind = 'was';
  }
  const rangeMax =
    item.layout === 'variation-parent' && price
      ? priceAbove(price, item.rangePermille, item.priceEnding)
      : null;
  return { price, strikePrice, strikeKind, availability, salePercent, rangeMax };
}

/** Same state, as far as the page is concerned: the cache key of a rendered page. */
export function stateKey(s: ProductState): string {
  return `${s.price?.minor ?? '-'}|${s.strikePrice?.minor ?? '-'}|${s.strikeKind ?? '-'}|${s.availability}|${s.salePercent ?? '-'}`;
}

/**
 * The store's tick counter. Ticks count from the store's start at `speed` ticks per minute of the
 * clock; changing the speed keeps the ticks already elapsed.
 */
export class TickClock {
  private baseTick = 0;
  private baseMs: number;
  constructor(
    private readonly now: () => number,
    private speedValue: number,
  ) {
    this.baseMs = now();
  }

  get speed(): number {
    return this.speedValue;
  }

  /** Milliseconds of the store's clock per tick at the current speed (Infinity when stopped). */
  get tickMs(): number {
    return this.speedValue > 0 ? TICK_MS_AT_SPEED_1 / this.speedValue : Infinity;
  }

  tick(): number {
    const elapsed = this.now() - this.baseMs;
    return this.baseTick + Math.floor((elapsed * this.speedValue) / TICK_MS_AT_SPEED_1);
  }

  /** Moves the clock `ticks` ticks ahead at once (tests, demos), whatever the speed. */
  advance(ticks: number): number {
    this.baseTick += ticks;
    return this.tick();
  }

  setSpeed(speed: number): void {
    this.baseTick = this.tick();
    this.baseMs = this.now();
    this.speedValue = speed;
  }
}
