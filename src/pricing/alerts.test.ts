import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, initialState, type AlertPolicy, type Rule, type WatchState } from './alerts.js';

const policy: AlertPolicy = { dailyCap: 3, furtherDropPercent: 5 };
const obs = (
  priceMinor: number | null,
  extra: Partial<{ trusted: boolean; day: string; inStock: boolean }> = {},
) => ({
  priceMinor,
  inStock: priceMinor !== null,
  trusted: true,
  day: '2026-11-25',
  ...extra,
});

/** Feeds a sequence of observations through a watch and returns which ones fired. */
function run(rule: Rule, prices: Array<number | null>, p = policy): boolean[] {
  let state: WatchState = initialState();
  return prices.map((price) => {
    const d = evaluate(rule, state, obs(price), p);
    state = d.state;
    return d.fire;
  });
}

describe('below', () => {
  const rule: Rule = { type: 'below', targetMinor: 1000 };

  it('fires once when the price enters the condition, not again while it stays', () => {
    expect(run(rule, [1200, 999, 999, 998, 1000])).toEqual([false, true, false, false, false]);
  });

  it('re-arms when the price leaves the condition and fires on the next entry', () => {
    expect(run(rule, [1200, 900, 1100, 950])).toEqual([false, true, false, true]);
  });

  it('fires again on a further drop of at least the step while inside', () => {
    // 900 → 855 is exactly 5% lower: fires; 850 is then less than 5% below 855: does not.
    expect(run(rule, [1200, 900, 856, 855, 850])).toEqual([false, true, false, true, false]);
  });

  it('counts a price equal to the target as meeting it', () => {
    expect(run(rule, [1000])).toEqual([true]);
  });

  it('treats "not available" as outside the condition (re-arms)', () => {
    expect(run(rule, [900, null, 900])).toEqual([true, false, true]);
  });

  it('never fires on an untrusted observation, and it does not change the state', () => {
    const s = initialState();
    const d = evaluate(rule, s, obs(500, { trusted: false }), policy);
    expect(d.fire).toBe(false);
    expect(d.state).toEqual(s);
  });

  it('stops at the daily cap and starts again the next day', () => {
    let state = initialState();
    const fired: boolean[] = [];
    for (const [price, day] of [
      [900, 'd1'],
      [1100, 'd1'],
      [900, 'd1'],
      [1100, 'd1'],
      [900, 'd1'],
      [1100, 'd1'],
      [900, 'd1'],
      [900, 'd2'],
    ] as const) {
      const d = evaluate(rule, state, obs(price, { day }), policy);
      state = d.state;
      fired.push(d.fire);
    }
    expect(fired).toEqual([true, false, true, false, true, false, false, true]);
  });
});

describe('other rules', () => {
  it('drop_percent measures from the baseline in integers', () => {
    const rule: Rule = { type: 'drop_percent', percent: 10, baselineMinor: 2000 };
    // 1750 is less than the 5% step below the alerted 1800; 1710 is 5% below it.
    expect(run(rule, [1900, 1801, 1800, 1750, 1710])).toEqual([false, false, true, false, true]);
  });

  it('any_drop fires on every drop and never on a rise or the first price', () => {
    expect(run({ type: 'any_drop' }, [1000, 990, 995, 980, 980])).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('back_in_stock fires on the way back, not while it stays in stock', () => {
    expect(run({ type: 'back_in_stock' }, [null, 1000, 1000, null, 990])).toEqual([
      false,
      true,
      false,
      false,
      true,
    ]);
  });
});

describe('properties over random price sequences', () => {
  const price = fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.constant(null));
  const step = fc.record({
    price,
    trusted: fc.boolean(),
    dayShift: fc.boolean(),
  });

  it('never two alerts without a re-arm or a further drop of the step, never over the cap, never untrusted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(step, { maxLength: 80 }),
        (target, steps) => {
          const rule: Rule = { type: 'below', targetMinor: target };
          let state = initialState();
          let day = 0;
          let perDay = 0;
          let lastFired: number | null = null;
          let leftSinceLastFire = true;
          for (const s of steps) {
            if (s.dayShift) {
              day++;
              perDay = 0;
            }
            const d = evaluate(
              rule,
              state,
              {
                priceMinor: s.price,
                inStock: s.price !== null,
                trusted: s.trusted,
                day: `d${day}`,
              },
              policy,
            );
            if (!s.trusted) expect(d.fire).toBe(false);
            if (d.fire) {
              expect(s.price).not.toBeNull();
              const p = s.price as number;
              expect(p).toBeLessThanOrEqual(target);
              // Either it left the condition since the last alert, or it dropped by the step.
              if (!leftSinceLastFire) {
                expect(lastFired).not.toBeNull();
                expect(p * 100).toBeLessThanOrEqual(
                  (lastFired as number) * (100 - policy.furtherDropPercent),
                );
              }
              perDay++;
              expect(perDay).toBeLessThanOrEqual(policy.dailyCap);
              lastFired = p;
              leftSinceLastFire = false;
            } else if (s.trusted && (s.price === null || s.price > target)) {
              leftSinceLastFire = true;
            }
            state = d.state;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a falling sequence that crosses the target fires exactly once when drops are smaller than the step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 10_000 }), (target) => {
        // From 20% above the target down to 2% below it, 1% at a time.
        const prices: number[] = [];
        for (
          let p = Math.floor(target * 1.2);
          p >= Math.floor(target * 0.98);
          p -= Math.max(1, Math.floor(target / 100))
        )
          prices.push(p);
        const fired = run({ type: 'below', targetMinor: target }, prices).filter(Boolean).length;
        expect(fired).toBe(1);
      }),
    );
  });
});
