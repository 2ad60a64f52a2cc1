/**
 * Rate limits shared by every web process: fixed-window counters in PostgreSQL, one upsert per
 * attempt. Used where abuse matters (sign-up, log-in, password reset, verification), not on every
 * request.
 */
import type { Queryable } from '../db/pool.js';
import { AppError } from '../errors.js';

export interface Limit {
  /** What is limited, e.g. `login:ip:203.0.113.9` or `login:email:ada@example.com`. */
  readonly key: string;
  readonly max: number;
  readonly windowMs: number;
}

/** Counts one attempt against each limit; throws 429 `rate_limited` when one is exceeded. */
export async function hitLimits(db: Queryable, limits: readonly Limit[], now: Date): Promise<void> {
  for (const l of limits) {
    const windowStart = new Date(Math.floor(now.getTime() / l.windowMs) * l.windowMs);
    const { rows } = await db.query<{ hits: number }>(
      `insert into rate_limits (key, window_start, hits) values ($1, $2, 1)
       on conflict (key, window_start) do update set hits = rate_limits.hits + 1
       returning hits`,
      [l.key, windowStart],
    );
    if ((rows[0]?.hits ?? 0) > l.max) {
      const retryAfter = Math.ceil((windowStart.getTime() + l.windowMs - now.getTime()) / 1000);
      throw new AppError(
        'rate_limited',
        `Too many attempts. Try again in ${humanWait(retryAfter)}.`,
        429,
        {
          details: { retryAfterSeconds: retryAfter },
        },
      );
    }
  }
}

function humanWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 90 ? `${minutes} minutes` : `${Math.ceil(minutes / 60)} hours`;
}

/** Old windows go (called by the sweeper). */
export async function pruneRateLimits(db: Queryable, now: Date): Promise<number> {
  const res = await db.query('delete from rate_limits where window_start < $1', [
    new Date(now.getTime() - 86_400_000),
  ]);
  return res.rowCount ?? 0;
}
