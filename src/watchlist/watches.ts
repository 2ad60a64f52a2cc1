/**
 * Watches: a person's rule on a product's price type. Every query names the owner, so one user
 * can never read or change another's watch.
 */
import { withTransaction, type Pool, type Queryable } from '../db/pool.js';
import { AppError } from '../errors.js';
import { decimalToMinor } from '../money/index.js';
import type { PriceType } from '../stores/types.js';

export type RuleInput =
  | { readonly type: 'below'; readonly price: string }
  | { readonly type: 'drop_percent'; readonly percent: number }
  | { readonly type: 'any_drop' }
  | { readonly type: 'back_in_stock' };

export interface WatchRecord {
  readonly id: number;
  readonly user_id: number;
  readonly product_id: number;
  readonly price_type: PriceType;
  readonly rule_type: RuleInput['type'];
  readonly target_minor: number | null;
  readonly drop_percent: number | null;
  readonly baseline_minor: number | null;
  readonly currency: string | null;
  readonly armed: boolean;
  readonly paused: boolean;
  readonly last_notified_minor: number | null;
  readonly last_notified_at: Date | null;
  readonly created_at: Date;
}

const COLUMN: Record<PriceType, string> = {
  buybox: 'price_buybox',
  amazon: 'price_amazon',
  new: 'price_new',
  used: 'price_used',
};

export async function createWatch(
  pool: Pool,
  userId: number,
  input: { productId: number; priceType: PriceType; rule: RuleInput },
  now: Date,
  intervalWatchedMs: number,
): Promise<WatchRecord> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ currency: string | null; current: number | null }>(
      `select currency, ${COLUMN[input.priceType]} as current from products where id = $1 for update`,
      [input.productId],
    );
    const product = rows[0];
    if (!product) throw new AppError('product_not_found', 'no such product', 404);
    if (!product.currency) {
      throw new AppError(
        'price_unknown',
        'the price of this product has not been read yet; try again after its first check',
        409,
      );
    }
    let target: number | null = null;
    let percent: number | null = null;
    let baseline: number | null = null;
    if (input.rule.type === 'below') {
      target = decimalToMinor(input.rule.price, product.currency);
      if (target === null || target <= 0) {
        throw new AppError(
          'invalid_price',
          `"${input.rule.price}" is not a valid ${product.currency} amount`,
          400,
        );
      }
    } else if (input.rule.type === 'drop_percent') {
      if (product.current === null) {
        throw new AppError('price_unknown', 'no current price to measure a drop from', 409);
      }
      percent = input.rule.percent;
      baseline = product.current;
    }
    let watch: WatchRecord | undefined;
    try {
      const res = await tx.query<WatchRecord>(
        `insert into watches (user_id, product_id, price_type, rule_type, target_minor, drop_percent,
           baseline_minor, currency, last_seen_minor, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) returning *`,
        [
          userId,
          input.productId,
          input.priceType,
          input.rule.type,
          target,
          percent,
          baseline,
          product.currency,
          product.current,
          now,
        ],
      );
      watch = res.rows[0];
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new AppError('watch_exists', 'you already watch this product with this rule', 409);
      }
      throw err;
    }
    // A watched product is checked on the watched tier from now on.
    await tx.query(
      `update products set watcher_count = watcher_count + 1, last_watched_at = $2,
         state = case when state = 'gone' then 'active' else state end,
         next_check_at = least(next_check_at, $3)
       where id = $1`,
      [input.productId, now, new Date(now.getTime() + intervalWatchedMs)],
    );
    if (!watch) throw new Error('insert returned no row');
    return watch;
  });
}

export async function listWatches(db: Queryable, userId: number): Promise<WatchRecord[]> {
  const { rows } = await db.query<WatchRecord>(
    'select * from watches where user_id = $1 order by created_at desc, id desc',
    [userId],
  );
  return rows;
}

export async function deleteWatch(
  pool: Pool,
  userId: number,
  watchId: number,
  now: Date,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ product_id: number }>(
      'delete from watches where id = $1 and user_id = $2 returning product_id',
      [watchId, userId],
    );
    const row = rows[0];
    if (!row) throw new AppError('watch_not_found', 'no such watch', 404);
    await tx.query(
      `update products set watcher_count = greatest(watcher_count - 1, 0), last_watched_at = $2
        where id = $1`,
      [row.product_id, now],
    );
  });
}
