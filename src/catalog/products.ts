/**
 * Products are shared: found or created by (marketplace, external id), fetched once per check
 * however many people watch them.
 */
import type { Queryable } from '../db/pool.js';
import type { ProductIdentity } from '../stores/index.js';
import type { PriceType } from '../stores/types.js';

export interface ProductRecord {
  readonly id: number;
  readonly store: string;
  readonly marketplace: string;
  readonly external_id: string;
  readonly url: string;
  readonly title: string | null;
  readonly image_url: string | null;
  readonly currency: string | null;
  readonly price_buybox: number | null;
  readonly price_amazon: number | null;
  readonly price_new: number | null;
  readonly price_used: number | null;
  readonly list_price: number | null;
  readonly availability: string;
  readonly state: string;
  readonly last_outcome: string | null;
  readonly last_checked_at: Date | null;
  readonly last_success_at: Date | null;
  readonly last_changed_at: Date | null;
  readonly next_check_at: Date;
  readonly watcher_count: number;
  readonly created_at: Date;
}

export async function findOrCreateProduct(
  db: Queryable,
  id: ProductIdentity,
  now: Date,
): Promise<{ product: ProductRecord; created: boolean }> {
  // `xmax = 0` tells a fresh insert from the conflict branch's no-op update.
  const { rows } = await db.query<ProductRecord & { inserted: boolean }>(
    `insert into products (store, marketplace, external_id, url, currency, next_check_at, created_at)
     values ($1, $2, $3, $4, $5, $6, $6)
     on conflict (marketplace, external_id) do update set store = excluded.store
     returning *, (xmax = 0) as inserted`,
    [id.store, id.marketplace, id.externalId, id.url, id.currency ?? null, now],
  );
  const row = rows[0];
  if (!row) throw new Error('upsert returned no row');
  const { inserted, ...product } = row;
  return { product, created: inserted };
}

export async function getProduct(db: Queryable, id: number): Promise<ProductRecord | undefined> {
  const { rows } = await db.query<ProductRecord>('select * from products where id = $1', [id]);
  return rows[0];
}

export interface PricePoint {
  readonly priceType: PriceType;
  readonly at: Date;
  readonly amount: number | null;
  readonly currency: string;
}

export async function priceHistory(
  db: Queryable,
  productId: number,
  opts: { since?: Date; limit?: number } = {},
): Promise<PricePoint[]> {
  const { rows } = await db.query<{
    price_type: PriceType;
    observed_at: Date;
    amount: number | null;
    currency: string;
  }>(
    `select price_type, observed_at, amount, currency from (
       select * from price_points where product_id = $1 and observed_at >= $2
        order by observed_at desc limit $3) recent
      order by observed_at`,
    [productId, opts.since ?? new Date(0), opts.limit ?? 5000],
  );
  return rows.map((r) => ({
    priceType: r.price_type,
    at: r.observed_at,
    amount: r.amount,
    currency: r.currency,
  }));
}

/** Asks for a check now, at most once a minute per product (the rest of the time: 429). */
export async function requestCheck(db: Queryable, productId: number, now: Date): Promise<boolean> {
  const res = await db.query(
    `update products set next_check_at = $2, manual_check_at = $2,
       state = case when state = 'gone' then 'active' else state end
      where id = $1 and (manual_check_at is null or manual_check_at < $3)`,
    [productId, now, new Date(now.getTime() - 60_000)],
  );
  return (res.rowCount ?? 0) > 0;
}
