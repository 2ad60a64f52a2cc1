import { describe, expect, it } from 'vitest';
import { alertRule, holdsNow, startState, thresholdMinor, type StoredRule } from './rules.js';

const below = (target: number): StoredRule => ({
  rule_type: 'below',
  target_minor: target,
  drop_percent: null,
  baseline_minor: null,
});
const drop = (percent: number, baseline: number): StoredRule => ({
  rule_type: 'drop_percent',
  target_minor: null,
  drop_percent: percent,
  baseline_minor: baseline,
});
const plain = (t: 'any_drop' | 'back_in_stock'): StoredRule => ({
  rule_type: t,
  target_minor: null,
  drop_percent: null,
  baseline_minor: null,
});
const rule = (r: StoredRule) => {
  const a = alertRule(r);
  if (!a) throw new Error('incomplete');
  return a;
};

describe('thresholdMinor', () => {
  it('is the target of below and the baseline less the percent, rounded down', () => {
    expect(thresholdMinor(below(15000))).toBe(15000);
    expect(thresholdMinor(drop(10, 20000))).toBe(18000);
    // 999 × 0.85 = 849.15: 849 is the highest whole price that is 15% off.
    expect(thresholdMinor(drop(15, 999))).toBe(849);
    expect(thresholdMinor(plain('any_drop'))).toBeNull();
    expect(thresholdMinor(plain('back_in_stock'))).toBeNull();
  });

  it('agrees with the alert condition at the threshold and one unit above it', () => {
    for (const [percent, baseline] of [
      [15, 999],
      [10, 20000],
      [33, 12345],
      [1, 1],
    ] as const) {
      const r = drop(percent, baseline);
      const t = thresholdMinor(r) ?? 0;
      expect(holdsNow(rule(r), { priceMinor: t, inStock: true })).toBe(true);
      expect(holdsNow(rule(r), { priceMinor: t + 1, inStock: true })).toBe(false);
    }
  });
});

describe('startState', () => {
  const inStock = (priceMinor: number | null) => ({ priceMinor, inStock: priceMinor !== null });

  it('arms a new or edited below watch even when the price already meets it', () => {
    expect(startState('create', rule(below(100)), inStock(90))).toEqual({
      armed: true,
      lastSeenMinor: 90,
    });
    expect(startState('edit', rule(below(100)), inStock(90)).armed).toBe(true);
  });

  it('does not arm a resumed watch whose condition already holds', () => {
    expect(startState('resume', rule(below(100)), inStock(90))).toEqual({
      armed: false,
      lastSeenMinor: 90,
    });
    expect(startState('resume', rule(below(100)), inStock(110)).armed).toBe(true);
    expect(startState('resume', rule(drop(10, 200)), inStock(170)).armed).toBe(false);
  });

  it('waits for back_in_stock to go out of stock first when the product is in stock', () => {
    expect(startState('create', rule(plain('back_in_stock')), inStock(500)).armed).toBe(false);
    expect(startState('create', rule(plain('back_in_stock')), inStock(null)).armed).toBe(true);
    expect(startState('edit', rule(plain('back_in_stock')), inStock(500)).armed).toBe(false);
  });

  it('measures any_drop from the price at the moment', () => {
    expect(startState('resume', rule(plain('any_drop')), inStock(300))).toEqual({
      armed: true,
      lastSeenMinor: 300,
    });
  });
});
