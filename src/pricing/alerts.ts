/**
 * Alert rules, as a pure function over a watch's state and one fresh observation.
 *
 * Semantics (DESIGN.md, "Alert semantics"):
 * - edge-triggered: a watch fires when a fresh observation enters its condition, and re-arms when
 *   a fresh observation leaves it;
 * - while still inside the condition, a further drop of at least `furtherDropPercent` below the
 *   last notified price fires again;
 * - at most `dailyCap` alerts per watch per day;
 * - only fresh, trusted observations are evaluated at all: the caller never passes a captcha,
 *   error or stale observation, and `evaluate` refuses one that is not `trusted`.
 */

export type RuleType = 'below' | 'drop_percent' | 'any_drop' | 'back_in_stock';

export type Rule =
  | { readonly type: 'below'; readonly targetMinor: number }
  | { readonly type: 'drop_percent'; readonly percent: number; readonly baselineMinor: number }
  | { readonly type: 'any_drop' }
  | { readonly type: 'back_in_stock' };

export interface WatchState {
  readonly armed: boolean;
  /** Last price this watch was evaluated against (any_drop compares with it). */
  readonly lastSeenMinor: number | null;
  readonly lastNotifiedMinor: number | null;
  /** Day (YYYY-MM-DD, in the watch owner's time zone) that `alertsToday` counts. */
  readonly alertsDay: string | null;
  readonly alertsToday: number;
}

export interface EvaluatedObservation {
  /** Price of the watched price type in the product's currency; null when not available. */
  readonly priceMinor: number | null;
  readonly inStock: boolean;
  /** An `ok` observation read just now, not a captcha, error, stale or unreadable page. */
  readonly trusted: boolean;
  /** The day of the observation in the owner's time zone (YYYY-MM-DD). */
  readonly day: string;
}

export interface AlertPolicy {
  readonly dailyCap: number;
  readonly furtherDropPercent: number;
}

export type Decision =
  | { readonly fire: false; readonly state: WatchState; readonly reason: string }
  | {
      readonly fire: true;
      readonly state: WatchState;
      readonly kind: 'price_drop' | 'back_in_stock';
      readonly previousMinor: number | null;
    };

export function initialState(): WatchState {
  return {
    armed: true,
    lastSeenMinor: null,
    lastNotifiedMinor: null,
    alertsDay: null,
    alertsToday: 0,
  };
}

/** Whether the rule's condition holds for this observation. */
function inCondition(rule: Rule, obs: EvaluatedObservation, state: WatchState): boolean {
  const p = obs.priceMinor;
  switch (rule.type) {
    case 'below':
      return p !== null && p <= rule.targetMinor;
    case 'drop_percent':
      // p <= baseline * (100 - percent) / 100, in integers.
      return p !== null && p * 100 <= rule.baselineMinor * (100 - rule.percent);
    case 'any_drop':
      return p !== null && state.lastSeenMinor !== null && p < state.lastSeenMinor;
    case 'back_in_stock':
      return p !== null && obs.inStock;
  }
}

/** A price at least `percent` below `reference`, in integers. */
function droppedBy(price: number, reference: number, percent: number): boolean {
  return price * 100 <= reference * (100 - percent);
}

export function evaluate(
  rule: Rule,
  state: WatchState,
  obs: EvaluatedObservation,
  policy: AlertPolicy,
): Decision {
  if (!obs.trusted) return { fire: false, state, reason: 'untrusted observation' };

  const alertsToday = state.alertsDay === obs.day ? state.alertsToday : 0;
  const seen = obs.priceMinor ?? state.lastSeenMinor;
  const base: WatchState = { ...state, alertsDay: obs.day, alertsToday, lastSeenMinor: seen };

  if (!inCondition(rule, obs, state)) {
    // any_drop has no "inside": each drop is its own event, so it is always armed.
    return { fire: false, state: { ...base, armed: true }, reason: 'outside the condition' };
  }

  let fires: boolean;
  if (rule.type === 'any_drop') fires = true;
  else if (state.armed) fires = true;
  else if (rule.type === 'back_in_stock') fires = false;
  else
    fires =
      obs.priceMinor !== null &&
      state.lastNotifiedMinor !== null &&
      droppedBy(obs.priceMinor, state.lastNotifiedMinor, policy.furtherDropPercent);

  if (!fires) return { fire: false, state: { ...base, armed: false }, reason: 'already notified' };
  if (alertsToday >= policy.dailyCap) {
    // Stay armed so that the alert is not lost for good; tomorrow's first fresh observation
    // inside the condition fires.
    return { fire: false, state: base, reason: 'daily cap reached' };
  }
  return {
    fire: true,
    kind: rule.type === 'back_in_stock' ? 'back_in_stock' : 'price_drop',
    previousMinor: state.lastSeenMinor,
    state: {
      ...base,
      armed: false,
      lastNotifiedMinor: obs.priceMinor,
      alertsToday: alertsToday + 1,
    },
  };
}
