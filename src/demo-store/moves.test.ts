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
});
