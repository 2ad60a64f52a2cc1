/**
 * A watch's rule as people state it, and how a watch starts when it is created, edited or
 * resumed. Pure: the alert condition itself is pricing/alerts' `evaluate`, asked here rather than
 * written a second time.
 *
 * How a watch (re)starts, measured against the product's current reading of its price type:
 * - created, or its condition edited (rule type, target, percent, price type): armed, as a new
 *   question; when the current price already meets a `below` or `drop_percent` condition, the next
 *   fresh check alerts once. `back_in_stock` is the exception: "back" is a change, so a product
 *   already in stock waits for it to go out and come back.
 * - resumed after a pause: armed only when the current reading is outside the condition, so a
 *   price reached while the watch was paused (or before) is never alerted on resume; a further
 *   drop, or leaving and re-entering the condition, alerts as usual.
 * Both set the watch's last seen price to the current one, so `any_drop` measures drops from the
 * price at that moment, never from one seen before.
 *
 * The `drop_percent` baseline is the price when the percent was set: it is recomputed when the
 * percent or the price type changes (or a watch becomes `drop_percent`), and kept otherwise, so
 * pausing, resuming or re-sending the same rule never moves it.
 */
import { evaluate, type Rule } from '../pricing/alerts.js';
import type { PriceType } from '../stores/types.js';

export type RuleInput =
  | { readonly type: 'below'; readonly price: string }
  | { readonly type: 'drop_percent'; readonly percent: number }
  | { readonly type: 'any_drop' }
  | { readonly type: 'back_in_stock' };

export type RuleType = RuleInput['type'];

export const WATCH_STATUSES = ['armed', 'fired', 'stale', 'blocked', 'paused'] as const;
/**
 * - armed: waiting for the price to meet the rule;
 * - fired: the rule holds and has been alerted (or held when the watch was resumed): waiting for
 *   the price to leave the condition, or to drop further;
 * - stale: the product has not been read for a while, so nothing can fire until it is;
 * - blocked: the store refuses our reads (captcha, block) or says the product is gone;
 * - paused: by its owner; never evaluated until resumed.
 */
export type WatchStatus = (typeof WATCH_STATUSES)[number];

export const PRICE_COLUMN: Readonly<
  Record<PriceType, 'price_buybox' | 'price_amazon' | 'price_new' | 'price_used'>
> = {
  buybox: 'price_buybox',
  amazon: 'price_amazon',
  new: 'price_new',
  used: 'price_used',
};

/** The rule columns of a watch row. */
export interface StoredRule {
  readonly rule_type: RuleType;
  readonly target_minor: number | null;
  readonly drop_percent: number | null;
  readonly baseline_minor: number | null;
}

/** The rule as pricing/alerts evaluates it; null when the row lacks what the rule needs. */
export function alertRule(r: StoredRule): Rule | null {
  switch (r.rule_type) {
    case 'below':
      return r.target_minor === null ? null : { type: 'below', targetMinor: r.target_minor };
    case 'drop_percent':
      return r.drop_percent === null || r.baseline_minor === null
        ? null
        : { type: 'drop_percent', percent: r.drop_percent, baselineMinor: r.baseline_minor };
    case 'any_drop':
      return { type: 'any_drop' };
    case 'back_in_stock':
      return { type: 'back_in_stock' };
  }
}

/**
 * The highest price at which the rule holds: the target of `below`, the baseline less the percent
 * (rounded down to a whole minor unit, as the integer condition of pricing/alerts does) for
 * `drop_percent`; null for rules without a price.
 */
export function thresholdMinor(r: StoredRule): number | null {
  if (r.rule_type === 'below') return r.target_minor;
  if (r.rule_type === 'drop_percent' && r.drop_percent !== null && r.baseline_minor !== null) {
    const scaled = r.baseline_minor * (100 - r.drop_percent);
    return (scaled - (scaled % 100)) / 100;
  }
  return null;
}

export interface CurrentReading {
  /** The product's current price of the watch's price type; null when not available. */
  readonly priceMinor: number | null;
  readonly inStock: boolean;
}

/** Whether the current reading already meets the rule (any_drop never "holds": it is a change). */
export function holdsNow(rule: Rule, now: CurrentReading): boolean {
  if (rule.type === 'any_drop') return false;
  const decision = evaluate(
    rule,
    {
      armed: true,
      lastSeenMinor: now.priceMinor,
      lastNotifiedMinor: null,
      alertsDay: null,
      alertsToday: 0,
    },
    { priceMinor: now.priceMinor, inStock: now.inStock, trusted: true, day: 'now' },
    { dailyCap: 1, furtherDropPercent: 100 },
  );
  return decision.fire;
}

export interface StartState {
  readonly armed: boolean;
  readonly lastSeenMinor: number | null;
}

/** The evaluation state a watch starts from (see the header of this file). */
export function startState(
  how: 'create' | 'edit' | 'resume',
  rule: Rule,
  now: CurrentReading,
): StartState {
  const holds = holdsNow(rule, now);
  const armed = how === 'resume' || rule.type === 'back_in_stock' ? !holds : true;
  return { armed, lastSeenMinor: now.priceMinor };
}

/** Whether two stored rules on two price types ask the same question. */
export function sameCondition(
  a: StoredRule & { readonly price_type: PriceType },
  b: StoredRule & { readonly price_type: PriceType },
): boolean {
  return (
    a.price_type === b.price_type &&
    a.rule_type === b.rule_type &&
    a.target_minor === b.target_minor &&
    a.drop_percent === b.drop_percent &&
    a.baseline_minor === b.baseline_minor
  );
}
