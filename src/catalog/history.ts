/**
 * Price history for charts: any range, downsampled in SQL so that a year of hourly changes comes
 * back as a few hundred points whatever its length. And the whole series per price type for the
 * statistics (pricing/stats.ts).
 *
 * Downsampling: the range is cut into equal buckets; of each bucket's points we keep the first,
 * the last, the lowest, the highest and the first "unavailable" one: at most five, so the chart
 * keeps every peak and trough, where the price stood when each bucket ended, and every gap.
 */
import type { Queryable } from '../db/pool.js';
import { priceStats, type PriceStats, type SeriesPoint } from '../pricing/stats.js';
import type { PriceType } from '../stores/index.js';

/** Points a bucket keeps at most: first, last, lowest, highest, first unavailable. */
export const POINTS_PER_BUCKET = 5;

export interface HistoryQuery {
  readonly productId: number;
  readonly priceTypes: readonly PriceType[];
  /** Default: the first point of the product. */
  readonly from?: Date | undefined;
  readonly to: Date;
  /** At most this many points per series (≥ 2 × POINTS_PER_BUCKET). */
  readonly points: number;
}

export interface HistoryPoint {
  readonly at: Date;
  readonly amount: number | null;
}

export interface HistorySeries {
  readonly priceType: PriceType;
  readonly currency: string;
  readonly points: readonly HistoryPoint[];
  /** Points recorded in the range (before downsampling). */
  readonly total: number;
  /** Buckets the range was cut into; null when every point is returned. */
  readonly buckets: number | null;
}

export interface HistoryAnswer {
  /** The range used (from: the query's, or the first point). */
  readonly from: Date;
  readonly to: Date;
  readonly series: readonly HistorySeries[];
}

interface Row {
  price_type: PriceType;
  observed_at: Date;
  amount: number | null;
  currency: string;
  total: number;
  carried: boolean;
}

export async function loadHistory(db: Queryable, q: HistoryQuery): Promise<HistoryAnswer> {
  // One point goes to the price in effect when the range opens (drawn at `from`).
  const buckets = Math.max(1, Math.floor((q.points - 1) / POINTS_PER_BUCKET));
  const { rows: bounds } = await db.query<{ f: Date | null }>(
    `select coalesce($3::timestamptz, min(observed_at)) as f
       from price_points where product_id = $1 and price_type = any ($2::text[])`,
    [q.productId, q.priceTypes, q.from ?? null],
  );
  const from = bounds[0]?.f ?? q.from ?? q.to;
  const { rows } = await db.query<Row>(
    `with pts as (
       select price_type, observed_at, amount, currency,
              count(*) over (partition by price_type)::int as total,
              least($5 - 1, floor(extract(epoch from observed_at - $3::timestamptz) * $5
                    / greatest(extract(epoch from $4::timestamptz - $3::timestamptz), 0.001)))::int as bucket
         from price_points
        where product_id = $1 and price_type = any ($2::text[])
          and observed_at >= $3 and observed_at <= $4),
     ranked as (
       select *,
              row_number() over (partition by price_type, bucket order by observed_at) as r_first,
              row_number() over (partition by price_type, bucket order by observed_at desc) as r_last,
              row_number() over (partition by price_type, bucket
                                 order by amount asc nulls last, observed_at) as r_min,
              row_number() over (partition by price_type, bucket
                                 order by amount desc nulls last, observed_at) as r_max,
              row_number() over (partition by price_type, bucket
                                 order by amount is null desc, observed_at) as r_gap
         from pts),
     carried as (
       select distinct on (pp.price_type) pp.price_type, pp.amount, pp.currency
         from price_points pp
        where pp.product_id = $1 and pp.price_type = any ($2::text[]) and pp.observed_at < $3
        order by pp.price_type, pp.observed_at desc)
     select price_type, observed_at, amount, currency, total, false as carried
       from ranked
      where total < $6 or r_first = 1 or r_last = 1
         or (amount is not null and (r_min = 1 or r_max = 1))
         or (amount is null and r_gap = 1)
     union all
     select price_type, $3::timestamptz, amount, currency, 0, true from carried
      order by price_type, observed_at, carried desc`,
    [q.productId, q.priceTypes, from, q.to, buckets, q.points],
  );
  const byType = new Map<PriceType, Row[]>();
  for (const r of rows) {
    const list = byType.get(r.price_type) ?? [];
    list.push(r);
    byType.set(r.price_type, list);
  }
  const series: HistorySeries[] = [];
  for (const type of q.priceTypes) {
    const list = byType.get(type);
    if (!list) continue;
    const total = Math.max(0, ...list.map((r) => r.total));
    series.push({
      priceType: type,
      currency: (list[list.length - 1] as Row).currency,
      points: list.map((r) => ({ at: r.observed_at, amount: r.amount })),
      total,
      buckets: total < q.points ? null : buckets,
    });
  }
  return { from, to: q.to, series };
}

export interface SeriesStats extends PriceStats {
  readonly priceType: PriceType;
  readonly currency: string;
}

/** Statistics per price type over each whole series (as of `now`). */
export async function loadStats(
  db: Queryable,
  productId: number,
  priceTypes: readonly PriceType[],
  now: Date,
): Promise<SeriesStats[]> {
  const { rows } = await db.query<{
    price_type: PriceType;
    observed_at: Date;
    amount: number | null;
    currency: string;
  }>(
    `select price_type, observed_at, amount, currency from price_points
      where product_id = $1 and price_type = any ($2::text[]) and observed_at <= $3
      order by price_type, observed_at`,
    [productId, priceTypes, now],
  );
  const out: SeriesStats[] = [];
  for (const type of priceTypes) {
    const list = rows.filter((r) => r.price_type === type);
    const last = list[list.length - 1];
    if (!last) continue;
    const series: SeriesPoint[] = list.map((r) => ({
      at: r.observed_at.getTime(),
      amount: r.amount,
    }));
    out.push({ priceType: type, currency: last.currency, ...priceStats(series, now.getTime()) });
  }
  return out;
}
