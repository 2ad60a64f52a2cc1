/**
 * The notifier: claims due deliveries from the outbox with a lease, sends each through its channel
 * (email, web push, SMS, webhooks, chat apps), and records the result: sent; again later with
 * exponential backoff and jitter (or when the provider asks: Retry-After); or dead when trying
 * again cannot help. Sending is at-least-once (a crash between the provider accepting a message
 * and our commit means one resend); every provider that accepts an idempotency key gets one, and
 * email a deterministic Message-ID, so that resend is recognisable. A delivery carries either one
 * alert or one daily digest (../digest), sent through the channel's `sendDigest`.
 */
import type { Pool } from '../db/pool.js';
import type { Fetcher } from '../acquisition/fetcher.js';
import { createHostLimits, type HostLimits } from '../acquisition/limits.js';
import { forEachConcurrently } from '../lifecycle.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import {
  CHANNEL_KINDS,
  deletePushSubscriptionById,
  kindOfDeliveryChannel,
  loadDeliveryTarget,
  rateLimits,
  recordChannelFailure,
  sendAlert,
  sendDigest,
  touchPushSubscription,
  type AlertMessage,
  type ChannelKind,
  type ChannelRegistry,
  type DigestMessage,
  type SendResult,
} from './channels/index.js';
import { loadDigestAlerts, type DigestAlertRow } from './digest/index.js';

export interface NotifierDeps {
  readonly pool: Pool;
  readonly channels: ChannelRegistry;
  /** The fetcher for providers' APIs (its own limits: not the store politeness of the checker). */
  readonly fetcher: Fetcher;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => Date;
  readonly random: () => number;
  readonly workerId: string;
  readonly publicUrl: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly leaseMs: number;
  /** First retry after about this long, doubling per attempt (full jitter), capped at an hour. */
  readonly retryBaseMs: number;
  /** After this many attempts a delivery is dead-lettered. */
  readonly maxAttempts: number;
  /** Sends at once per channel kind, where the default of `rateLimits` does not fit (email: the SMTP pool). */
  readonly channelConcurrency?: Partial<Record<ChannelKind, number>>;
}

/** One alert and its recipient, as `message` turns it into an AlertMessage. */
type AlertRow = Omit<DigestAlertRow, 'digest_id' | 'total'> & {
  user_id: number;
  user_name: string;
  locale: string;
  currency_display: 'symbol' | 'narrowSymbol' | 'code' | 'name';
};

/**
 * A claimed delivery: an alert's, or a digest's (digest_id set; then the alert's columns are null
 * and the digest's alerts are loaded apart, with `loadDigestAlerts`).
 */
interface ClaimedDelivery extends AlertRow {
  id: number;
  digest_id: number | null;
  digest_day: string | null;
  digest_time_zone: string | null;
  digest_created_at: Date | null;
  channel: string;
  destination: string;
  attempts: number;
}

export interface Notifier {
  /** Claims and sends one batch; returns how many deliveries were claimed. */
  runBatch(signal?: AbortSignal): Promise<number>;
}

export function retryDelay(attempts: number, baseMs: number, random: () => number): number {
  const cap = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** Per channel kind: how many sends at once, and a request rate per destination (rateKey). */
function createChannelLimits(now: () => number, concurrency: Partial<Record<ChannelKind, number>>) {
  const inFlight = new Map<ChannelKind, { active: number; waiting: Array<() => void> }>();
  const rates = new Map<ChannelKind, HostLimits>();
  for (const kind of CHANNEL_KINDS) {
    inFlight.set(kind, { active: 0, waiting: [] });
    const per = rateLimits[kind].perKey;
    if (per) {
      rates.set(
        kind,
        createHostLimits({
          concurrency: Number.MAX_SAFE_INTEGER,
          ratePerSecond: (per.requests * 1000) / per.perMs,
          coolDownMs: 1000,
          maxCoolDownMs: 1000,
          now,
        }),
      );
    }
  }
  return {
    async acquire(kind: ChannelKind, rateKey: string): Promise<() => void> {
      const slot = inFlight.get(kind) as { active: number; waiting: Array<() => void> };
      if (slot.active >= (concurrency[kind] ?? rateLimits[kind].concurrency)) {
        await new Promise<void>((resolve) => slot.waiting.push(resolve));
      }
      slot.active++;
      const releaseRate = (await rates.get(kind)?.acquire(rateKey)) ?? (() => undefined);
      return () => {
        releaseRate();
        slot.active--;
        slot.waiting.shift()?.();
      };
    },
    close() {
      for (const r of rates.values()) r.close();
    },
  };
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const log = deps.logger.child({ component: 'notifier', worker: deps.workerId });
  const limits = createChannelLimits(() => deps.clock().getTime(), deps.channelConcurrency ?? {});

  async function claim(): Promise<ClaimedDelivery[]> {
    const now = deps.clock();
    const { rows } = await deps.pool.query<ClaimedDelivery>(
      `with claimed as (
         update deliveries d set state = 'sending', lease_owner = $1, lease_until = $2,
                attempts = d.attempts + 1
          where d.id in (
            select id from deliveries
             where state in ('pending', 'sending') and next_attempt_at <= $3
               and (lease_until is null or lease_until < $3)
             order by next_attempt_at
             limit $4
             for update skip locked)
          returning d.*)
       select c.id, c.notification_id, c.digest_id, g.local_day::text as digest_day,
              g.time_zone as digest_time_zone, g.created_at as digest_created_at,
              c.channel, c.destination, c.attempts,
              u.id as user_id, n.kind, n.price_minor, n.previous_minor, n.currency,
              n.created_at as notification_created_at, n.product_id,
              p.title, p.url, p.image_url, u.name as user_name, u.locale, u.currency_display,
              w.id as watch_id, w.price_type, w.rule_type, w.target_minor
         from claimed c
         left join notifications n on n.id = c.notification_id
         left join products p on p.id = n.product_id
         left join digests g on g.id = c.digest_id
         join users u on u.id = coalesce(n.user_id, g.user_id)
         left join watches w on w.id = n.watch_id`,
      [deps.workerId, new Date(now.getTime() + deps.leaseMs), now, deps.batchSize],
    );
    return rows;
  }

  function message(d: AlertRow): AlertMessage {
    const money = (minor: number | null) =>
      minor === null || !d.currency ? null : { minor, currency: d.currency };
    return {
      notificationId: d.notification_id,
      userId: d.user_id,
      kind: d.kind,
      productId: d.product_id,
      productTitle: d.title,
      productPageUrl: `${deps.publicUrl}/products/${d.product_id}`,
      storeUrl: d.url,
      imageUrl: d.image_url,
      price: money(d.price_minor),
      previous: money(d.previous_minor),
      target: money(d.target_minor),
      watch:
        d.watch_id !== null && d.price_type && d.rule_type
          ? { id: d.watch_id, priceType: d.price_type, rule: d.rule_type }
          : null,
      userName: d.user_name,
      locale: d.locale,
      currencyDisplay: d.currency_display,
      createdAt: d.notification_created_at,
    };
  }

  function digestMessage(d: ClaimedDelivery, alerts: readonly DigestAlertRow[]): DigestMessage {
    const base = deps.publicUrl.replace(/\/+$/, '');
    return {
      digestId: d.digest_id ?? 0,
      userId: d.user_id,
      localDay: d.digest_day ?? '',
      timeZone: d.digest_time_zone ?? 'UTC',
      alerts: alerts.map((a) =>
        message({
          ...a,
          user_id: d.user_id,
          user_name: d.user_name,
          locale: d.locale,
          currency_display: d.currency_display,
        }),
      ),
      total: alerts[0]?.total ?? 0,
      inboxUrl: `${base}/notifications`,
      userName: d.user_name,
      locale: d.locale,
      currencyDisplay: d.currency_display,
      createdAt: d.digest_created_at ?? deps.clock(),
    };
  }

  async function send(
    d: ClaimedDelivery,
    digests: ReadonlyMap<number, DigestAlertRow[]>,
  ): Promise<SendResult> {
    const kind = kindOfDeliveryChannel(d.channel);
    if (!kind) return { ok: false, permanent: true, code: 'channel_unknown', message: d.channel };
    // Email's destination is the address itself; every other channel's is the row holding its
    // configuration, read now so that a change or removal since the alert is honoured.
    let config: unknown = { to: d.destination };
    let pushId: number | undefined;
    let userChannelId: number | undefined;
    if (kind !== 'email') {
      const target = await loadDeliveryTarget(deps.pool, d.user_id, d.channel, d.destination);
      if (!target) {
        return {
          ok: false,
          permanent: true,
          code: 'channel_removed',
          message: 'channel removed or paused',
        };
      }
      config = target.config;
      if ('pushSubscriptionId' in target) pushId = target.pushSubscriptionId;
      else userChannelId = target.userChannelId;
    }
    const channel = deps.channels.channelByKind(kind);
    let rateKey = kind as string;
    try {
      if (channel) rateKey = channel.rateKey(channel.parseConfig(config));
    } catch {
      /* an unusable config fails in sendAlert with its own code */
    }
    const release = await limits.acquire(kind, rateKey);
    let result: SendResult;
    try {
      const ctx = {
        fetcher: deps.fetcher,
        idempotencyKey:
          d.digest_id === null
            ? `pricehawk-${d.notification_id}-${d.channel}`
            : `pricehawk-digest-${d.digest_id}-${d.channel}`,
        clock: deps.clock,
        publicUrl: deps.publicUrl,
      };
      result =
        d.digest_id === null
          ? await sendAlert(deps.channels, kind, config, message(d), ctx)
          : await sendDigest(
              deps.channels,
              kind,
              config,
              digestMessage(d, digests.get(d.digest_id) ?? []),
              ctx,
            );
    } finally {
      release();
    }
    const now = deps.clock();
    if (result.ok && pushId !== undefined) await touchPushSubscription(deps.pool, pushId, now);
    if (!result.ok && result.gone && pushId !== undefined) {
      await deletePushSubscriptionById(deps.pool, pushId);
    } else if (!result.ok && result.permanent && userChannelId !== undefined) {
      // Shown to the user on the channel; a destination that is gone disables the channel.
      await recordChannelFailure(deps.pool, d.user_id, userChannelId, result, now);
    }
    return result;
  }

  // Sent deliveries are recorded a few at a time: one statement for many rows. A crash before the
  // flush means those few are sent again, which their idempotency keys and Message-IDs make
  // recognisable; the window is a few milliseconds.
  let sent: number[] = [];
  let flushing: Promise<void> | undefined;
  async function flushSent(): Promise<void> {
    while (sent.length > 0) {
      const ids = sent;
      sent = [];
      await deps.pool.query(
        `update deliveries set state = 'sent', sent_at = $3, lease_owner = null, lease_until = null,
           last_error = null
         where id = any($1::bigint[]) and lease_owner = $2`,
        [ids, deps.workerId, deps.clock()],
      );
    }
  }
  function recordSent(id: number): Promise<void> {
    sent.push(id);
    flushing ??= flushSent().finally(() => (flushing = undefined));
    return flushing;
  }

  async function finish(d: ClaimedDelivery, result: SendResult): Promise<void> {
    const now = deps.clock();
    if (result.ok) {
      await recordSent(d.id);
      return;
    }
    const dead = result.permanent || d.attempts >= deps.maxAttempts;
    const wait = Math.max(
      retryDelay(d.attempts, deps.retryBaseMs, deps.random),
      result.retryAfterMs ?? 0,
    );
    await deps.pool.query(
      `update deliveries set state = $3, next_attempt_at = $4, last_error = $5,
         lease_owner = null, lease_until = null
       where id = $1 and lease_owner = $2`,
      [
        d.id,
        deps.workerId,
        dead ? 'dead' : 'pending',
        new Date(now.getTime() + wait),
        `${result.code}: ${result.message}`.slice(0, 1000),
      ],
    );
  }

  return {
    async runBatch(signal) {
      const batch = await claim();
      if (batch.length === 0) return 0;
      // The alerts of the digests in this batch, in one query.
      const digestIds = batch.flatMap((d) => (d.digest_id === null ? [] : [d.digest_id]));
      const digests =
        digestIds.length > 0
          ? await loadDigestAlerts(deps.pool, digestIds)
          : new Map<number, DigestAlertRow[]>();
      const untried = await forEachConcurrently(batch, deps.concurrency, signal, async (d) => {
        const kind = kindOfDeliveryChannel(d.channel) ?? 'unknown';
        let result: SendResult;
        try {
          result = await send(d, digests);
        } catch (err) {
          // A bug or the database going away: try again later like any transient failure.
          log.error({ err, deliveryId: d.id }, 'delivery failed unexpectedly');
          result = {
            ok: false,
            permanent: false,
            code: 'internal',
            message: (err as Error).message,
          };
        }
        if (!result.ok) {
          log.warn(
            {
              deliveryId: d.id,
              channel: kind,
              attempts: d.attempts,
              code: result.code,
              permanent: result.permanent,
            },
            'delivery failed',
          );
        }
        deps.metrics.deliveries.inc({
          channel: kind,
          result: result.ok
            ? 'sent'
            : result.permanent || d.attempts >= deps.maxAttempts
              ? 'dead'
              : 'retry',
        });
        await finish(d, result).catch((e: unknown) =>
          log.error({ err: e, deliveryId: d.id }, 'could not record a delivery result'),
        );
      });
      // Claimed but never tried because we are stopping: back to the queue at once.
      if (untried.length > 0) {
        await deps.pool.query(
          `update deliveries set state = 'pending', attempts = attempts - 1, lease_owner = null,
             lease_until = null where id = any($1::bigint[]) and lease_owner = $2`,
          [untried.map((d) => d.id), deps.workerId],
        );
      }
      return batch.length;
    },
  };
}
