/**
 * Price statistics of one series (one product, one price type), pure and in integer minor units.
 *
 * A series is a step function: each point's amount holds from its time until the next point (the
 * last one until now); a null amount means "not available" and counts as no price. Hence:
 * - lowest / highest over a window: of the amounts in effect at any moment of the window, the
 *   amount in effect when the window opened included;
 * - average: time-weighted over the moments with a price ("the average price you would have met
 *   at a random moment"), in minor units rounded half up; exact (BigInt sums of amount × ms);
 * - the good-deal flag: the current price is within 5% of the lowest ever recorded
 *   (current × 100 ≤ lowest × 105), once the series is at least five weeks old.
 */

export interface SeriesPoint {
  /** Epoch milliseconds. */
  readonly at: number;
  /** Minor units; null when not available. */
  readonly amount: number | null;
}

export interface WindowStats {
  readonly lowest: number | null;
  readonly highest: number | null;
  /** Time-weighted, rounded half up to the minor unit. */
  readonly average: number | null;
  /** Points (changes) recorded inside the window. */
  readonly changes: number;
}

export const WINDOWS = { d30: 30, d90: 90, d365: 365 } as const;
export type WindowName = keyof typeof WINDOWS | 'all';

export interface PriceStats {
  /** The price now; null when not available now or never seen. */
  readonly current: number | null;
  readonly currentSince: number | null;
  /** The last price before the current one (unavailable spells skipped). */
  readonly previous: number | null;
  /** previous − current: positive when the price fell, negative when it rose. */
  readonly dropFromPrevious: number | null;
  /** The same as a percentage of `previous`, in tenths of a percent, truncated toward zero. */
  readonly dropPermille: number | null;
  readonly windows: Readonly<Record<WindowName, WindowStats>>;
  /** When the series starts (its first point). */
  readonly firstSeen: number | null;
  readonly goodDeal: boolean;
}

export const GOOD_DEAL_PERCENT = 5;
export const GOOD_DEAL_MIN_HISTORY_MS = 35 * 86_400_000;
const DAY_MS = 86_400_000;

/** Within GOOD_DEAL_PERCENT of the lowest price ever, on a history of at least five weeks. */
export function isGoodDeal(
  current: number | null,
  lowestEver: number | null,
  firstSeen: number | null,
  now: number,
): boolean {
  if (current === null || lowestEver === null || firstSeen === null) return false;
  if (now - firstSeen < GOOD_DEAL_MIN_HISTORY_MS) return false;
  return current * 100 <= lowestEver * (100 + GOOD_DEAL_PERCENT);
}

/** (before − after) / before in tenths of a percent, truncated toward zero; null without both. */
export function dropPermille(before: number | null, after: number | null): number | null {
  if (before === null || after === null || before <= 0) return null;
  const num = BigInt(before - after) * 1000n;
  return Number(num / BigInt(before));
}

/** Tenths of a percent written as a percentage with one decimal ("12.3", "-0.5"), exactly. */
export function formatPermille(permille: number): string {
  const abs = Math.abs(permille);
  return `${permille < 0 ? '-' : ''}${Math.trunc(abs / 10)}.${abs % 10}`;
}

/** Rounds num/den (den > 0, num ≥ 0) half up, exactly. */
function divideRounded(num: bigint, den: bigint): number {
  return Number((2n * num + den) / (2n * den));
}

function windowStats(points: readonly SeriesPoint[], since: number, now: number): WindowStats {
  let lowest: number | null = null;
  let highest: number | null = null;
  let weighted = 0n;
  let known = 0n;
  let changes = 0;
  let fallback: number | null = null;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as SeriesPoint;
    const until = points[i + 1]?.at ?? now;
    if (until < since || (until === since && i + 1 < points.length)) continue;
    if (p.at >= since) changes++;
    if (p.amount === null) continue;
    lowest = lowest === null ? p.amount : Math.min(lowest, p.amount);
    highest = highest === null ? p.amount : Math.max(highest, p.amount);
    const ms = BigInt(Math.max(0, until - Math.max(p.at, since)));
    weighted += BigInt(p.amount) * ms;
    known += ms;
    fallback = p.amount;
  }
  // A price seen only at this very instant has no duration yet: it is its own average.
  const average = known > 0n ? divideRounded(weighted, known) : fallback;
  return { lowest, highest, average, changes };
}

/** Statistics of a series sorted by time (points after `now` are ignored). */
export function priceStats(series: readonly SeriesPoint[], now: number): PriceStats {
  const points = series.filter((p) => p.at <= now);
  const last = points[points.length - 1];
  const first = points[0];
  let previous: number | null = null;
  for (let i = points.length - 2; i >= 0; i--) {
    const a = (points[i] as SeriesPoint).amount;
    if (a !== null) {
      previous = a;
      break;
    }
  }
  const current = last?.amount ?? null;
  const windows = {
    d30: windowStats(points, now - WINDOWS.d30 * DAY_MS, now),
    d90: windowStats(points, now - WINDOWS.d90 * DAY_MS, now),
    d365: windowStats(points, now - WINDOWS.d365 * DAY_MS, now),
    all: windowStats(points, first?.at ?? now, now),
  };
  const drop = current !== null && previous !== null ? previous - current : null;
  return {
    current,
    currentSince: last?.at ?? null,
    previous,
    dropFromPrevious: drop,
    dropPermille: dropPermille(previous, current),
    windows,
    firstSeen: first?.at ?? null,
    goodDeal: isGoodDeal(current, windows.all.lowest, first?.at ?? null, now),
  };
}
