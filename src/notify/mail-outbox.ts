/**
 * Sends account email (verification, password reset, notices) from its outbox table, with the same
 * lease, retry and dead-letter rules as alert deliveries. The messages were rendered when queued.
 */
import type { Pool } from '../db/pool.js';
import { forEachConcurrently } from '../lifecycle.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { MailError, type Mailer } from './mailer.js';
import { retryDelay } from './notifier.js';

export interface MailOutboxDeps {
  readonly pool: Pool;
  readonly mailer: Mailer;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => Date;
  readonly random: () => number;
  readonly workerId: string;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly retryBaseMs: number;
  readonly maxAttempts: number;
}

interface Row {
  id: number;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  message_id: string;
  attempts: number;
}

export function createMailOutbox(deps: MailOutboxDeps): {
  runBatch(signal?: AbortSignal): Promise<number>;
} {
  const log = deps.logger.child({ component: 'mail-outbox', worker: deps.workerId });

  return {
    async runBatch(signal) {
      const now = deps.clock();
      const { rows: batch } = await deps.pool.query<Row>(
        `update mail_outbox m set state = 'sending', lease_owner = $1, lease_until = $2,
                attempts = m.attempts + 1
          where m.id in (
            select id from mail_outbox
             where state in ('pending', 'sending') and next_attempt_at <= $3
               and (lease_until is null or lease_until < $3)
             order by next_attempt_at limit $4
             for update skip locked)
          returning m.id, m.to_address, m.subject, m.text_body, m.html_body, m.message_id, m.attempts`,
        [deps.workerId, new Date(now.getTime() + deps.leaseMs), now, deps.batchSize],
      );
      if (batch.length === 0) return 0;
      const untried = await forEachConcurrently(batch, deps.concurrency, signal, async (m) => {
        try {
          await deps.mailer.send({
            to: m.to_address,
            subject: m.subject,
            text: m.text_body,
            html: m.html_body ?? '',
            messageId: m.message_id,
          });
          await deps.pool.query(
            `update mail_outbox set state = 'sent', sent_at = $3, lease_owner = null,
               lease_until = null, last_error = null
             where id = $1 and lease_owner = $2`,
            [m.id, deps.workerId, deps.clock()],
          );
          deps.metrics.deliveries.inc({ channel: 'account_email', result: 'sent' });
        } catch (err) {
          const permanent = err instanceof MailError && err.permanent;
          const dead = permanent || m.attempts >= deps.maxAttempts;
          log.warn({ err, mailId: m.id, attempts: m.attempts, permanent }, 'account email failed');
          deps.metrics.deliveries.inc({
            channel: 'account_email',
            result: dead ? 'dead' : 'retry',
          });
          await deps.pool
            .query(
              `update mail_outbox set state = $3, next_attempt_at = $4, last_error = $5,
                 lease_owner = null, lease_until = null
               where id = $1 and lease_owner = $2`,
              [
                m.id,
                deps.workerId,
                dead ? 'dead' : 'pending',
                new Date(
                  deps.clock().getTime() + retryDelay(m.attempts, deps.retryBaseMs, deps.random),
                ),
                (err as Error).message.slice(0, 1000),
              ],
            )
            .catch((e: unknown) =>
              log.error({ err: e, mailId: m.id }, 'could not record a failure'),
            );
        }
      });
      if (untried.length > 0) {
        await deps.pool.query(
          `update mail_outbox set state = 'pending', attempts = attempts - 1, lease_owner = null,
             lease_until = null where id = any($1::bigint[]) and lease_owner = $2`,
          [untried.map((m) => m.id), deps.workerId],
        );
      }
      return batch.length;
    },
  };
}
