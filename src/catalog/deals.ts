/**
 * The public pages' lists: the largest price drops of the last hours among watched products, and
 * the most watched products.
 *
 * A drop compares, per product and price type, the price in effect when the window opened with
 * the price now; products first seen inside the window, unavailable then or now, and prices that
 * fell and came back are not drops.
 *
 * Only the window's own points are read (the BRIN index on observed_at finds them: points are
 * appended in time order): the first one's `previous_amount` is the price when the window
 * opened, the last one's amount the price now. Candidates are sorted by drop before products are
 * joined, one by one, until `limit` watched ones are found.
 */
import type { Queryable } from '../db/pool.js';
import { dropPermille } from '../pricing/stats.js';
import type { PriceType } from '../stores/index.js';
import type { ProductRecord } from './products.js';

export interface DealsQuery {
  readonly since: Date;
  readonly now: Date;
  readonly limit: number;
  readonly priceType: PriceType;
  readonly marketplace?: string | undefined;
  /** The absolute ranking compares amounts of this currency only. */
  readonly currency: string;
}

export interface Drop {
  readonly product: ProductRecord;
  readonly priceType: PriceType;
  readonly currency: string;
  readonly before: number;
  readonly after: number;
  /** before − after, minor units (> 0). */
  readonly drop: number;
  /** Tenths of a percent of `before`, truncated. */
  readonly dropPermille: number;
  readonly changedAt: Date;
}

interface DropRow extends ProductRecord {
  before: number;
  after: number;
  point_currency: string;
  changed_at: Date;
}

function dropSql(order: 'percent' | 'amount', withMarketplace: boolean): string {
  const rank =
    order === 'percent' ? '(w.before - w.after)::numeric / w.before' : 'w.before - w.after';
  return `with pts as (
       select product_id, amount, currency, observed_at,
              first_value(previous_amount) over (partition by product_id order by observed_at) as before
         from price_points
        where observed_at > $1 and observed_at <= $2 and price_type = $3),
     w as (
       select distinct on (product_id) product_id, before, amount as after, currency,
              observed_at as changed_at
         from pts order by product_id, observed_at desc)
     select p.*, w.before, w.after, w.currency as point_currency, w.changed_at
       from (select * from w
              where w.after is not null and w.before is not null and w.after < w.before
                ${order === 'amount' ? 'and w.currency = $5' : ''}
              order by ${rank} desc, w.product_id) w
       cross join lateral (
         select * from products p
          where p.id = w.product_id and p.watcher_count > 0 and p.state <> 'gone'
            ${withMarketplace ? `and p.marketplace = $${order === 'amount' ? 6 : 5}` : ''}) p
      limit $4`;
}

function toDrop(r: DropRow, priceType: PriceType): Drop {
  const { before, after, point_currency, changed_at, ...product } = r;
  return {
    product,
    priceType,
    currency: point_currency,
    before,
    after,
    drop: before - after,
    dropPermille: dropPermille(before, after) ?? 0,
    changedAt: changed_at,
  };
}

/** The largest drops in the window, by percentage and by amount (in `currency`). */
export async function topDrops(
  db: Queryable,
  q: DealsQuery,
): Promise<{ byPercent: Drop[]; byAmount: Drop[] }> {
  const base: unknown[] = [q.since, q.now, q.priceType, q.limit];
  const withMarketplace = q.marketplace !== undefined;
  const market = withMarketplace ? [q.marketplace] : [];
  const [byPercent, byAmount] = await Promise.all([
    db.query<DropRow>(dropSql('percent', withMarketplace), [...base, ...market]),
    db.query<DropRow>(dropSql('amount', withMarketplace), [...base, q.currency, ...market]),
  ]);
  return {
    byPercent: byPercent.rows.map((r) => toDrop(r, q.priceType)),
    byAmount: byAmount.rows.map((r) => toDrop(r, q.priceType)),
  };
}

/** The most watched products (with a title: ones that were read at least once). */
export async function popularProducts(
  db: Queryable,
  opts: { limit: number; marketplace?: string | undefined },
): Promise<ProductRecord[]> {
  const params: unknown[] = [opts.limit];
  if (opts.marketplace !== undefined) params.push(opts.marketplace);
  const { rows } = await db.query<ProductRecord>(
    `select p.* from product_search s join products p on p.id = s.product_id
      where s.watchers > 0 and p.state <> 'gone'
        ${opts.marketplace !== undefined ? 'and s.marketplace = $2' : ''}
      order by s.watchers desc, s.product_id
      limit $1`,
    params,
  );
  return rows;
}
