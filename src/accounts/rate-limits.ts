/**
 * Rate limits shared by every web process: a sliding-window log per key in PostgreSQL. Used where
 * abuse matters (sign-up, log-in, password reset, verification, test sends), not on every request.
 *
 * A limit of `max` per `windowMs` holds over every window, not only over aligned ones: the row
 * keeps the instants of the last accepted attempts (at most `max`), and an attempt is refused
 * while `max` of them are younger than the window. Fixed-window counters let twice the limit
 * through across a boundary.
 */
import type { Queryable } from '../db/pool.js';
import { AppError } from '../errors.js';

export interface Limit {
  /** What is limited, e.g. `login:ip:203.0.113.9` or `login:email:ada@example.com`. */
  readonly key: string;
  readonly max: number;
  readonly windowMs: number;
}

/**
 * Counts one attempt against each limit; throws 429 `rate_limited` when one is exceeded. Limits
 * before the exceeded one have counted the attempt (it was made); later ones have not.
 */
export async function hitLimits(db: Queryable, limits: readonly Limit[], now: Date): Promise<void> {
  for (const l of limits) {
    // The row first, so that the statement below always has one to lock: two first attempts at
    // once then queue on the row instead of both inserting and one overwriting the other.
    await db.query(
      `insert into rate_limit_hits (key, recent, last_at) values ($1, '{}', $2)
       on conflict (key) do nothing`,
      [l.key, now],
    );
    // Locked (FOR UPDATE), the attempts still inside the window are kept, and this one is added
    // when there is room. Concurrent attempts on one key take turns on the row lock.
    const { rows } = await db.query<{ accepted: boolean; oldest: Date | null }>(
      `with kept as (
         select r.key,
                array(select t from unnest(r.recent) t
                       where t > $2::timestamptz - make_interval(secs => $3::double precision / 1000)
                       order by t) as recent
           from rate_limit_hits r
          where r.key = $1
            for update
       )
       update rate_limit_hits r
          set recent = case when cardinality(k.recent) < $4 then k.recent || $2::timestamptz
                            else k.recent end,
              last_at = $2
         from kept k
        where r.key = k.key
       returning cardinality(k.recent) < $4 as accepted, k.recent[1] as oldest`,
      [l.key, now, l.windowMs, l.max],
    );
    const row = rows[0];
    if (row && !row.accepted) {
      const until = (row.oldest?.getTime() ?? now.getTime()) + l.windowMs;
      const retryAfter = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
      throw new AppError(
        'rate_limited',
        `Too many attempts. Try again in ${humanWait(retryAfter)}.`,
        429,
        { details: { retryAfterSeconds: retryAfter } },
      );
    }
  }
}

function humanWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 90 ? `${minutes} minutes` : `${Math.ceil(minutes / 60)} hours`;
}

/** Keys not tried for a day go (called by the sweeper); no limit has a longer window. */
export async function pruneRateLimits(db: Queryable, now: Date): Promise<number> {
  const res = await db.query('delete from rate_limit_hits where last_at < $1', [
    new Date(now.getTime() - 86_400_000),
  ]);
  return res.rowCount ?? 0;
}
