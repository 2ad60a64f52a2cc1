/**
 * Products are shared: found or created by (marketplace, external id), fetched once per check
 * however many people watch them.
 */
import { prepared, type Queryable } from '../db/pool.js';
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

const PRODUCT_FIELDS = [
  'id',
  'store',
  'marketplace',
  'external_id',
  'url',
  'title',
  'image_url',
  'currency',
  'price_buybox',
  'price_amazon',
  'price_new',
  'price_used',
  'list_price',
  'availability',
  'state',
  'last_outcome',
  'last_checked_at',
  'last_success_at',
  'last_changed_at',
  'next_check_at',
  'watcher_count',
  'created_at',
] as const satisfies ReadonlyArray<keyof ProductRecord>;

/**
 * A ProductRecord's columns of `products <alias>`, each named `product__<column>`, for a query
 * that reads a product beside the row it belongs to (a watch and its product in one round trip);
 * `productFromRow` takes them back out.
 */
export function productColumns(alias: string): string {
  return PRODUCT_FIELDS.map((f) => `${alias}.${f} as product__${f}`).join(', ');
}

type PrefixedProduct = { readonly [K in keyof ProductRecord as `product__${K}`]: ProductRecord[K] };

/** The product that `productColumns` selected into `row` (a literal: one shape for V8). */
export function productFromRow(r: PrefixedProduct): ProductRecord {
  return {
    id: r.product__id,
    store: r.product__store,
    marketplace: r.product__marketplace,
    external_id: r.product__external_id,
    url: r.product__url,
    title: r.product__title,
    image_url: r.product__image_url,
    currency: r.product__currency,
    price_buybox: r.product__price_buybox,
    price_amazon: r.product__price_amazon,
    price_new: r.product__price_new,
    price_used: r.product__price_used,
    list_price: r.product__list_price,
    availability: r.product__availability,
    state: r.product__state,
    last_outcome: r.product__last_outcome,
    last_checked_at: r.product__last_checked_at,
    last_success_at: r.product__last_success_at,
    last_changed_at: r.product__last_changed_at,
    next_check_at: r.product__next_check_at,
    watcher_count: r.product__watcher_count,
    created_at: r.product__created_at,
  } satisfies Record<(typeof PRODUCT_FIELDS)[number], unknown>;
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
  const { rows } = await db.query<ProductRecord>(
    prepared('select * from products where id = $1', [id]),
  );
  return rows[0];
}

/**
 * A product and whether `viewerId` watches it, in one round trip (the product page's read, on
 * every view). No viewer: `watching` is false.
 */
export async function getProductForViewer(
  db: Queryable,
  id: number,
  viewerId: number | null,
): Promise<{ product: ProductRecord; watching: boolean } | undefined> {
  const { rows } = await db.query<ProductRecord & { viewer_watches: boolean }>(
    prepared(
      `select p.*, exists (select 1 from watches w where w.user_id = $2 and w.product_id = p.id)
              as viewer_watches
         from products p where p.id = $1`,
      [id, viewerId],
    ),
  );
  const row = rows[0];
  if (!row) return undefined;
  const { viewer_watches: watching, ...product } = row;
  return { product, watching };
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
    prepared(
      `select price_type, observed_at, amount, currency from (
         select * from price_points where product_id = $1 and observed_at >= $2
          order by observed_at desc limit $3) recent
        order by observed_at`,
      [productId, opts.since ?? new Date(0), opts.limit ?? 5000],
    ),
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
