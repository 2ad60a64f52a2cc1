/**
 * Applying observations: in a single transaction, update the products, append price points for
 * the price types that changed, evaluate the products' watches, and write notifications with their
 * deliveries (the outbox). A crash at any point leaves either all of it or none of it.
 *
 * A checker applies its whole claimed batch at once: the transaction runs a fixed number of
 * set-based statements (at most eight) however many products, price points, watches and alerts the
 * batch holds, and everything in between is computed here from the rows read. Applying a batch
 * writes exactly what applying its observations one at a time, in the same order, would write.
 */
import type { NotificationPrefs } from '../accounts/index.js';
import type { PoolClient } from '../db/pool.js';
import { notBefore } from '../notify/quiet-hours.js';
import { evaluate, type AlertPolicy, type Rule, type WatchState } from '../pricing/alerts.js';
import type { Observation, PriceType } from '../stores/types.js';

export interface ProductRow {
  readonly id: number;
  readonly store: string;
  readonly marketplace: string;
  readonly external_id: string;
  readonly url: string;
  readonly title: string | null;
  readonly currency: string | null;
  readonly price_buybox: number | null;
  readonly price_amazon: number | null;
  readonly price_new: number | null;
  readonly price_used: number | null;
  readonly availability: string;
  readonly state: string;
  readonly failure_count: number;
  readonly watcher_count: number;
  readonly lease_owner: string | null;
}

export interface ApplyPolicy extends AlertPolicy {
  readonly intervalWatchedMs: number;
  readonly intervalUnwatchedMs: number;
  /**
   * Stores whose prices run on their own clock, checked at their own interval whether watched or
   * not: the demo store moves prices every minute or so, and a newcomer should see them move.
   */
  readonly storeIntervalMs?: Readonly<Record<string, number>>;
}

export interface ApplyResult {
  readonly applied: boolean;
  readonly changed: readonly PriceType[];
  readonly notifications: number;
}

const COLUMN: Record<PriceType, 'price_buybox' | 'price_amazon' | 'price_new' | 'price_used'> = {
  buybox: 'price_buybox',
  amazon: 'price_amazon',
  new: 'price_new',
  used: 'price_used',
};

/**
 * The prices an observation states, per price type. A type the page does not speak about is
 * absent (left as it was), which differs from null (not available now).
 */
export function observedPrices(obs: Observation): Partial<Record<PriceType, number | null>> {
  const out: Partial<Record<PriceType, number | null>> = { buybox: obs.price?.minor ?? null };
  if (obs.soldByStore === true) out.amazon = obs.price?.minor ?? null;
  if (obs.offers.new) out.new = obs.offers.new.minor;
  if (obs.offers.used) out.used = obs.offers.used.minor;
  return out;
}

/** A check's next due time: the tier's interval with ±10% jitter so that checks spread out. */
export function nextCheckAt(now: Date, intervalMs: number, random: () => number): Date {
  const jitter = (random() * 0.2 - 0.1) * intervalMs;
  return new Date(now.getTime() + intervalMs + jitter);
}

/** After failures: exponential backoff from 1 minute, never longer than the normal interval. */
export function backoffAt(
  now: Date,
  failures: number,
  intervalMs: number,
  random: () => number,
): Date {
  const base = Math.min(intervalMs, 60_000 * 2 ** Math.min(failures, 16));
  return new Date(now.getTime() + base * (0.75 + random() * 0.5));
}

const dayFormats = new Map<string, Intl.DateTimeFormat | null>();

/** YYYY-MM-DD of `at` in `timeZone` (falls back to UTC for an unknown zone). */
export function dayIn(at: Date, timeZone: string): string {
  // Building a DateTimeFormat costs ~100x formatting with one: keep one per zone.
  let f = dayFormats.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone });
    } catch {
      f = null;
    }
    dayFormats.set(timeZone, f);
  }
  return f ? f.format(at) : at.toISOString().slice(0, 10);
}

interface WatchRow {
  id: number;
  product_id: number;
  user_id: number;
  price_type: PriceType;
  rule_type: Rule['type'];
  target_minor: number | null;
  drop_percent: number | null;
  baseline_minor: number | null;
  armed: boolean;
  last_seen_minor: number | null;
  last_notified_minor: number | null;
  /** YYYY-MM-DD (read as text: pg would make a Date of it, never equal to the day compared). */
  alerts_day: string | null;
  alerts_today: number;
  email: string;
  email_verified_at: Date | null;
  time_zone: string;
  notification_prefs: NotificationPrefs;
}

function ruleOf(w: WatchRow): Rule | null {
  switch (w.rule_type) {
    case 'below':
      return w.target_minor === null ? null : { type: 'below', targetMinor: w.target_minor };
    case 'drop_percent':
      return w.drop_percent === null || w.baseline_minor === null
        ? null
        : { type: 'drop_percent', percent: w.drop_percent, baselineMinor: w.baseline_minor };
    case 'any_drop':
      return { type: 'any_drop' };
    case 'back_in_stock':
      return { type: 'back_in_stock' };
  }
}

/** One observation of a claimed product, applied if `owner` still holds the product's lease. */
export interface ApplyItem {
  readonly productId: number;
  readonly owner: string;
  readonly obs: Observation;
}

const NOT_APPLIED: ApplyResult = { applied: false, changed: [], notifications: 0 };
const PRICE_TYPES = Object.keys(COLUMN) as PriceType[];

/**
 * The amount before a new price point, which the price_points insert trigger would otherwise look
 * up (the latest point of that type): the product's price of that type, where it is sure to be that
 * point's amount. A buy-box (or sold-by-the-store) price is only ever stored from an observation
 * that had a price, hence a currency, hence a point: so the product's price is the latest point's
 * amount. Offer prices (new, used) may have been stored while the product's currency was still
 * unknown, without a point; and a null price may mean no point at all. Null leaves those to the
 * trigger. (Rows written by something other than this file, such as a seeder setting prices
 * without history, are trusted the same way.)
 */
function knownPrevious(p: ProductRow, type: PriceType): number | null {
  return p.currency !== null && (type === 'buybox' || type === 'amazon') ? p[COLUMN[type]] : null;
}

/** A product whose observation was read (ok, same currency): its watches are evaluated. */
interface Read {
  readonly index: number;
  readonly p: ProductRow;
  readonly obs: Observation;
  readonly prices: Partial<Record<PriceType, number | null>>;
}

/** Column arrays for one `unnest(...)` each: one statement however many rows. */
function columns<K extends string>(...names: K[]): Record<K, unknown[]> {
  return Object.fromEntries(names.map((n) => [n, []])) as unknown as Record<K, unknown[]>;
}

/**
 * Scraped text as a text column can hold it: PostgreSQL refuses U+0000 (a page with `&#0;` in its
 * title would fail the whole batch's transaction, check after check), and no control character
 * belongs in a title or a URL shown to people. They become spaces, runs of them one.
 */
export function storableText(s: string | null): string | null {
  if (s === null) return null;
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const t = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return t === '' ? null : t;
}

/**
 * Applies each item's observation to its product if this worker still holds the product's lease;
 * returns one result per item, in order: applied=false when the lease was lost (another worker
 * took the product over after ours expired) or the product appears earlier in the same batch
 * (the first application releases the lease, as applying one at a time would).
 *
 * `random` is called once per applied item, in item order (the next check's jitter).
 */
export async function applyObservations(
  client: PoolClient,
  items: readonly ApplyItem[],
  now: Date,
  policy: ApplyPolicy,
  random: () => number,
): Promise<ApplyResult[]> {
  if (items.length === 0) return [];
  const ids = [...new Set(items.map((i) => i.productId))].sort((a, b) => a - b);
  // Locked in id order, as every batch does, so that two batches never wait on each other in a
  // circle.
  const { rows: products } = await client.query<ProductRow>(
    `select id, store, currency, price_buybox, price_amazon, price_new, price_used, availability,
            state, failure_count, watcher_count, lease_owner
       from products where id = any($1::bigint[]) order by id for update`,
    [ids],
  );
  const byId = new Map(products.map((p) => [p.id, p]));

  const results: ApplyResult[] = items.map(() => NOT_APPLIED);
  const taken = new Set<number>();
  const failed = columns('id', 'outcome', 'failures', 'state', 'next');
  const points = columns('product', 'type', 'amount', 'currency', 'previous');
  const read = columns(
    'id',
    ...PRICE_TYPES.flatMap((t) => [`set_${t}`, t] as const),
    'title',
    'image',
    'currency',
    'list',
    'availability',
    'changed',
    'next',
  );
  const reads: Read[] = [];

  for (const [index, { productId, owner, obs }] of items.entries()) {
    const p = byId.get(productId);
    if (!p || p.lease_owner !== owner || taken.has(p.id)) continue;
    taken.add(p.id);
    const interval =
      policy.storeIntervalMs?.[p.store] ??
      (p.watcher_count > 0 ? policy.intervalWatchedMs : policy.intervalUnwatchedMs);

    const currency = obs.price?.currency ?? obs.listPrice?.currency ?? null;
    const currencyClash = p.currency !== null && currency !== null && currency !== p.currency;
    if (obs.outcome !== 'ok' || currencyClash) {
      // Nothing about the product is learnt from a captcha, error or unreadable page: prices and
      // availability stay as they were, and no watch is evaluated.
      const failures = p.failure_count + 1;
      failed.id.push(p.id);
      failed.outcome.push(currencyClash ? 'currency_mismatch' : obs.outcome);
      failed.failures.push(failures);
      failed.state.push(
        (obs.outcome === 'captcha' || obs.outcome === 'blocked') && failures >= 3
          ? 'blocked'
          : obs.outcome === 'not_found' && failures >= 3
            ? 'gone'
            : p.state,
      );
      failed.next.push(backoffAt(now, failures, interval, random));
      results[index] = { applied: true, changed: [], notifications: 0 };
      continue;
    }

    const prices = observedPrices(obs);
    const productCurrency = p.currency ?? currency;
    const changed: PriceType[] = [];
    for (const type of PRICE_TYPES) {
      const stated = type in prices;
      const amount = prices[type] ?? null;
      read[`set_${type}`].push(stated);
      read[type].push(amount);
      if (stated && (p[COLUMN[type]] !== amount || p.state === 'gone')) changed.push(type);
    }
    if (productCurrency) {
      for (const type of changed) {
        points.product.push(p.id);
        points.type.push(type);
        points.amount.push(prices[type] ?? null);
        points.currency.push(productCurrency);
        points.previous.push(knownPrevious(p, type));
      }
    }
    read.id.push(p.id);
    read.title.push(storableText(obs.title));
    read.image.push(storableText(obs.imageUrl));
    read.currency.push(productCurrency);
    read.list.push(obs.listPrice?.minor ?? null);
    read.availability.push(obs.availability);
    read.changed.push(changed.length > 0 || obs.availability !== p.availability ? now : null);
    read.next.push(nextCheckAt(now, interval, random));
    results[index] = { applied: true, changed, notifications: 0 };
    reads.push({ index, p, obs, prices });
  }

  if (failed.id.length > 0) {
    await client.query(
      `update products p set last_outcome = v.outcome, last_checked_at = $1,
         failure_count = v.failures, state = v.state, next_check_at = v.next,
         lease_owner = null, lease_until = null
        from unnest($2::bigint[], $3::text[], $4::int[], $5::text[], $6::timestamptz[])
          as v(id, outcome, failures, state, next)
       where p.id = v.id`,
      [now, failed.id, failed.outcome, failed.failures, failed.state, failed.next],
    );
  }
  if (points.product.length > 0) {
    await client.query(
      `insert into price_points (product_id, price_type, observed_at, amount, currency,
                                 previous_amount)
       select v.product, v.type, $1, v.amount, v.currency, v.previous
         from unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bigint[])
           as v(product, type, amount, currency, previous)
       on conflict do nothing`,
      [now, points.product, points.type, points.amount, points.currency, points.previous],
    );
  }
  if (reads.length === 0) return results;
  // A price type the page did not state keeps its column (set_<type> false).
  await client.query(
    `update products p set
       price_buybox = case when v.set_buybox then v.buybox else p.price_buybox end,
       price_amazon = case when v.set_amazon then v.amazon else p.price_amazon end,
       price_new = case when v.set_new then v.new else p.price_new end,
       price_used = case when v.set_used then v.used else p.price_used end,
       title = coalesce(v.title, p.title), image_url = coalesce(v.image, p.image_url),
       currency = v.currency, list_price = v.list, availability = v.availability,
       last_changed_at = coalesce(v.changed, p.last_changed_at),
       last_outcome = 'ok', last_checked_at = $1, last_success_at = $1, failure_count = 0,
       state = 'active', next_check_at = v.next, lease_owner = null, lease_until = null
      from unnest($2::bigint[], $3::boolean[], $4::bigint[], $5::boolean[], $6::bigint[],
                  $7::boolean[], $8::bigint[], $9::boolean[], $10::bigint[], $11::text[],
                  $12::text[], $13::text[], $14::bigint[], $15::text[], $16::timestamptz[],
                  $17::timestamptz[])
        as v(id, set_buybox, buybox, set_amazon, amazon, set_new, new, set_used, used, title,
             image, currency, list, availability, changed, next)
     where p.id = v.id`,
    [
      now,
      read.id,
      ...PRICE_TYPES.flatMap((t) => [read[`set_${t}`], read[t]]),
      read.title,
      read.image,
      read.currency,
      read.list,
      read.availability,
      read.changed,
      read.next,
    ],
  );

  const counts = await evaluateWatches(client, reads, now, policy);
  for (const r of reads) {
    const n = counts.get(r.p.id) ?? 0;
    if (n > 0) results[r.index] = { ...(results[r.index] ?? NOT_APPLIED), notifications: n };
  }
  return results;
}

/**
 * Applies one observation (a batch of one). Returns applied=false when the lease was lost.
 */
export async function applyObservation(
  client: PoolClient,
  productId: number,
  owner: string,
  obs: Observation,
  now: Date,
  policy: ApplyPolicy,
  random: () => number,
): Promise<ApplyResult> {
  const [result] = await applyObservations(
    client,
    [{ productId, owner, obs }],
    now,
    policy,
    random,
  );
  return result ?? NOT_APPLIED;
}

/**
 * Evaluates the watches of the products read, in the order they were applied and each product's
 * watches by id; writes the watches whose state changed, the notifications and their deliveries.
 * Returns the notifications created per product.
 */
async function evaluateWatches(
  client: PoolClient,
  reads: readonly Read[],
  now: Date,
  policy: AlertPolicy,
): Promise<Map<number, number>> {
  // Each watch's owner by primary key (LATERAL ... LIMIT 1 keeps it a lookup per watch): a batch
  // has a few hundred watches, and a plain join may hash the whole users table when its
  // statistics make that look cheaper.
  const { rows } = await client.query<WatchRow>(
    `select w.id, w.product_id, w.user_id, w.price_type, w.rule_type, w.target_minor,
            w.drop_percent, w.baseline_minor, w.armed, w.last_seen_minor, w.last_notified_minor,
            w.alerts_day::text as alerts_day, w.alerts_today,
            u.email, u.email_verified_at, u.time_zone, u.notification_prefs
       from watches w
      cross join lateral (
        select email, email_verified_at, time_zone, notification_prefs
          from users where id = w.user_id limit 1) u
      where w.product_id = any($1::bigint[]) and not w.paused
      order by w.id for update of w`,
    [reads.map((r) => r.p.id)],
  );
  const watchesOf = new Map<number, WatchRow[]>();
  for (const w of rows) {
    const list = watchesOf.get(w.product_id);
    if (list) list.push(w);
    else watchesOf.set(w.product_id, [w]);
  }

  const updated = columns('id', 'armed', 'seen', 'notified', 'fired', 'day', 'today');
  const fired = columns(
    'user',
    'product',
    'watch',
    'kind',
    'type',
    'price',
    'previous',
    'currency',
  );
  // Deliveries of each fired watch: email to a confirmed address, and the user's other channels.
  const sends: Array<{ watch: number; user: number; email: string | null; at: Date }> = [];
  const counts = new Map<number, number>();

  for (const { p, obs, prices } of reads) {
    for (const w of watchesOf.get(p.id) ?? []) {
      if (!(w.price_type in prices)) continue; // this page says nothing about that price type
      const rule = ruleOf(w);
      if (!rule) continue;
      const state: WatchState = {
        armed: w.armed,
        lastSeenMinor: w.last_seen_minor,
        lastNotifiedMinor: w.last_notified_minor,
        alertsDay: w.alerts_day,
        alertsToday: w.alerts_today,
      };
      const priceMinor = prices[w.price_type] ?? null;
      const decision = evaluate(
        rule,
        state,
        {
          priceMinor,
          inStock: obs.availability === 'in_stock',
          trusted: obs.outcome === 'ok',
          day: dayIn(now, w.time_zone),
        },
        policy,
      );
      const s = decision.state;
      // A watch whose state is what it was is not written again: same row, one write less.
      if (
        decision.fire ||
        s.armed !== state.armed ||
        s.lastSeenMinor !== state.lastSeenMinor ||
        s.lastNotifiedMinor !== state.lastNotifiedMinor ||
        s.alertsDay !== state.alertsDay ||
        s.alertsToday !== state.alertsToday
      ) {
        updated.id.push(w.id);
        updated.armed.push(s.armed);
        updated.seen.push(s.lastSeenMinor);
        updated.notified.push(s.lastNotifiedMinor);
        updated.fired.push(decision.fire);
        updated.day.push(s.alertsDay);
        updated.today.push(s.alertsToday);
      }
      if (!decision.fire) continue;
      fired.user.push(w.user_id);
      fired.product.push(p.id);
      fired.watch.push(w.id);
      fired.kind.push(decision.kind);
      fired.type.push(w.price_type);
      fired.price.push(priceMinor);
      // The price before this observation, as the product knew it.
      fired.previous.push(p[COLUMN[w.price_type]] ?? decision.previousMinor);
      fired.currency.push(obs.price?.currency ?? p.currency);
      counts.set(p.id, (counts.get(p.id) ?? 0) + 1);
      // A user who chose the daily digest gets this alert in the inbox now and in the digest later.
      if (w.notification_prefs.digest?.enabled) continue;
      // The in-app notification always exists; every other channel waits for the end of the
      // user's quiet hours. Email goes only to a confirmed address, when the user wants email; the
      // other channels are those the user enabled (SMS to a verified number only, web push to each
      // subscribed device).
      sends.push({
        watch: w.id,
        user: w.user_id,
        email: w.email_verified_at && w.notification_prefs.channels.email.enabled ? w.email : null,
        at: notBefore(now, w.time_zone, w.notification_prefs.quietHours),
      });
    }
  }

  if (updated.id.length > 0) {
    await client.query(
      `update watches w set armed = v.armed, last_seen_minor = v.seen,
         last_notified_minor = v.notified,
         last_notified_at = case when v.fired then $1::timestamptz else w.last_notified_at end,
         alerts_day = v.day, alerts_today = v.today
        from unnest($2::bigint[], $3::boolean[], $4::bigint[], $5::bigint[], $6::boolean[],
                    $7::date[], $8::int[]) as v(id, armed, seen, notified, fired, day, today)
       where w.id = v.id`,
      [
        now,
        updated.id,
        updated.armed,
        updated.seen,
        updated.notified,
        updated.fired,
        updated.day,
        updated.today,
      ],
    );
  }
  if (fired.watch.length === 0) return counts;

  // Notifications in evaluation order, and in the same statement the email deliveries (a watch
  // fires at most once per batch, so the watch id names its notification).
  const emails = sends.filter((s) => s.email !== null);
  const { rows: created } = await client.query<{ id: number; watch_id: number }>(
    `with n as (
       insert into notifications (user_id, product_id, watch_id, kind, price_type, price_minor,
                                  previous_minor, currency, created_at)
       select v.user_id, v.product_id, v.watch_id, v.kind, v.price_type, v.price_minor,
              v.previous_minor, v.currency, $1
         from unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[],
                     $7::bigint[], $8::bigint[], $9::text[])
              with ordinality as v(user_id, product_id, watch_id, kind, price_type, price_minor,
                                   previous_minor, currency, ord)
        order by v.ord
       returning id, watch_id),
     e as (
       insert into deliveries (notification_id, channel, destination, next_attempt_at)
       select n.id, 'email', v.email, v.at
         from n join unnest($10::bigint[], $11::text[], $12::timestamptz[]) as v(watch_id, email, at)
           on v.watch_id = n.watch_id)
     select id, watch_id from n`,
    [
      now,
      fired.user,
      fired.product,
      fired.watch,
      fired.kind,
      fired.type,
      fired.price,
      fired.previous,
      fired.currency,
      emails.map((s) => s.watch),
      emails.map((s) => s.email),
      emails.map((s) => s.at),
    ],
  );
  if (sends.length > 0) {
    const idOf = new Map(created.map((n) => [n.watch_id, n.id]));
    // After the emails, in a statement of its own: a channel that clashes with a delivery already
    // there (the email) is left out, as `on conflict do nothing` sees only earlier statements.
    await client.query(
      `insert into deliveries (notification_id, channel, destination, next_attempt_at)
       select v.id, t.channel, t.destination, v.at
         from unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) as v(id, user_id, at)
         join channel_delivery_targets t on t.user_id = v.user_id
       on conflict (notification_id, channel) do nothing`,
      [sends.map((s) => idOf.get(s.watch)), sends.map((s) => s.user), sends.map((s) => s.at)],
    );
  }
  return counts;
}
