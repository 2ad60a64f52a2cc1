/**
 * The channel tables (migration 0006): each query names its owner in its WHERE clause, so a route
 * cannot read or change another user's channel by forgetting a check.
 */
import type { Queryable } from '../../db/pool.js';
import type { ChannelKind, Configured, SendFailure } from './types.js';
import type { WebPushConfig } from './webpush.js';

/** Kinds stored in user_channels (email lives in users.notification_prefs). */
export type StoredChannelKind = Exclude<ChannelKind, 'email'>;

export interface UserChannelRow {
  readonly id: number;
  readonly kind: StoredChannelKind;
  /** Holds secrets: parse it with the channel, present it with `describe`. */
  readonly config: unknown;
  readonly enabled: boolean;
  readonly verifiedAt: Date | null;
  readonly lastError: string | null;
  readonly lastErrorAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

interface Row {
  id: number;
  kind: StoredChannelKind;
  config: unknown;
  enabled: boolean;
  verified_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, kind, config, enabled, verified_at, last_error, last_error_at, created_at, updated_at`;

const toRow = (r: Row): UserChannelRow => ({
  id: r.id,
  kind: r.kind,
  config: r.config,
  enabled: r.enabled,
  verifiedAt: r.verified_at,
  lastError: r.last_error,
  lastErrorAt: r.last_error_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export async function listUserChannels(db: Queryable, userId: number): Promise<UserChannelRow[]> {
  const { rows } = await db.query<Row>(
    `select ${COLUMNS} from user_channels where user_id = $1 order by kind`,
    [userId],
  );
  return rows.map(toRow);
}

export async function getUserChannel(
  db: Queryable,
  userId: number,
  kind: StoredChannelKind,
): Promise<UserChannelRow | null> {
  const { rows } = await db.query<Row>(
    `select ${COLUMNS} from user_channels where user_id = $1 and kind = $2`,
    [userId, kind],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

/**
 * Creates or replaces a user's channel with what `channel.configure` returned. A changed
 * destination that needs proof again (a new phone number) loses its verification; any earlier
 * error is cleared, since the user just changed the settings.
 */
export async function saveUserChannel<C>(
  db: Queryable,
  userId: number,
  kind: StoredChannelKind,
  configured: Configured<C>,
  enabled: boolean,
  now: Date,
): Promise<UserChannelRow> {
  const { rows } = await db.query<Row>(
    `insert into user_channels (user_id, kind, config, enabled, created_at, updated_at)
     values ($1, $2, $3::jsonb, $4, $5, $5)
     on conflict (user_id, kind) do update
       set config = excluded.config, enabled = excluded.enabled, updated_at = excluded.updated_at,
           verified_at = case when $6 then null else user_channels.verified_at end,
           last_error = null, last_error_at = null
     returning ${COLUMNS}`,
    [userId, kind, JSON.stringify(configured.config), enabled, now, configured.resetVerification],
  );
  return toRow(rows[0] as Row);
}

/** Turns a channel on or off without touching its settings; false when the user has none. */
export async function setUserChannelEnabled(
  db: Queryable,
  userId: number,
  kind: StoredChannelKind,
  enabled: boolean,
  now: Date,
): Promise<boolean> {
  if (kind === 'webpush') {
    // Push has no settings of its own: the row exists only to pause it.
    const r = await db.query(
      `insert into user_channels (user_id, kind, enabled, created_at, updated_at)
       values ($1, 'webpush', $2, $3, $3)
       on conflict (user_id, kind) do update set enabled = excluded.enabled, updated_at = excluded.updated_at`,
      [userId, enabled, now],
    );
    return (r.rowCount ?? 0) > 0;
  }
  const r = await db.query(
    `update user_channels set enabled = $3, updated_at = $4 where user_id = $1 and kind = $2`,
    [userId, kind, enabled, now],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function deleteUserChannel(
  db: Queryable,
  userId: number,
  kind: StoredChannelKind,
): Promise<boolean> {
  const r = await db.query(`delete from user_channels where user_id = $1 and kind = $2`, [
    userId,
    kind,
  ]);
  return (r.rowCount ?? 0) > 0;
}

/**
 * After a permanent failure: record it for the user to see, and stop sending when the
 * destination is gone (a deleted webhook, a blocked bot) until the user changes the settings.
 */
export async function recordChannelFailure(
  db: Queryable,
  userId: number,
  userChannelId: number,
  result: SendFailure,
  now: Date,
): Promise<void> {
  await db.query(
    `update user_channels set last_error = $3, last_error_at = $4,
            enabled = case when $5 then false else enabled end
      where id = $2 and user_id = $1`,
    [
      userId,
      userChannelId,
      `${result.code}: ${result.message}`.slice(0, 500),
      now,
      result.gone === true,
    ],
  );
}

// --- web push subscriptions -------------------------------------------------------------------

export interface PushSubscriptionRow {
  readonly id: number;
  readonly config: WebPushConfig;
  readonly userAgent: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

interface PushRow {
  id: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  user_agent: string | null;
  created_at: Date;
  last_used_at: Date | null;
}

const toPush = (r: PushRow): PushSubscriptionRow => ({
  id: r.id,
  config: { endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth },
  userAgent: r.user_agent,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/**
 * Stores a browser's subscription (parsed by the webpush channel's `configure`). The endpoint is
 * unique: subscribing again from the same browser updates the keys, and when another account
 * subscribes from that browser the subscription moves to it, but only with the same keys. The
 * keys are made by the browser and known only to it and us, so they show the caller holds the
 * subscription; an endpoint alone (seen in a log, say) does not take another account's alerts'
 * device away. Null when the endpoint is another account's and the keys differ.
 */
export async function savePushSubscription(
  db: Queryable,
  userId: number,
  config: WebPushConfig,
  userAgent: string | null,
  now: Date,
): Promise<PushSubscriptionRow | null> {
  const { rows } = await db.query<PushRow>(
    `insert into push_subscriptions (user_id, endpoint, p256dh, auth, user_agent, created_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (endpoint) do update
       set user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
           user_agent = excluded.user_agent,
           created_at = case when push_subscriptions.user_id = excluded.user_id
                             then push_subscriptions.created_at else excluded.created_at end
       where push_subscriptions.user_id = excluded.user_id
          or (push_subscriptions.p256dh = excluded.p256dh and push_subscriptions.auth = excluded.auth)
     returning id, endpoint, p256dh, auth, user_agent, created_at, last_used_at`,
    [userId, config.endpoint, config.p256dh, config.auth, userAgent?.slice(0, 500) ?? null, now],
  );
  const row = rows[0];
  return row ? toPush(row) : null;
}

export async function listPushSubscriptions(
  db: Queryable,
  userId: number,
): Promise<PushSubscriptionRow[]> {
  const { rows } = await db.query<PushRow>(
    `select id, endpoint, p256dh, auth, user_agent, created_at, last_used_at
       from push_subscriptions where user_id = $1 order by created_at desc, id desc`,
    [userId],
  );
  return rows.map(toPush);
}

/** By id (the UI's "remove this device") or by endpoint (the browser unsubscribed). */
export async function deletePushSubscription(
  db: Queryable,
  userId: number,
  which: { id: number } | { endpoint: string },
): Promise<boolean> {
  const r =
    'id' in which
      ? await db.query(`delete from push_subscriptions where user_id = $1 and id = $2`, [
          userId,
          which.id,
        ])
      : await db.query(`delete from push_subscriptions where user_id = $1 and endpoint = $2`, [
          userId,
          which.endpoint,
        ]);
  return (r.rowCount ?? 0) > 0;
}

// --- what the notifier needs ------------------------------------------------------------------

export type DeliveryTarget =
  | { readonly kind: StoredChannelKind; readonly userChannelId: number; readonly config: unknown }
  | {
      readonly kind: 'webpush';
      readonly pushSubscriptionId: number;
      readonly config: WebPushConfig;
    };

/**
 * The configuration behind one delivery (its `channel` and `destination` as the view
 * `channel_delivery_targets` wrote them), still enabled; null when the user removed or paused it
 * since the alert was queued, or when the row belongs to someone else.
 */
export async function loadDeliveryTarget(
  db: Queryable,
  userId: number,
  channel: string,
  destination: string,
): Promise<DeliveryTarget | null> {
  const id = /^\d{1,15}$/.test(destination) ? Number(destination) : null;
  if (id === null) return null;
  if (channel.startsWith('webpush:')) {
    const { rows } = await db.query<PushRow>(
      `select ps.id, ps.endpoint, ps.p256dh, ps.auth, ps.user_agent, ps.created_at, ps.last_used_at
         from push_subscriptions ps
        where ps.id = $2 and ps.user_id = $1
          and not exists (select 1 from user_channels uc
                           where uc.user_id = ps.user_id and uc.kind = 'webpush' and not uc.enabled)`,
      [userId, id],
    );
    const r = rows[0];
    return r ? { kind: 'webpush', pushSubscriptionId: r.id, config: toPush(r).config } : null;
  }
  const { rows } = await db.query<{ id: number; kind: StoredChannelKind; config: unknown }>(
    `select id, kind, config from user_channels
      where id = $2 and user_id = $1 and kind = $3 and enabled
        and (kind <> 'sms' or verified_at is not null)`,
    [userId, id, channel],
  );
  const r = rows[0];
  return r ? { kind: r.kind, userChannelId: r.id, config: r.config } : null;
}

/** A push went out: remember when, so the UI can show devices that still receive. */
export async function touchPushSubscription(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query(`update push_subscriptions set last_used_at = $2 where id = $1`, [id, now]);
}

/** The push service said the subscription is gone. */
export async function deletePushSubscriptionById(db: Queryable, id: number): Promise<void> {
  await db.query(`delete from push_subscriptions where id = $1`, [id]);
}
