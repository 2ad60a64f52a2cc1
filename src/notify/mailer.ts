/**
 * Where email goes: an SMTP server (nodemailer), or, with no SMTP_URL in the all-in-one default, a
 * mailbox table on this machine that the UI shows, so that a newcomer sees the alert.
 */
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Pool } from '../db/pool.js';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Deterministic per alert, so a resend after a crash is recognisably the same message. */
  readonly messageId: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export class MailError extends Error {
  constructor(
    message: string,
    /** True when trying again cannot help (the server refused the address or the message). */
    readonly permanent: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  readonly code = 'mail_failed';
}

export interface Mailer {
  readonly kind: 'smtp' | 'mailbox';
  send(msg: MailMessage): Promise<void>;
  close(): Promise<void>;
}

export function createSmtpMailer(smtpUrl: string, from: string, poolSize = 8): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: poolSize,
    // nodemailer reconnects after 100 messages by default; each new connection is a greeting,
    // EHLO (and TLS) again, which at alert-burst rates cost a fifth of the sending CPU (bench:
    // delivery). A server that wants fewer per connection says so with a 421, and the pool
    // reconnects.
    maxMessages: 1000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    async send(msg) {
      try {
        // The message is built into one buffer first and handed over raw: streamed from the MIME
        // builder, it reached the socket a line or so at a time, one system call each, which cost
        // more CPU than everything else about an email (bench: delivery).
        const mime = new MailComposer({
          from,
          to: msg.to,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          messageId: msg.messageId,
          headers: msg.headers ? { ...msg.headers } : {},
        }).compile();
        const envelope = mime.getEnvelope();
        const raw = await mime.build();
        await transport.sendMail({ envelope, raw });
      } catch (cause) {
        const e = cause as { responseCode?: number; code?: string; message?: string };
        // 5xx replies and envelope errors are permanent; connection trouble and 4xx are not.
        const permanent =
          (e.responseCode !== undefined && e.responseCode >= 500) || e.code === 'EENVELOPE';
        throw new MailError(`SMTP: ${e.message ?? 'send failed'}`, permanent, { cause });
      }
    },
    async close() {
      transport.close();
    },
  };
}

export function createMailboxMailer(pool: Pool): Mailer {
  return {
    kind: 'mailbox',
    async send(msg) {
      await pool.query(
        `insert into mailbox (message_id, to_address, subject, text_body, html_body)
         values ($1, $2, $3, $4, $5) on conflict (message_id) do nothing`,
        [msg.messageId, msg.to, msg.subject, msg.text, msg.html],
      );
    },
    async close() {},
  };
}
