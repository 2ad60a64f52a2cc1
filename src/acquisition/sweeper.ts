/**
 * Periodic housekeeping: prices that have not been read for too long become stale (shown as
 * stale, never alerting), products nobody has watched for 30 days stop being checked, expired
 * sessions go, and price history partitions exist ahead of time.
 */
import { pruneRateLimits } from '../accounts/index.js';
import type { Pool } from '../db/pool.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';

export interface SweeperDeps {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => Date;
  readonly intervalWatchedMs: number;
  /** A watched product whose last good read is older than this many intervals is stale. */
  readonly staleAfterIntervals: number;
  readonly unwatchedRetentionMs: number;
}

export interface SweepReport {
  readonly stale: number;
  readonly retired: number;
  readonly sessions: number;
  readonly partitions: number;
}

export async function sweep(deps: SweeperDeps): Promise<SweepReport> {
  const now = deps.clock();
  const staleBefore = new Date(now.getTime() - deps.intervalWatchedMs * deps.staleAfterIntervals);
  const stale = await deps.pool.query(
    `update products set state = 'stale'
      where state = 'active' and coalesce(last_success_at, created_at) < $1`,
    [staleBefore],
  );
  // Nobody has watched it for the retention period: stop checking (it comes back when watched).
  const retired = await deps.pool.query(
    `update products set state = 'gone'
      where state <> 'gone' and watcher_count = 0
        and coalesce(last_watched_at, created_at) < $1`,
    [new Date(now.getTime() - deps.unwatchedRetentionMs)],
  );
  const sessions = await deps.pool.query('delete from sessions where expires_at < $1', [now]);
  await pruneRateLimits(deps.pool, now);
  await deps.pool.query('delete from email_tokens where expires_at < $1', [
    new Date(now.getTime() - 7 * 86_400_000),
  ]);
  const partitions = await ensurePricePartitions(deps.pool, now, 3);
  const due = await deps.pool.query<{ n: number }>(
    `select count(*)::int as n from products where next_check_at <= $1 and state <> 'gone'`,
    [now],
  );
  deps.metrics.dueProducts.set(due.rows[0]?.n ?? 0);
  const report = {
    stale: stale.rowCount ?? 0,
    retired: retired.rowCount ?? 0,
    sessions: sessions.rowCount ?? 0,
    partitions,
  };
  if (report.stale + report.retired + report.partitions > 0) {
    deps.logger.info({ component: 'sweeper', ...report }, 'swept');
  }
  return report;
}

/**
 * Monthly partitions of price_points from this month to `monthsAhead` months on. Returns how many
 * were created. Rows already in the default partition for a month block its creation, so the
 * months are created well before they start.
 */
export async function ensurePricePartitions(
  pool: Pool,
  now: Date,
  monthsAhead: number,
): Promise<number> {
  let created = 0;
  for (let i = 0; i <= monthsAhead; i++) {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i + 1, 1));
    const name = `price_points_${from.getUTCFullYear()}_${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
    const exists = await pool.query('select 1 from pg_class where relname = $1', [name]);
    if (exists.rowCount) continue;
    try {
      await pool.query(
        `create table ${name} partition of price_points
           for values from ('${from.toISOString()}') to ('${to.toISOString()}')`,
      );
      created++;
    } catch (err) {
      // Another process created it first, or rows for that month already sit in the default
      // partition (the month is then served from there).
      const code = (err as { code?: string }).code;
      if (code !== '42P07' && code !== '23514') throw err;
    }
  }
  return created;
}
