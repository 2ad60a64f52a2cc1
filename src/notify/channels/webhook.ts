/**
 * Webhooks: a signed JSON POST to a URL the user chose, per the Standard Webhooks convention
 * (https://www.standardwebhooks.com): `webhook-id` (our idempotency key, the same on every
 * attempt), `webhook-timestamp` (seconds, of this attempt) and `webhook-signature`
 * (`v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` under the user's `whsec_` secret).
 * The payload is documented in docs/webhooks.md.
 *
 * The URL is the user's: the fetcher's SSRF guard refuses private and loopback addresses (checked
 * after DNS resolution, and again on every redirect), and such a refusal is permanent.
 */
import { createHmac, randomBytes } from 'node:crypto';
import net from 'node:net';
import { z } from 'zod';
import { isPrivateAddress } from '../../acquisition/ssrf.js';
import { toDecimal, type Money } from '../../money/index.js';
import { parseWith } from './config.js';
import { callProvider, httpFailure, isOk, ok } from './http.js';
import { sampleAlert, titleOf } from './render.js';
import {
  ChannelConfigError,
  type AlertMessage,
  type Channel,
  type DigestMessage,
  type SendContext,
  type SendResult,
} from './types.js';

export interface WebhookConfig {
  readonly url: string;
  /** `whsec_` + base64 of 32 random bytes. SECRET. */
  readonly secret: string;
}

const SECRET_RE = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

const Stored = z.object({
  url: z.string(),
  secret: z.string().regex(SECRET_RE, 'expected a whsec_ secret'),
});
const Input = z.object({
  url: z.string().max(2000),
  /** Ask for a new secret (the old one stops working at once). */
  rotateSecret: z.boolean().optional(),
});

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The Standard Webhooks signature header value for one attempt. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

function checkUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch (cause) {
    throw new ChannelConfigError('channel_url_invalid', 'expected a URL like https://…', {
      cause,
    });
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new ChannelConfigError('channel_url_scheme', 'a webhook URL must start with https://');
  }
  if (u.username || u.password) {
    throw new ChannelConfigError(
      'channel_url_invalid',
      'put no user name or password in the URL; verify our signature instead',
    );
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || (net.isIP(host) !== 0 && isPrivateAddress(host))) {
    throw new ChannelConfigError(
      'channel_url_private',
      'a webhook must go to a public address, not a private or loopback one',
    );
  }
  u.hash = '';
  return u.toString();
}

const amount = (m: Money | null) => (m ? toDecimal(m) : null);

/** One alert as the payloads carry it. */
function alertData(m: AlertMessage, publicUrl: string) {
  return {
    notification_id: String(m.notificationId),
    kind: m.kind,
    product: {
      id: String(m.productId),
      title: m.productTitle === null ? null : titleOf(m, 500),
      url: m.storeUrl,
      image_url: m.imageUrl,
    },
    price: amount(m.price),
    previous_price: amount(m.previous),
    target_price: amount(m.target),
    watch: m.watch
      ? { id: String(m.watch.id), price_type: m.watch.priceType, rule: m.watch.rule }
      : null,
    links: {
      product: m.productPageUrl,
      store: m.storeUrl,
      settings: `${publicUrl.replace(/\/+$/, '')}/settings`,
    },
    created_at: m.createdAt.toISOString(),
  };
}

/** The documented payload (docs/webhooks.md). Ids are strings, amounts decimal strings. */
export function webhookPayload(m: AlertMessage, publicUrl: string): Record<string, unknown> {
  const data = alertData(m, publicUrl);
  return {
    type: m.test
      ? 'webhook.test'
      : m.kind === 'back_in_stock'
        ? 'product.back_in_stock'
        : 'price.dropped',
    timestamp: m.createdAt.toISOString(),
    data,
  };
}

/**
 * A daily digest (docs/webhooks.md): every alert it gathered (the first DIGEST_LIST_MAX of a long
 * one), each as in the single-alert payload.
 */
export function webhookDigestPayload(d: DigestMessage, publicUrl: string): Record<string, unknown> {
  return {
    type: 'alerts.digest',
    timestamp: d.createdAt.toISOString(),
    data: {
      digest_id: String(d.digestId),
      local_day: d.localDay,
      time_zone: d.timeZone,
      total: d.total,
      alerts: d.alerts.map((m) => alertData(m, publicUrl)),
      links: { inbox: d.inboxUrl, settings: `${publicUrl.replace(/\/+$/, '')}/settings` },
    },
  };
}

async function post(config: WebhookConfig, m: AlertMessage, ctx: SendContext): Promise<SendResult> {
  return postJson(config, webhookPayload(m, ctx.publicUrl), ctx);
}

async function postJson(
  config: WebhookConfig,
  payload: Record<string, unknown>,
  ctx: SendContext,
): Promise<SendResult> {
  const body = JSON.stringify(payload);
  const now = ctx.clock();
  const timestamp = Math.floor(now.getTime() / 1000);
  // The spec allows [a-zA-Z0-9_-] style ids; keep ours to that so every verifier accepts it.
  const id = ctx.idempotencyKey.replace(/[^A-Za-z0-9_.-]/g, '_');
  return callProvider(
    ctx,
    {
      url: config.url,
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(config.secret, id, timestamp, body),
      },
    },
    (res) => {
      if (isOk(res.status)) return ok();
      // 410 Gone is the convention for "stop sending here".
      if (res.status === 410) {
        return httpFailure(res, now, {
          code: 'webhook_gone',
          message: 'the endpoint answered 410 Gone',
          gone: true,
        });
      }
      if (res.status >= 300 && res.status < 400) {
        return httpFailure(res, now, {
          code: 'webhook_redirect',
          message: `the endpoint answered ${res.status} without a usable redirect`,
        });
      }
      return httpFailure(res, now);
    },
  );
}

export function createWebhookChannel(): Channel<WebhookConfig> {
  return {
    kind: 'webhook',
    parseConfig(raw) {
      const c = parseWith(Stored, raw);
      return { url: checkUrl(c.url), secret: c.secret };
    },
    configure(input, previous) {
      const i = parseWith(Input, input);
      const url = checkUrl(i.url);
      const fresh = !previous || i.rotateSecret === true;
      const secret = fresh ? generateWebhookSecret() : previous.secret;
      return {
        config: { url, secret },
        resetVerification: false,
        ...(fresh ? { reveal: { secret } } : {}),
      };
    },
    describe(config) {
      const u = new URL(config.url);
      // Paths often carry tokens: show the origin only.
      return `Webhook to ${u.origin}${u.pathname === '/' ? '/' : '/…'}`;
    },
    rateKey: (config) => `webhook:${new URL(config.url).host}`,
    send: post,
    sendTest(config, ctx) {
      return post(config, sampleAlert(ctx.publicUrl, ctx.clock()), ctx);
    },
    sendDigest: (config, d, ctx) => postJson(config, webhookDigestPayload(d, ctx.publicUrl), ctx),
  };
}
