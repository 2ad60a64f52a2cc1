/**
 * The notifier: claims due deliveries from the outbox with a lease, sends each through its channel,
 * and records the result. Sending is at-least-once (a crash between the provider accepting a
 * message and our commit means one resend); the deterministic Message-ID per alert lets the
 * receiving side recognise that resend.
 */
import type { Pool } from '../db/pool.js';
import { forEachConcurrently } from '../lifecycle.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { alertMessageId, renderAlertEmail } from './email.js';
import { MailError, type Mailer } from './mailer.js';

export interface NotifierDeps {
  readonly pool: Pool;
  readonly mailer: Mailer;
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
}

interface ClaimedDelivery {
  id: number;
  notification_id: number;
  channel: string;
  destination: string;
  attempts: number;
  kind: 'price_drop' | 'back_in_stock';
  price_minor: number | null;
  previous_minor: number | null;
  currency: string | null;
  product_id: number;
  title: string | null;
  url: string;
  image_url: string | null;
  user_name: string;
  locale: string;
  currency_display: 'symbol' | 'narrowSymbol' | 'code' | 'name';
  target_minor: number | null;
}

export interface Notifier {
  /** Claims and sends one batch; returns how many deliveries were claimed. */
  runBatch(signal?: AbortSignal): Promise<number>;
}

export function retryDelay(attempts: number, baseMs: number, random: () => number): number {
  const cap = Math.min(3_600_000, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const log = deps.logger.child({ component: 'notifier', worker: deps.workerId });

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
       select c.id, c.notification_id, c.channel, c.destination, c.attempts,
              n.kind, n.price_minor, n.previous_minor, n.currency, n.product_id,
              p.title, p.url, p.image_url, u.name as user_name, u.locale, u.currency_display, w.target_minor
         from claimed c
         join notifications n on n.id = c.notification_id
         join products p on p.id = n.product_id
         join users u on u.id = n.user_id
         left join watches w on w.id = n.watch_id`,
      [deps.workerId, new Date(now.getTime() + deps.leaseMs), now, deps.batchSize],
    );
    return rows;
  }

  async function finish(
    d: ClaimedDelivery,
    result: { ok: true } | { ok: false; permanent: boolean; error: string },
  ): Promise<void> {
    const now = deps.clock();
    if (result.ok) {
      await deps.pool.query(
        `update deliveries set state = 'sent', sent_at = $3, lease_owner = null, lease_until = null,
           last_error = null
         where id = $1 and lease_owner = $2`,
        [d.id, deps.workerId, now],
      );
      return;
    }
    const dead = result.permanent || d.attempts >= deps.maxAttempts;
    const next = new Date(now.getTime() + retryDelay(d.attempts, deps.retryBaseMs, deps.random));
    await deps.pool.query(
      `update deliveries set state = $3, next_attempt_at = $4, last_error = $5,
         lease_owner = null, lease_until = null
       where id = $1 and lease_owner = $2`,
      [d.id, deps.workerId, dead ? 'dead' : 'pending', next, result.error.slice(0, 1000)],
    );
  }

  async function send(d: ClaimedDelivery): Promise<void> {
    const money = (minor: number | null) =>
      minor === null || !d.currency ? null : { minor, currency: d.currency };
    const mail = renderAlertEmail({
      notificationId: d.notification_id,
      kind: d.kind,
      to: d.destination,
      userName: d.user_name,
      locale: d.locale,
      currencyDisplay: d.currency_display,
      productId: d.product_id,
      productTitle: d.title,
      productUrl: d.url,
      imageUrl: d.image_url,
      price: money(d.price_minor),
      previous: money(d.previous_minor),
      target: money(d.target_minor),
      publicUrl: deps.publicUrl,
    });
    await deps.mailer.send({
      to: d.destination,
      ...mail,
      messageId: alertMessageId(d.notification_id, d.channel, deps.publicUrl),
    });
  }

  return {
    async runBatch(signal) {
      const batch = await claim();
      if (batch.length === 0) return 0;
      const untried = await forEachConcurrently(batch, deps.concurrency, signal, async (d) => {
        try {
          await send(d);
          await finish(d, { ok: true });
          deps.metrics.deliveries.inc({ channel: d.channel, result: 'sent' });
        } catch (err) {
          const permanent = err instanceof MailError && err.permanent;
          log.warn({ err, deliveryId: d.id, attempts: d.attempts, permanent }, 'delivery failed');
          deps.metrics.deliveries.inc({ channel: d.channel, result: permanent ? 'dead' : 'retry' });
          await finish(d, { ok: false, permanent, error: (err as Error).message }).catch(
            (e: unknown) =>
              log.error({ err: e, deliveryId: d.id }, 'could not record a delivery failure'),
          );
        }
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
