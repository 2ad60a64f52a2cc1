/** Queues account email in the outbox, in the caller's transaction. */
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { AccountEmail } from './emails.js';

export async function queueMail(
  db: Queryable,
  to: string,
  mail: AccountEmail,
  opts: { userId?: number | null; messageHost: string; now: Date },
): Promise<void> {
  const messageId = `<account-${randomBytes(12).toString('hex')}@${opts.messageHost}>`;
  await db.query(
    `insert into mail_outbox (user_id, to_address, subject, text_body, html_body, message_id,
       created_at, next_attempt_at)
     values ($1, $2, $3, $4, $5, $6, $7, $7)`,
    [opts.userId ?? null, to, mail.subject, mail.text, mail.html, messageId, opts.now],
  );
}
