/**
 * Email as a channel like the others: the alert email of ../email.ts (HTML and text, image, old
 * and new price, the drop, links; every scraped string escaped) sent through the Mailer (SMTP or
 * the local mailbox), with what issue 7 adds: `List-Unsubscribe` with a one-click URL and
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), an unsubscribe link in the
 * footer, and the deterministic Message-ID per alert that makes a resend recognisable.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { digestMessageId, renderDigestEmail } from '../digest/email.js';
import { alertMessageId, escapeHtml, renderAlertEmail } from '../email.js';
import { MailError, type Mailer } from '../mailer.js';
import { parseWith } from './config.js';
import { failure, ok } from './http.js';
import { safeHttpUrl, sampleAlert } from './render.js';
import { unsubscribeUrl } from './unsubscribe.js';
import type { AlertMessage, Channel, DigestMessage, SendContext, SendResult } from './types.js';

export interface EmailConfig {
  /** The user's confirmed account address. */
  readonly to: string;
}

export interface EmailChannelOptions {
  readonly mailer: Mailer;
  /** `channelKey(secret, 'unsubscribe')`. */
  readonly unsubscribeKey: Buffer;
}

const Config = z.object({ to: z.email().max(320) });

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  readonly headers: Readonly<Record<string, string>>;
}

export function renderEmailChannel(
  m: AlertMessage,
  config: EmailConfig,
  ctx: Pick<SendContext, 'publicUrl' | 'idempotencyKey'>,
  unsubscribeKey: Buffer,
): RenderedEmail {
  const mail = renderAlertEmail({
    notificationId: m.notificationId,
    kind: m.kind,
    to: config.to,
    userName: m.userName,
    locale: m.locale,
    currencyDisplay: m.currencyDisplay,
    productId: m.productId,
    productTitle: m.productTitle,
    productUrl: safeHttpUrl(m.storeUrl) ?? m.productPageUrl,
    imageUrl: safeHttpUrl(m.imageUrl),
    price: m.price,
    previous: m.previous,
    target: m.target,
    publicUrl: ctx.publicUrl,
  });
  const host = new URL(ctx.publicUrl).hostname;
  return withUnsubscribe(
    {
      subject: m.test ? `Test: ${mail.subject}` : mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: m.test
        ? `<test-${createHash('sha256').update(ctx.idempotencyKey).digest('hex').slice(0, 24)}@${host}>`
        : alertMessageId(m.notificationId, 'email', ctx.publicUrl),
    },
    m.userId,
    ctx.publicUrl,
    unsubscribeKey,
  );
}

/** The daily digest email, with the same unsubscribe headers and footer as an alert. */
export function renderDigestEmailChannel(
  d: DigestMessage,
  ctx: Pick<SendContext, 'publicUrl'>,
  unsubscribeKey: Buffer,
): RenderedEmail {
  const mail = renderDigestEmail(d);
  return withUnsubscribe(
    { ...mail, messageId: digestMessageId(d.userId, d.localDay, ctx.publicUrl) },
    d.userId,
    ctx.publicUrl,
    unsubscribeKey,
  );
}

/** `List-Unsubscribe` (one click, RFC 8058) and a footer with the link, for a real user. */
function withUnsubscribe(
  mail: Omit<RenderedEmail, 'headers'>,
  userId: number,
  publicUrl: string,
  unsubscribeKey: Buffer,
): RenderedEmail {
  const unsubscribe = userId > 0 ? unsubscribeUrl(publicUrl, userId, unsubscribeKey) : null;
  const footerText = unsubscribe ? `\n\nStop alert emails: ${unsubscribe}` : '';
  const footerHtml = unsubscribe
    ? `<p style="color:#718096;font-size:12px"><a href="${escapeHtml(unsubscribe)}">Unsubscribe from alert emails</a> · <a href="${escapeHtml(`${publicUrl.replace(/\/+$/, '')}/settings`)}">Notification settings</a></p>\n</body>`
    : '</body>';
  return {
    ...mail,
    text: mail.text + footerText,
    html: mail.html.replace('</body>', footerHtml),
    headers: unsubscribe
      ? {
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        }
      : {},
  };
}

export function createEmailChannel(opts: EmailChannelOptions): Channel<EmailConfig> {
  async function send(config: EmailConfig, m: AlertMessage, ctx: SendContext): Promise<SendResult> {
    return deliver(config, renderEmailChannel(m, config, ctx, opts.unsubscribeKey));
  }

  async function deliver(config: EmailConfig, mail: RenderedEmail): Promise<SendResult> {
    try {
      await opts.mailer.send({ to: config.to, ...mail });
      return ok(mail.messageId);
    } catch (err) {
      if (err instanceof MailError) {
        return failure(err.permanent, err.permanent ? 'smtp_rejected' : 'smtp_failed', err.message);
      }
      return failure(false, 'smtp_failed', err instanceof Error ? err.message : String(err));
    }
  }

  return {
    kind: 'email',
    parseConfig: (raw) => parseWith(Config, raw, 'email_invalid'),
    configure: (input) => ({
      config: parseWith(Config, input, 'email_invalid'),
      resetVerification: false,
    }),
    describe: (c) => {
      const [local = '', domain = ''] = c.to.split('@');
      return `Email to ${local.slice(0, 2)}…@${domain}`;
    },
    // One relay for every address: its quota is the limit.
    rateKey: () => 'email',
    send,
    sendTest: (config, ctx) => send(config, sampleAlert(ctx.publicUrl, ctx.clock()), ctx),
    sendDigest: (config, d, ctx) =>
      deliver(config, renderDigestEmailChannel(d, ctx, opts.unsubscribeKey)),
  };
}
