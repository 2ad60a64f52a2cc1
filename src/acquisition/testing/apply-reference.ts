/**
 * The single-observation apply as it was before the batch version (commit 66333d9): about ten
 * statements per observation, previous_amount left to the price_points trigger. Kept only as the
 * oracle of the property test that the set-based applyObservations writes exactly the same rows.
 */
import type { NotificationPrefs } from '../../accounts/index.js';
import type { PoolClient } from '../../db/pool.js';
import { notBefore } from '../../notify/quiet-hours.js';
import { evaluate, type AlertPolicy, type Rule, type WatchState } from '../../pricing/alerts.js';
import type { Observation, PriceType } from '../../stores/types.js';
import {
  backoffAt,
  dayIn,
  nextCheckAt,
  observedPrices,
  type ApplyPolicy,
  type ApplyResult,
  type ProductRow,
} from '../apply.js';

const COLUMN: Record<PriceType, 'price_buybox' | 'price_amazon' | 'price_new' | 'price_used'> = {
  buybox: 'price_buybox',
  amazon: 'price_amazon',
  new: 'price_new',
  used: 'price_used',
};

interface WatchRow {
  id: number;
  user_id: number;
  price_type: PriceType;
  rule_type: Rule['type'];
  target_minor: number | null;
  drop_percent: number | null;
  baseline_minor: number | null;
  armed: boolean;
  last_seen_minor: number | null;
  last_notified_minor: number | null;
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

/**
 * Applies `obs` to the product if this worker still holds its lease (`owner`). Returns
 * applied=false when the lease was lost (another worker took the product over after ours expired).
 */
export async function applyObservationReference(
  client: PoolClient,
  productId: number,
  owner: string,
  obs: Observation,
  now: Date,
  policy: ApplyPolicy,
  random: () => number,
): Promise<ApplyResult> {
  const { rows } = await client.query<ProductRow>(
    'select * from products where id = $1 for update',
    [productId],
  );
  const p = rows[0];
  if (!p || p.lease_owner !== owner) return { applied: false, changed: [], notifications: 0 };
  const interval =
    policy.storeIntervalMs?.[p.store] ??
    (p.watcher_count > 0 ? policy.intervalWatchedMs : policy.intervalUnwatchedMs);

  const currency = obs.price?.currency ?? obs.listPrice?.currency ?? null;
  const currencyClash = p.currency !== null && currency !== null && currency !== p.currency;
  if (obs.outcome !== 'ok' || currencyClash) {
    // Nothing about the product is learnt from a captcha, error or unreadable page: prices and
    // availability stay as they were, and no watch is evaluated.
    const outcome = currencyClash ? 'currency_mismatch' : obs.outcome;
    const failures = p.failure_count + 1;
    const state =
      (obs.outcome === 'captcha' || obs.outcome === 'blocked') && failures >= 3
        ? 'blocked'
        : obs.outcome === 'not_found' && failures >= 3
          ? 'gone'
          : p.state;
    await client.query(
      `update products set last_outcome = $2, last_checked_at = $3, failure_count = $4,
         state = $5, next_check_at = $6, lease_owner = null, lease_until = null
       where id = $1`,
      [p.id, outcome, now, failures, state, backoffAt(now, failures, interval, random)],
    );
    return { applied: true, changed: [], notifications: 0 };
  }

  const prices = observedPrices(obs);
  const changed: PriceType[] = [];
  const sets: string[] = [];
  const values: unknown[] = [p.id, now];
  const productCurrency = p.currency ?? currency;
  for (const [type, amount] of Object.entries(prices) as Array<[PriceType, number | null]>) {
    if (p[COLUMN[type]] !== amount || p.state === 'gone') {
      changed.push(type);
    }
    values.push(amount);
    sets.push(`${COLUMN[type]} = $${values.length}`);
  }
  const availabilityChanged = obs.availability !== p.availability;
  if (productCurrency) {
    for (const type of changed) {
      await client.query(
        `insert into price_points (product_id, price_type, observed_at, amount, currency)
         values ($1, $2, $3, $4, $5) on conflict do nothing`,
        [p.id, type, now, prices[type] ?? null, productCurrency],
      );
    }
  }
  values.push(
    obs.title,
    obs.imageUrl,
    productCurrency,
    obs.listPrice?.minor ?? null,
    obs.availability,
  );
  const n = values.length;
  values.push(changed.length > 0 || availabilityChanged ? now : null);
  values.push(nextCheckAt(now, interval, random));
  await client.query(
    `update products set ${sets.join(', ')},
       title = coalesce($${n - 4}, title), image_url = coalesce($${n - 3}, image_url),
       currency = $${n - 2}, list_price = $${n - 1}, availability = $${n},
       last_changed_at = coalesce($${n + 1}, last_changed_at),
       last_outcome = 'ok', last_checked_at = $2, last_success_at = $2, failure_count = 0,
       state = 'active', next_check_at = $${n + 2}, lease_owner = null, lease_until = null
     where id = $1`,
    values,
  );

  const notifications = await evaluateWatches(client, p, prices, obs, now, policy);
  return { applied: true, changed, notifications };
}

async function evaluateWatches(
  client: PoolClient,
  p: ProductRow,
  prices: Partial<Record<PriceType, number | null>>,
  obs: Observation,
  now: Date,
  policy: AlertPolicy,
): Promise<number> {
  const { rows: watches } = await client.query<WatchRow>(
    // alerts_day as text: pg would make a Date of it, never equal to the day evaluate compares.
    `select w.*, w.alerts_day::text as alerts_day, u.email, u.email_verified_at, u.time_zone,
            u.notification_prefs
       from watches w join users u on u.id = w.user_id
      where w.product_id = $1 and not w.paused
      order by w.id for update of w`,
    [p.id],
  );
  let created = 0;
  for (const w of watches) {
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
    await client.query(
      `update watches set armed = $2, last_seen_minor = $3, last_notified_minor = $4,
         last_notified_at = case when $5 then $6::timestamptz else last_notified_at end,
         alerts_day = $7, alerts_today = $8
       where id = $1`,
      [
        w.id,
        s.armed,
        s.lastSeenMinor,
        s.lastNotifiedMinor,
        decision.fire,
        now,
        s.alertsDay,
        s.alertsToday,
      ],
    );
    if (!decision.fire) continue;
    const { rows } = await client.query<{ id: number }>(
      `insert into notifications (user_id, product_id, watch_id, kind, price_type, price_minor,
         previous_minor, currency, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [
        w.user_id,
        p.id,
        w.id,
        decision.kind,
        w.price_type,
        priceMinor,
        // The price before this observation, as the product knew it.
        p[COLUMN[w.price_type]] ?? decision.previousMinor,
        obs.price?.currency ?? p.currency,
        now,
      ],
    );
    const notificationId = rows[0]?.id;
    created++;
    // A user who chose the daily digest gets this alert in the inbox now and in the digest later.
    if (w.notification_prefs.digest?.enabled) continue;
    // The in-app notification always exists; every other channel waits for the end of the
    // user's quiet hours. Email goes only to a confirmed address, when the user wants email; the
    // other channels are those the user enabled (SMS to a verified number only, web push to each
    // subscribed device).
    const sendAt = notBefore(now, w.time_zone, w.notification_prefs.quietHours);
    if (w.email_verified_at && w.notification_prefs.channels.email.enabled) {
      await client.query(
        `insert into deliveries (notification_id, channel, destination, next_attempt_at)
         values ($1, 'email', $2, $3)`,
        [notificationId, w.email, sendAt],
      );
    }
    await client.query(
      `insert into deliveries (notification_id, channel, destination, next_attempt_at)
       select $1, t.channel, t.destination, $3 from channel_delivery_targets t where t.user_id = $2
       on conflict (notification_id, channel) do nothing`,
      [notificationId, w.user_id, sendAt],
    );
  }
  return created;
}
