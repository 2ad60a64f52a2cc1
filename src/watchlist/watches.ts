/**
 * Watches: a person's rule on a product's price type. Every query names the owner
 * (`where user_id = $me`), so one user can never read or change another's watch: someone else's
 * watch is "no such watch", exactly like one that does not exist.
 *
 * Locks are taken product first, then watch: the order of the check that stores a price and
 * evaluates the product's watches (acquisition/apply.ts), so an edit or a delete never deadlocks
 * with a check of the same product.
 */
import { productColumns, productFromRow, type ProductRecord } from '../catalog/products.js';
import {
  prepared,
  withTransaction,
  type Pool,
  type PoolClient,
  type Queryable,
} from '../db/pool.js';
import { AppError } from '../errors.js';
import { decimalToMinor } from '../money/index.js';
import type { PriceType } from '../stores/types.js';
import {
  PRICE_COLUMN,
  alertRule,
  sameCondition,
  startState,
  type CurrentReading,
  type RuleInput,
  type RuleType,
  type StoredRule,
  type WatchStatus,
} from './rules.js';

export interface WatchRecord extends StoredRule {
  readonly id: number;
  readonly user_id: number;
  readonly product_id: number;
  readonly price_type: PriceType;
  readonly currency: string | null;
  readonly armed: boolean;
  readonly paused: boolean;
  readonly last_seen_minor: number | null;
  readonly last_notified_minor: number | null;
  readonly last_notified_at: Date | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

/** WatchRecord's columns of `watches w`, for the list, which builds its records field by field. */
const WATCH_COLUMNS = `w.id, w.user_id, w.product_id, w.price_type, w.currency, w.armed, w.paused,
  w.last_seen_minor, w.last_notified_minor, w.last_notified_at, w.created_at, w.updated_at,
  w.rule_type, w.target_minor, w.drop_percent, w.baseline_minor`;

/** A watch with its product and its status, as lists, exports and answers show it. */
export interface WatchView {
  readonly watch: WatchRecord;
  readonly product: ProductRecord;
  readonly status: WatchStatus;
}

/** The product's current reading of one price type. */
export function currentReading(product: ProductRecord, priceType: PriceType): CurrentReading {
  return {
    priceMinor: product[PRICE_COLUMN[priceType]],
    inStock: product.availability === 'in_stock',
  };
}

/**
 * The status in SQL (watch `w`, product `p`), so that lists filter and sort on it. A paused
 * watch says so whatever its product does; a product we cannot read says so before any rule state.
 */
const STATUS_SQL = `(case when w.paused then 'paused'
  when p.state in ('blocked', 'gone') then 'blocked'
  when p.state = 'stale' then 'stale'
  when w.armed then 'armed' else 'fired' end)`;

/** Sort order of statuses: what needs attention first. */
const STATUS_RANK_SQL = `(case ${STATUS_SQL} when 'fired' then 0 when 'armed' then 1
  when 'stale' then 2 when 'blocked' then 3 else 4 end)`;

const CURRENT_PRICE_SQL = `(case w.price_type when 'buybox' then p.price_buybox
  when 'amazon' then p.price_amazon when 'new' then p.price_new else p.price_used end)`;

interface RuleColumns {
  readonly target_minor: number | null;
  readonly drop_percent: number | null;
  readonly baseline_minor: number | null;
}

/**
 * The rule columns for `rule` on a product whose current price of the watch's type is `current`.
 * `keepBaseline` is the baseline to keep when the percent and price type have not changed.
 */
function ruleColumns(
  rule: RuleInput,
  currency: string,
  current: number | null,
  keepBaseline: number | null,
): RuleColumns {
  switch (rule.type) {
    case 'below': {
      const target = decimalToMinor(rule.price, currency);
      if (target === null || target <= 0) {
        throw new AppError(
          'invalid_price',
          `"${rule.price}" is not a valid ${currency} amount`,
          400,
        );
      }
      return { target_minor: target, drop_percent: null, baseline_minor: null };
    }
    case 'drop_percent': {
      const baseline = keepBaseline ?? current;
      if (baseline === null) {
        throw new AppError(
          'price_unknown',
          'no current price of this price type to measure a drop from',
          409,
        );
      }
      return { target_minor: null, drop_percent: rule.percent, baseline_minor: baseline };
    }
    default:
      return { target_minor: null, drop_percent: null, baseline_minor: null };
  }
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string }).code === '23505';
}

const watchExists = (cause: unknown) =>
  new AppError(
    'watch_exists',
    'you already watch this product with this rule and price type',
    409,
    {
      cause,
    },
  );

async function lockProduct(tx: PoolClient, productId: number): Promise<ProductRecord | undefined> {
  const { rows } = await tx.query<ProductRecord>(
    'select * from products where id = $1 for update',
    [productId],
  );
  return rows[0];
}

export async function createWatch(
  pool: Pool,
  userId: number,
  input: { productId: number; priceType: PriceType; rule: RuleInput },
  now: Date,
  intervalWatchedMs: number,
): Promise<WatchRecord> {
  return withTransaction(pool, async (tx) => {
    const product = await lockProduct(tx, input.productId);
    if (!product) throw new AppError('product_not_found', 'no such product', 404);
    if (!product.currency) {
      throw new AppError(
        'price_unknown',
        'the price of this product has not been read yet; try again after its first check',
        409,
      );
    }
    const reading = currentReading(product, input.priceType);
    const cols = ruleColumns(input.rule, product.currency, reading.priceMinor, null);
    const rule = alertRule({ rule_type: input.rule.type, ...cols });
    if (!rule) throw new Error('rule columns incomplete');
    const start = startState('create', rule, reading);
    let watch: WatchRecord | undefined;
    try {
      const res = await tx.query<WatchRecord>(
        `insert into watches (user_id, product_id, price_type, rule_type, target_minor, drop_percent,
           baseline_minor, currency, armed, last_seen_minor, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) returning *`,
        [
          userId,
          input.productId,
          input.priceType,
          input.rule.type,
          cols.target_minor,
          cols.drop_percent,
          cols.baseline_minor,
          product.currency,
          start.armed,
          start.lastSeenMinor,
          now,
        ],
      );
      watch = res.rows[0];
    } catch (err) {
      if (isUniqueViolation(err)) throw watchExists(err);
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

export interface WatchPatch {
  readonly rule?: RuleInput | undefined;
  readonly priceType?: PriceType | undefined;
  readonly paused?: boolean | undefined;
}

/**
 * Edits a watch: its rule or target, its price type, paused or not. How the watch restarts is
 * described in rules.ts: an edited condition starts over armed, a resume never alerts for the
 * current price, and the drop_percent baseline moves only with the percent or the price type.
 */
export async function updateWatch(
  pool: Pool,
  userId: number,
  watchId: number,
  patch: WatchPatch,
  now: Date,
): Promise<WatchRecord> {
  return withTransaction(pool, async (tx) => {
    const owned = await tx.query<{ product_id: number }>(
      'select product_id from watches where id = $1 and user_id = $2',
      [watchId, userId],
    );
    const productId = owned.rows[0]?.product_id;
    if (productId === undefined) throw new AppError('watch_not_found', 'no such watch', 404);
    const product = await lockProduct(tx, productId);
    const locked = await tx.query<WatchRecord>(
      'select * from watches where id = $1 and user_id = $2 for update',
      [watchId, userId],
    );
    const w = locked.rows[0];
    if (!w || !product) throw new AppError('watch_not_found', 'no such watch', 404);

    const priceType = patch.priceType ?? w.price_type;
    const currency = w.currency ?? product.currency;
    const reading = currentReading(product, priceType);
    let cols: RuleColumns = {
      target_minor: w.target_minor,
      drop_percent: w.drop_percent,
      baseline_minor: w.baseline_minor,
    };
    let ruleType: RuleType = w.rule_type;
    if (
      patch.rule !== undefined ||
      (priceType !== w.price_type && w.rule_type === 'drop_percent')
    ) {
      if (!currency) throw new AppError('price_unknown', 'the price is not known yet', 409);
      // A new price type on a drop_percent watch measures from that type's current price.
      const input: RuleInput = patch.rule ?? { type: 'drop_percent', percent: w.drop_percent ?? 0 };
      const samePercent =
        input.type === 'drop_percent' &&
        w.rule_type === 'drop_percent' &&
        w.drop_percent === input.percent &&
        priceType === w.price_type;
      cols = ruleColumns(
        input,
        currency,
        reading.priceMinor,
        samePercent ? w.baseline_minor : null,
      );
      ruleType = input.type;
    }
    const next = { ...cols, price_type: priceType, rule_type: ruleType };
    const rule = alertRule(next);
    if (!rule) throw new Error('rule columns incomplete');
    const paused = patch.paused ?? w.paused;

    let armed = w.armed;
    let lastSeen = w.last_seen_minor;
    if (!sameCondition(w, next)) {
      ({ armed, lastSeenMinor: lastSeen } = startState('edit', rule, reading));
    } else if (w.paused && !paused) {
      ({ armed, lastSeenMinor: lastSeen } = startState('resume', rule, reading));
    }

    try {
      const { rows } = await tx.query<WatchRecord>(
        `update watches set price_type = $3, rule_type = $4, target_minor = $5, drop_percent = $6,
           baseline_minor = $7, paused = $8, armed = $9, last_seen_minor = $10, updated_at = $11
         where id = $1 and user_id = $2 returning *`,
        [
          watchId,
          userId,
          priceType,
          ruleType,
          cols.target_minor,
          cols.drop_percent,
          cols.baseline_minor,
          paused,
          armed,
          lastSeen,
          now,
        ],
      );
      const updated = rows[0];
      if (!updated) throw new AppError('watch_not_found', 'no such watch', 404);
      return updated;
    } catch (err) {
      if (isUniqueViolation(err)) throw watchExists(err);
      throw err;
    }
  });
}

export async function deleteWatch(
  pool: Pool,
  userId: number,
  watchId: number,
  now: Date,
): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const owned = await tx.query<{ product_id: number }>(
      'select product_id from watches where id = $1 and user_id = $2',
      [watchId, userId],
    );
    const productId = owned.rows[0]?.product_id;
    if (productId === undefined) throw new AppError('watch_not_found', 'no such watch', 404);
    await lockProduct(tx, productId);
    const { rowCount } = await tx.query('delete from watches where id = $1 and user_id = $2', [
      watchId,
      userId,
    ]);
    if (!rowCount) throw new AppError('watch_not_found', 'no such watch', 404);
    await tx.query(
      `update products set watcher_count = greatest(watcher_count - 1, 0), last_watched_at = $2
        where id = $1`,
      [productId, now],
    );
  });
}

/** The id of the caller's watch with this product, price type and rule type, if there is one. */
export async function findWatchId(
  db: Queryable,
  userId: number,
  key: { productId: number; priceType: PriceType; ruleType: RuleType },
): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    `select id from watches
      where user_id = $1 and product_id = $2 and price_type = $3 and rule_type = $4`,
    [userId, key.productId, key.priceType, key.ruleType],
  );
  return rows[0]?.id;
}

export const WATCH_SORTS = ['created', 'title', 'status', 'price', 'lastAlert'] as const;
export type WatchSort = (typeof WATCH_SORTS)[number];

export interface ListOptions {
  /** Only watches in one of these statuses. */
  readonly status?: readonly WatchStatus[] | undefined;
  /** Part of the product title, compared without case and accents. */
  readonly q?: string | undefined;
  readonly sort?: WatchSort | undefined;
  /** Default: newest first for `created` and `lastAlert`, otherwise ascending. */
  readonly order?: 'asc' | 'desc' | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

function orderBy(sort: WatchSort, order: 'asc' | 'desc' | undefined): string {
  const desc = order ? order === 'desc' : sort === 'created' || sort === 'lastAlert';
  const dir = desc ? 'desc' : 'asc';
  switch (sort) {
    case 'created':
      return `w.created_at ${dir}, w.id ${dir}`;
    case 'title':
      return `lower(p.title) ${dir} nulls last, w.id desc`;
    case 'status':
      return `${STATUS_RANK_SQL} ${dir}, w.created_at desc, w.id desc`;
    case 'price':
      return `${CURRENT_PRICE_SQL} ${dir} nulls last, w.id desc`;
    case 'lastAlert':
      return `w.last_notified_at ${dir} nulls last, w.id desc`;
  }
}

/** Lower case without accents: "Kaffeemühle" and "KAFFEEMUHLE" are one search. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The caller's watches whose product title contains `q`, compared folded. Done here rather than
 * with ILIKE because the database may run in the C locale, where case folding stops at ASCII; a
 * watchlist is small (its titles are one index range scan away).
 */
async function idsWithTitle(db: Queryable, userId: number, q: string): Promise<number[]> {
  const { rows } = await db.query<{ id: number; title: string }>(
    `select w.id, p.title from watches w join products p on p.id = w.product_id
      where w.user_id = $1 and p.title is not null`,
    [userId],
  );
  const needle = fold(q);
  return rows.filter((r) => fold(r.title).includes(needle)).map((r) => r.id);
}

/** The caller's watches with their products and statuses, filtered, sorted and paged. */
export async function listWatches(
  db: Queryable,
  userId: number,
  opts: ListOptions = {},
): Promise<{ views: WatchView[]; total: number }> {
  const values: unknown[] = [userId];
  const where = ['w.user_id = $1'];
  if (opts.status && opts.status.length > 0) {
    values.push([...opts.status]);
    where.push(`${STATUS_SQL} = any($${values.length}::text[])`);
  }
  const q = opts.q?.trim();
  if (q) {
    values.push(await idsWithTitle(db, userId, q));
    where.push(`w.id = any($${values.length}::bigint[])`);
  }
  values.push(opts.limit ?? 1000, opts.offset ?? 0);
  // Each watch with its product in one round trip: the watchlist is read on every visit.
  const { rows } = await db.query<
    WatchRecord & Parameters<typeof productFromRow>[0] & { status: WatchStatus; total: number }
  >(
    prepared(
      `select ${WATCH_COLUMNS}, ${STATUS_SQL} as status, count(*) over ()::int as total,
              ${productColumns('p')}
         from watches w join products p on p.id = w.product_id
        where ${where.join(' and ')}
        order by ${orderBy(opts.sort ?? 'created', opts.order)}
        limit $${values.length - 1} offset $${values.length}`,
      values,
    ),
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && (opts.offset ?? 0) > 0) {
    // Past the last page: the total still says how many there are.
    const count = await db.query<{ n: number }>(
      `select count(*)::int as n from watches w join products p on p.id = w.product_id
        where ${where.join(' and ')}`,
      values.slice(0, -2),
    );
    total = count.rows[0]?.n ?? 0;
  }
  const views = rows.map((r) => ({
    watch: {
      id: r.id,
      user_id: r.user_id,
      product_id: r.product_id,
      price_type: r.price_type,
      currency: r.currency,
      armed: r.armed,
      paused: r.paused,
      last_seen_minor: r.last_seen_minor,
      last_notified_minor: r.last_notified_minor,
      last_notified_at: r.last_notified_at,
      created_at: r.created_at,
      updated_at: r.updated_at,
      rule_type: r.rule_type,
      target_minor: r.target_minor,
      drop_percent: r.drop_percent,
      baseline_minor: r.baseline_minor,
    } satisfies WatchRecord,
    product: productFromRow(r),
    status: r.status,
  }));
  return { views, total };
}

/** One of the caller's watches with its product and status. */
export async function getWatch(
  db: Queryable,
  userId: number,
  watchId: number,
): Promise<WatchView | undefined> {
  const { rows } = await db.query<WatchRecord & { status: WatchStatus }>(
    `select w.*, ${STATUS_SQL} as status
       from watches w join products p on p.id = w.product_id
      where w.id = $1 and w.user_id = $2`,
    [watchId, userId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { status, ...watch } = row;
  const product = (await productsById(db, [watch.product_id])).get(watch.product_id);
  return product ? { watch, product, status } : undefined;
}

async function productsById(
  db: Queryable,
  ids: readonly number[],
): Promise<Map<number, ProductRecord>> {
  const map = new Map<number, ProductRecord>();
  if (ids.length === 0) return map;
  const { rows } = await db.query<ProductRecord>(
    prepared('select * from products where id = any($1::bigint[])', [[...new Set(ids)]]),
  );
  for (const p of rows) map.set(p.id, p);
  return map;
}
