import { describe, expect, it } from 'vitest';
import { generateCatalogue } from './catalogue.js';
import { movedState, regularPriceAt, salePercentAt, stockAt, TickClock } from './moves.js';
import { DemoStoreState } from './store.js';

const items = generateCatalogue(3);

describe('price moves', () => {
  it('are a pure function of product and tick', () => {
    for (const item of items.slice(0, 20)) {
      for (const t of [0, 1, 17, 500, 100_000]) {
        expect(movedState(item, t)).toEqual(movedState(item, t));
      }
    }
  });

  it('show changes within a few minutes when watching a few products', () => {
    const watched = items.slice(0, 5);
    let changes = 0;
    for (const item of watched) {
      for (let t = 1; t <= 5; t++) {
        if (movedState(item, t).price?.minor !== movedState(item, t - 1).price?.minor) changes++;
      }
    }
    expect(changes).toBeGreaterThan(0);
  });

  it('stay near the regular price, with sales of 10–40% off and restocks after stock-outs', () => {
    let sales = 0;
    let stockouts = 0;
    for (const item of items.slice(0, 40)) {
      let wasOut = false;
      let restocked = false;
      for (let t = 0; t < 600; t++) {
        const regular = regularPriceAt(item, t).minor;
        expect(regular).toBeGreaterThanOrEqual(Math.floor(item.price.minor * 0.7));
        expect(regular).toBeLessThanOrEqual(Math.ceil(item.price.minor * 1.3) + 100);
        const pct = salePercentAt(item.seed, t);
        if (pct !== null) {
          sales++;
          expect(pct).toBeGreaterThanOrEqual(10);
          expect(pct).toBeLessThanOrEqual(40);
          const s = movedState(item, t);
          expect(s.price!.minor).toBeLessThan(regular);
          expect(s.strikePrice).not.toBeNull();
        }
        const stock = stockAt(item, t);
        if (stock === 'out_of_stock') {
          wasOut = true;
        } else if (wasOut) restocked = true;
      }
      if (wasOut) {
        stockouts++;
        expect(restocked).toBe(true);
      }
    }
    expect(sales).toBeGreaterThan(0);
    expect(stockouts).toBeGreaterThan(0);
  });

  it('tick on the store clock at the chosen speed, keeping elapsed ticks across speed changes', () => {
    let now = 1_000_000;
    const clock = new TickClock(() => now, 1);
    expect(clock.tick()).toBe(0);
    now += 59_999;
    expect(clock.tick()).toBe(0);
    now += 1;
    expect(clock.tick()).toBe(1);
    clock.setSpeed(60);
    now += 2_000;
    expect(clock.tick()).toBe(3);
    clock.setSpeed(0);
    now += 10_000_000;
    expect(clock.tick()).toBe(3);
  });

  it('move a store product on a fake clock until an admin change pins it', () => {
    let now = 0;
    const store = new DemoStoreState({
      seed: 3,
      productCount: 40,
      clock: () => now,
      priceMoves: { enabled: true, speed: 1 },
    });
    const item = store.catalogue.slice(0, 40).find((i) => {
      const prices = new Set<number | undefined>();
      for (let t = 0; t < 10; t++) prices.add(movedState(i, t).price?.minor);
      return prices.size > 2;
    })!;
    const seen = new Set<number | undefined>();
    for (let t = 0; t < 10; t++) {
      now = t * 60_000;
      seen.add(store.view(item).price?.minor);
    }
    expect(seen.size).toBeGreaterThan(2);

    store.setProduct(item.asin, { price: item.price.currency === 'JPY' ? '1234' : '12.34' });
    const pinned = store.view(item);
    expect(pinned.pinned).toBe(true);
    for (let t = 10; t < 30; t++) {
      now = t * 60_000;
      expect(store.view(item).price).toEqual(pinned.price);
    }
    store.unpin(item.asin);
    expect(store.view(item).price).toEqual(movedState(item, 29).price);
  });

  it('names the products whose price falls within the next ticks, sales first, and they do fall', () => {
    let now = 5 * 60_000;
    const store = new DemoStoreState({
      seed: 11,
      productCount: 400,
      clock: () => now,
      priceMoves: { enabled: true, speed: 1 },
    });
    const soon = store.dropsSoon(3, 50);
    expect(soon.length).toBeGreaterThan(3);
    const before = new Map(soon.map((p) => [p.asin, p.price?.minor as number]));
    // The first lower price each shows as the clock moves on.
    const firstLower = new Map<string, number>();
    for (let t = 1; t <= 3; t++) {
      now = (5 + t) * 60_000;
      for (const p of soon) {
        const m = store.view(store.requireItem(p.asin)).price?.minor;
        if (!firstLower.has(p.asin) && m !== undefined && m < (before.get(p.asin) as number)) {
          firstLower.set(p.asin, m);
        }
      }
    }
    const isSale = (asin: string) =>
      (firstLower.get(asin) as number) * 10 <= (before.get(asin) as number) * 9;
    for (const p of soon) {
      expect(p.availability).toBe('in_stock');
      expect(firstLower.has(p.asin)).toBe(true);
    }
    // Sales (10% or more off) come first.
    const sales = soon.map((p) => isSale(p.asin));
    expect(sales[0]).toBe(true);
    expect(sales).toEqual([...sales].sort((a, b) => Number(b) - Number(a)));

    store.setPriceMoves({ speed: 0 });
    expect(store.dropsSoon(3, 50)).toEqual([]);
  });
});
