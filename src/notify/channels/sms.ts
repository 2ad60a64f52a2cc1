/**
 * SMS through a Twilio-compatible REST API (base URL configurable, default
 * https://api.twilio.com): `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded
 * `To`, `From` or `MessagingServiceSid`, `Body`, with HTTP Basic auth (Account SID and Auth
 * Token, or an API key SID and secret). The operator's account sends; a user's config is only
 * their number, and alerts go only to a number the user proved with a code
 * (phone-verification.ts).
 *
 * Idempotency: we send `I-Twilio-Idempotency-Token` with our key. Twilio documents that header on
 * the webhooks it sends; we found no documentation that its Messages API deduplicates on it, so
 * the one resend a crash can cause may reach the phone twice. The stand-in records the header.
 */
import { z } from 'zod';
import { baseUrl, parseWith } from './config.js';
import { callProvider, failure, httpFailure, isOk, jsonOf, ok } from './http.js';
import {
  digestSummary,
  label,
  money,
  sampleAlert,
  shortPrice,
  titleOf,
  truncate,
  dropOf,
} from './render.js';
import {
  ChannelConfigError,
  type AlertMessage,
  type Channel,
  type DigestMessage,
  type SendContext,
  type SendResult,
} from './types.js';

export interface SmsConfig {
  /** E.164: +14155550123. */
  readonly phone: string;
  /** The number last confirmed by a code, if any; alerts go only when it equals `phone`. */
  readonly verifiedPhone: string | null;
}

export interface SmsOptions {
  readonly accountSid: string;
  /** The Auth Token, or with `apiKeySid` the API key's secret. SECRET. */
  readonly authToken: string;
  /** Authenticate as an API key (SK…) instead of the account itself. */
  readonly apiKeySid?: string;
  /** Exactly one of `from` (E.164 or an alphanumeric sender id) or `messagingServiceSid`. */
  readonly from?: string;
  readonly messagingServiceSid?: string;
  /** Default https://api.twilio.com. */
  readonly baseUrl?: string;
}

export const E164_RE = /^\+[1-9]\d{6,14}$/;

/** A phone number as typed ("+1 (415) 555-0123") to E.164, or a ChannelConfigError. */
export function normalizePhone(raw: unknown): string {
  if (typeof raw !== 'string') {
    throw new ChannelConfigError('phone_invalid', 'expected a phone number like +14155550123');
  }
  const compact = raw.trim().replace(/[\s().-]/g, '');
  const e164 = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (!E164_RE.test(e164)) {
    throw new ChannelConfigError(
      'phone_invalid',
      'write the number in international form with its country code, like +14155550123',
    );
  }
  return e164;
}

const Stored = z.object({ phone: z.string(), verifiedPhone: z.string().nullable().default(null) });
const Input = z.object({ phone: z.string().max(40) });

/** Short: one or two segments. Title trimmed, price, drop, link to the price history. */
export function renderSms(m: AlertMessage): string {
  const drop = dropOf(m);
  const price =
    m.kind === 'back_in_stock'
      ? m.price
        ? ` at ${money(m, m.price)}`
        : ''
      : ` now ${money(m, m.price)}${drop ? ` (-${drop.percent}%)` : ''}`;
  const head = `Pricehawk ${label(m).toLowerCase()}: `;
  const link = ` ${m.productPageUrl}`;
  // Fit in 160 characters where we can: the title gives way first.
  const room = Math.max(20, 160 - head.length - price.length - 1 - link.length);
  return `${head}${truncate(titleOf(m), room)}${price}.${link}`;
}

/**
 * The daily digest in one or two segments: how many alerts, the first titles with their prices as
 * room allows, and the inbox link.
 */
export function renderSmsDigest(d: DigestMessage): string {
  const s = digestSummary(d, d.alerts.length);
  const head = `Pricehawk ${s.title.toLowerCase()}`;
  const link = ` ${s.url}`;
  let room = 300 - head.length - link.length;
  const parts: string[] = [];
  for (const m of d.alerts) {
    const part = `${truncate(titleOf(m), 40)} ${shortPrice(m)}`;
    if (part.length + 2 > room) break;
    parts.push(part);
    room -= part.length + 2;
  }
  const left = d.total - parts.length;
  const list = parts.length > 0 ? `: ${parts.join('; ')}${left > 0 ? ` +${left} more` : ''}` : '';
  return `${head}${list}.${link}`;
}

interface TwilioAnswer {
  sid?: string;
  code?: number;
  message?: string;
}

/** Twilio error codes that mean this number will never take our messages. */
const GONE_CODES = new Set([
  21610, // the recipient replied STOP
  21614, // not a mobile number
]);

export interface SmsSender {
  /** Sends any text to a number (verification codes use this). */
  sendText(to: string, body: string, ctx: SendContext): Promise<SendResult>;
}

export function createSmsChannel(opts: SmsOptions): Channel<SmsConfig> & SmsSender {
  if (!opts.from === !opts.messagingServiceSid) {
    throw new Error('SMS: configure exactly one of a From number and a Messaging Service SID');
  }
  const api = baseUrl(opts.baseUrl ?? 'https://api.twilio.com');
  const user = opts.apiKeySid ?? opts.accountSid;
  const authorization = `Basic ${Buffer.from(`${user}:${opts.authToken}`).toString('base64')}`;
  const endpoint = `${api}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;

  async function sendText(to: string, body: string, ctx: SendContext): Promise<SendResult> {
    const now = ctx.clock();
    const form = new URLSearchParams({ To: to, Body: body });
    if (opts.messagingServiceSid) form.set('MessagingServiceSid', opts.messagingServiceSid);
    else form.set('From', opts.from ?? '');
    return callProvider(
      ctx,
      {
        url: endpoint,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization,
          'i-twilio-idempotency-token': ctx.idempotencyKey,
        },
        body: form.toString(),
      },
      (res) => {
        const a = (jsonOf(res) ?? {}) as TwilioAnswer;
        if (isOk(res.status)) return ok(a.sid);
        const message = a.message
          ? `${a.message}${a.code ? ` (${a.code})` : ''}`
          : `HTTP ${res.status}`;
        const code = a.code ? `twilio_${a.code}` : `twilio_http_${res.status}`;
        return httpFailure(res, now, {
          code,
          message,
          gone: a.code !== undefined && GONE_CODES.has(a.code),
        });
      },
    );
  }

  async function send(config: SmsConfig, m: AlertMessage, ctx: SendContext): Promise<SendResult> {
    return sendVerified(config, renderSms(m), ctx);
  }

  async function sendVerified(config: SmsConfig, body: string, ctx: SendContext) {
    if (config.verifiedPhone !== config.phone) {
      return failure(true, 'sms_unverified', 'the number has not been confirmed with a code');
    }
    return sendText(config.phone, body, ctx);
  }

  return {
    kind: 'sms',
    parseConfig(raw) {
      const c = parseWith(Stored, raw, 'phone_invalid');
      const phone = normalizePhone(c.phone);
      return { phone, verifiedPhone: c.verifiedPhone === phone ? phone : null };
    },
    configure(input, previous) {
      const phone = normalizePhone(parseWith(Input, input, 'phone_invalid').phone);
      const keep = previous?.verifiedPhone === phone;
      return {
        config: { phone, verifiedPhone: keep ? phone : null },
        resetVerification: !keep,
      };
    },
    describe: (c) =>
      `SMS to ${c.phone.slice(0, 3)}…${c.phone.slice(-3)}${c.verifiedPhone === c.phone ? '' : ' (not confirmed)'}`,
    // Twilio's send rate is per sending number (or Messaging Service), whoever receives.
    rateKey: () => `sms:${opts.messagingServiceSid ?? opts.from ?? ''}`,
    send,
    sendTest: (config, ctx) => send(config, sampleAlert(ctx.publicUrl, ctx.clock()), ctx),
    sendDigest: (config, d, ctx) => sendVerified(config, renderSmsDigest(d), ctx),
    sendText,
  };
}
