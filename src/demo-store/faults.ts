/**
 * Faults on demand, so the checker's handling of blocked and broken fetches can be tested end to
 * end: store-wide rates drawn per request, or one fault pinned on a product.
 *
 * - captcha: the robot-check interstitial, status 200 as Amazon sends it;
 * - error: the 503 "dogs" page;
 * - slow: the response waits (`slowMs`, or DEFAULT_SLOW_MS for a product fault with no rate set);
 * - truncate: half the body, then the connection is destroyed;
 * - rate_limit: 429 with Retry-After (store-wide draws alternate 429 and 503 + Retry-After, the two
 *   ways throttling shows up).
 */

export const FAULTS = ['captcha', 'error', 'slow', 'truncate', 'rate_limit'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultRates {
  readonly captchaRate: number;
  readonly errorRate: number;
  /** Delay added to every page response, in ms. */
  readonly slowMs: number;
  readonly truncateRate: number;
  readonly rateLimitRate: number;
}

export const NO_FAULTS: FaultRates = {
  captchaRate: 0,
  errorRate: 0,
  slowMs: 0,
  truncateRate: 0,
  rateLimitRate: 0,
};

export const DEFAULT_SLOW_MS = 3_000;
export const RETRY_AFTER_SECONDS = 30;

export type DrawnFault = Exclude<Fault, 'slow'>;

/**
 * The fault a request gets from the store-wide rates, given a uniform draw in [0, 1). The rates
 * stack in a fixed order, so rates summing past 1 simply leave the later ones less room.
 */
export function drawFault(rates: FaultRates, r: number): DrawnFault | null {
  let edge = rates.captchaRate;
  if (r < edge) return 'captcha';
  edge += rates.errorRate;
  if (r < edge) return 'error';
  edge += rates.rateLimitRate;
  if (r < edge) return 'rate_limit';
  edge += rates.truncateRate;
  if (r < edge) return 'truncate';
  return null;
}

export function isFault(value: unknown): value is Fault {
  return typeof value === 'string' && (FAULTS as readonly string[]).includes(value);
}
