import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropPermille, formatPermille, isGoodDeal, priceStats, type SeriesPoint } from './stats.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);
const at = (daysAgo: number, amount: number | null): SeriesPoint => ({
  at: NOW - daysAgo * DAY,
  amount,
});

describe('priceStats', () => {
  it('reads a known series: windows open with the price in effect, gaps do not count', () => {
    const s = priceStats(
      [at(100, 10_000), at(60, 8_000), at(20, 9_000), at(10, null), at(5, 8_400)],
      NOW,
    );
    expect(s.current).toBe(8_400);
    expect(s.currentSince).toBe(NOW - 5 * DAY);
    expect(s.previous).toBe(9_000);
    expect(s.dropFromPrevious).toBe(600);
    expect(s.dropPermille).toBe(66);
    expect(s.windows.d30).toEqual({ lowest: 8_000, highest: 9_000, average: 8_480, changes: 3 });
    expect(s.windows.d90).toEqual({ lowest: 8_000, highest: 10_000, average: 8_847, changes: 4 });
    expect(s.windows.d365).toEqual({ lowest: 8_000, highest: 10_000, average: 8_968, changes: 5 });
    expect(s.windows.all).toEqual(s.windows.d365);
    expect(s.firstSeen).toBe(NOW - 100 * DAY);
    expect(s.goodDeal).toBe(true); // 8,400 is 5% above 8,000
  });

  it('rounds the average half up, exactly, even for sums beyond 2^53', () => {
    expect(priceStats([at(2, 101), at(1, 100)], NOW).windows.d30.average).toBe(101);
    expect(priceStats([at(3, 100), at(2, 101), at(1, 100)], NOW).windows.d30.average).toBe(100);
    // 10^12 minor units for ten years: amount × ms is ~3×10^23, far past Number's exact range.
    const big = priceStats([at(3650, 1_000_000_000_000), at(1825, 1_000_000_000_001)], NOW);
    expect(big.windows.all.average).toBe(1_000_000_000_001);
  });

  it('says "not available now" as a null current price, and keeps the last known one as previous', () => {
    const s = priceStats([at(40, 5_000), at(1, null)], NOW);
    expect(s.current).toBeNull();
    expect(s.previous).toBe(5_000);
    expect(s.dropFromPrevious).toBeNull();
    expect(s.goodDeal).toBe(false);
    expect(s.windows.d30).toEqual({ lowest: 5_000, highest: 5_000, average: 5_000, changes: 1 });
  });

  it('handles an empty series, a single point, and a point exactly now', () => {
    const empty = priceStats([], NOW);
    expect(empty.current).toBeNull();
    expect(empty.windows.all).toEqual({ lowest: null, highest: null, average: null, changes: 0 });
    const one = priceStats([at(0, 700)], NOW);
    expect(one.windows.d30).toEqual({ lowest: 700, highest: 700, average: 700, changes: 1 });
    expect(one.previous).toBeNull();
    const future = priceStats([at(1, 700), { at: NOW + DAY, amount: 1 }], NOW);
    expect(future.current).toBe(700);
  });

  it('never averages outside the lowest and highest, and keeps lowest ≤ highest', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            ago: fc.integer({ min: 0, max: 800 * 24 }),
            amount: fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: null }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (raw) => {
          const byTime = new Map(raw.map((r) => [NOW - r.ago * 3_600_000, r.amount]));
          const series = [...byTime]
            .sort((a, b) => a[0] - b[0])
            .map(([t, a]) => ({ at: t, amount: a }));
          const s = priceStats(series, NOW);
          for (const w of Object.values(s.windows)) {
            if (w.average === null) continue;
            expect(w.lowest).not.toBeNull();
            expect(w.average).toBeGreaterThanOrEqual(w.lowest as number);
            expect(w.average).toBeLessThanOrEqual(w.highest as number);
            expect(Number.isInteger(w.average)).toBe(true);
          }
          expect(s.windows.all.lowest ?? 0).toBeLessThanOrEqual(s.windows.d30.lowest ?? Infinity);
        },
      ),
    );
  });
});

describe('isGoodDeal', () => {
  const first = NOW - 35 * DAY;
  it('is within 5% of the lowest, inclusive, in integer arithmetic', () => {
    expect(isGoodDeal(105, 100, first, NOW)).toBe(true);
    expect(isGoodDeal(106, 100, first, NOW)).toBe(false);
    expect(isGoodDeal(8_400, 8_000, first, NOW)).toBe(true);
    expect(isGoodDeal(8_401, 8_000, first, NOW)).toBe(false);
    expect(isGoodDeal(1, 1, first, NOW)).toBe(true);
  });
  it('needs five weeks of history', () => {
    expect(isGoodDeal(100, 100, first, NOW)).toBe(true);
    expect(isGoodDeal(100, 100, first + 1, NOW)).toBe(false);
    expect(isGoodDeal(null, 100, first, NOW)).toBe(false);
    expect(isGoodDeal(100, null, first, NOW)).toBe(false);
  });
});

describe('dropPermille', () => {
  it('is tenths of a percent of the price before, truncated toward zero', () => {
    expect(dropPermille(10_000, 8_000)).toBe(200);
    expect(dropPermille(3, 2)).toBe(333);
    expect(dropPermille(3, 4)).toBe(-333);
    expect(dropPermille(0, 1)).toBeNull();
    expect(dropPermille(null, 1)).toBeNull();
  });
});

describe('formatPermille', () => {
  it('writes tenths of a percent with one decimal', () => {
    expect(formatPermille(200)).toBe('20.0');
    expect(formatPermille(333)).toBe('33.3');
    expect(formatPermille(5)).toBe('0.5');
    expect(formatPermille(0)).toBe('0.0');
    expect(formatPermille(-333)).toBe('-33.3');
    expect(formatPermille(-5)).toBe('-0.5');
  });
});
