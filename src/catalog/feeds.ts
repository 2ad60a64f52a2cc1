/**
 * What the feeds show: a product's price changes (public), and a user's alerts behind a secret
 * per-user token. The token is random, one per user, replaced by rotating it; every query for a
 * user's alerts is keyed by the user the token resolves to.
 */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { PriceType } from '../stores/index.js';

/** 32 characters of base64url: 192 bits. */
export function newFeedToken(random: (bytes: number) => Buffer = randomBytes): string {
  return random(24).toString('base64url');
}

export const FEED_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** The user's feed token, created on first use. */
export async function feedToken(
  db: Queryable,
  userId: number,
  now: Date,
): Promise<{ token: string; createdAt: Date }> {
  await db.query(
    `insert into feed_tokens (user_id, token, created_at) values ($1, $2, $3)
     on conflict (user_id) do nothing`,
    [userId, newFeedToken(), now],
  );
  const { rows } = await db.query<{ token: string; created_at: Date }>(
    'select token, created_at from feed_tokens where user_id = $1',
    [userId],
  );
  const row = rows[0];
  if (!row) throw new Error('feed token vanished');
  return { token: row.token, createdAt: row.created_at };
}

/** A new token for the user; the old feed URL stops working at once. */
export async function rotateFeedToken(
  db: Queryable,
  userId: number,
  now: Date,
): Promise<{ token: string; createdAt: Date }> {
  const token = newFeedToken();
  await db.query(
    `insert into feed_tokens (user_id, token, created_at) values ($1, $2, $3)
     on conflict (user_id) do update set token = excluded.token, created_at = excluded.created_at`,
    [userId, token, now],
  );
  return { token, createdAt: now };
}

export async function userForFeedToken(db: Queryable, token: string): Promise<number | undefined> {
  if (!FEED_TOKEN_PATTERN.test(token)) return undefined;
  const { rows } = await db.query<{ user_id: number }>(
    'select user_id from feed_tokens where token = $1',
    [token],
  );
  return rows[0]?.user_id;
}

export interface PriceChange {
  readonly priceType: PriceType;
  readonly at: Date;
  readonly amount: number | null;
  /** The amount before this change (null: none, or not available then). */
  readonly previous: number | null;
  /** Whether this is the series' first point (tracking started). */
  readonly first: boolean;
  readonly currency: string;
}

/** The product's latest price changes, newest first. */
export async function recentChanges(
  db: Queryable,
  productId: number,
  limit: number,
): Promise<PriceChange[]> {
  const { rows } = await db.query<{
    price_type: PriceType;
    observed_at: Date;
    amount: number | null;
    previous: number | null;
    first: boolean;
    currency: string;
  }>(
    // `previous` is read over the whole series (lag), then the newest `limit` are kept.
    `select price_type, observed_at, amount, previous, first, currency from (
       select price_type, observed_at, amount, currency,
              lag(amount) over w as previous, lag(observed_at) over w is null as first
         from price_points where product_id = $1
       window w as (partition by price_type order by observed_at)) x
      order by observed_at desc, price_type
      limit $2`,
    [productId, limit],
  );
  return rows.map((r) => ({
    priceType: r.price_type,
    at: r.observed_at,
    amount: r.amount,
    previous: r.previous,
    first: r.first,
    currency: r.currency,
  }));
}

export interface AlertEntry {
  readonly id: number;
  readonly kind: 'price_drop' | 'back_in_stock';
  readonly productId: number;
  readonly title: string | null;
  readonly url: string;
  readonly priceType: string;
  readonly price: number | null;
  readonly previous: number | null;
  readonly currency: string | null;
  readonly createdAt: Date;
}

/** The user's latest alerts, newest first. */
export async function userAlerts(
  db: Queryable,
  userId: number,
  limit: number,
): Promise<AlertEntry[]> {
  const { rows } = await db.query<{
    id: number;
    kind: 'price_drop' | 'back_in_stock';
    product_id: number;
    title: string | null;
    url: string;
    price_type: string;
    price_minor: number | null;
    previous_minor: number | null;
    currency: string | null;
    created_at: Date;
  }>(
    `select n.id, n.kind, n.product_id, p.title, p.url, n.price_type, n.price_minor,
            n.previous_minor, n.currency, n.created_at
       from notifications n join products p on p.id = n.product_id
      where n.user_id = $1
      order by n.created_at desc, n.id desc
      limit $2`,
    [userId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    productId: r.product_id,
    title: r.title,
    url: r.url,
    priceType: r.price_type,
    price: r.price_minor,
    previous: r.previous_minor,
    currency: r.currency,
    createdAt: r.created_at,
  }));
}
