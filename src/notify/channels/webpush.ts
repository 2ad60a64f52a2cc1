/**
 * Web push (RFC 8030) with VAPID (RFC 8292) and an encrypted payload (RFC 8291, aes128gcm).
 * `web-push`'s `generateRequestDetails` builds the request (encryption, the VAPID JWT, TTL,
 * Urgency, Topic); it is sent through the product's fetcher, not web-push's own HTTP client, so
 * the SSRF guard and limits apply to push endpoints too (they are URLs a browser handed us).
 *
 * A config is one browser's subscription (a `push_subscriptions` row). 404 and 410 from the push
 * service mean the subscription is gone: the caller deletes it.
 */
import { createHash } from 'node:crypto';
import webpush from 'web-push';
import { z } from 'zod';
import { parseWith } from './config.js';
import { callProvider, failure, httpFailure, isOk, ok } from './http.js';
import {
  digestSummary,
  label,
  moreLine,
  priceLine,
  safeHttpUrl,
  sampleAlert,
  targetLine,
  titleOf,
} from './render.js';
import type { VapidKeys } from './settings.js';
import {
  ChannelConfigError,
  type AlertMessage,
  type Channel,
  type DigestMessage,
  type SendContext,
  type SendResult,
} from './types.js';

export interface WebPushConfig {
  /** The push service URL for this browser. SECRET (a capability). */
  readonly endpoint: string;
  /** base64url P-256 public key of the browser (65 bytes decoded). */
  readonly p256dh: string;
  /** base64url auth secret (16 bytes decoded). SECRET. */
  readonly auth: string;
}

export interface WebPushOptions {
  readonly vapid: VapidKeys;
  /** VAPID `sub`: a mailto: address or an https URL where the push service can reach us. */
  readonly subject: string;
  /** How long a push service keeps an undelivered alert (seconds; default 12 h). */
  readonly ttlSeconds?: number;
  /** Tests only: accept http:// endpoints (a local stand-in). Browsers only ever give https. */
  readonly allowHttpEndpoints?: boolean;
}

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** What the browser's `PushSubscription.toJSON()` gives, or our stored row. */
const SubscriptionJson = z.union([
  z.object({
    endpoint: z.string().max(2048),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: z.string().max(200), auth: z.string().max(100) }),
  }),
  z.object({
    endpoint: z.string().max(2048),
    p256dh: z.string().max(200),
    auth: z.string().max(100),
  }),
]);

function checkSubscription(raw: unknown, allowHttp: boolean): WebPushConfig {
  const s = parseWith(SubscriptionJson, raw, 'push_subscription_invalid');
  const { p256dh, auth } = 'keys' in s ? s.keys : s;
  let u: URL;
  try {
    u = new URL(s.endpoint);
  } catch (cause) {
    throw new ChannelConfigError('push_subscription_invalid', 'the endpoint is not a URL', {
      cause,
    });
  }
  if (u.protocol !== 'https:' && !(allowHttp && u.protocol === 'http:')) {
    throw new ChannelConfigError('push_subscription_invalid', 'a push endpoint must be https');
  }
  const key = B64URL.test(p256dh) ? Buffer.from(p256dh, 'base64url') : Buffer.alloc(0);
  if (key.length !== 65 || key[0] !== 4) {
    throw new ChannelConfigError(
      'push_subscription_invalid',
      'keys.p256dh is not a P-256 public key',
    );
  }
  if (!B64URL.test(auth) || Buffer.from(auth, 'base64url').length !== 16) {
    throw new ChannelConfigError('push_subscription_invalid', 'keys.auth must be 16 bytes');
  }
  return {
    endpoint: u.toString(),
    p256dh: p256dh.replace(/=+$/, ''),
    auth: auth.replace(/=+$/, ''),
  };
}

/**
 * The JSON the service worker receives and shows (ui: `self.registration.showNotification(title,
 * {body, icon, tag, data: {url}})`). Plain text: notifications render no markup.
 */
export function webPushPayload(m: AlertMessage): Record<string, unknown> {
  const target = targetLine(m);
  return {
    v: 1,
    kind: m.kind,
    notificationId: m.notificationId,
    title: `${label(m)}: ${titleOf(m, 120)}`,
    body: [priceLine(m), ...(target ? [target] : [])].join('\n'),
    url: safeHttpUrl(m.productPageUrl),
    storeUrl: safeHttpUrl(m.storeUrl),
    image: safeHttpUrl(m.imageUrl),
    // The same tag replaces the notification on the device, so a resend shows once.
    tag: m.test ? 'pricehawk-test' : `pricehawk-alert-${m.notificationId}`,
    timestamp: m.createdAt.getTime(),
  };
}

/** The daily digest as one notification: a line per alert; a tap opens the inbox. */
export function webPushDigestPayload(d: DigestMessage): Record<string, unknown> {
  const s = digestSummary(d, 4, 50);
  const more = moreLine(s);
  return {
    v: 1,
    kind: 'digest',
    digestId: d.digestId,
    title: s.title,
    body: [...s.lines, ...(more ? [more] : [])].join('\n'),
    url: safeHttpUrl(s.url),
    tag: `pricehawk-digest-${d.digestId}`,
    timestamp: d.createdAt.getTime(),
  };
}

/** RFC 8030 Topic: at most 32 base64url characters; the same key replaces a pending resend. */
export function pushTopic(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32);
}

export function createWebPushChannel(opts: WebPushOptions): Channel<WebPushConfig> {
  const allowHttp = opts.allowHttpEndpoints === true;
  const vapidDetails = {
    subject: opts.subject,
    publicKey: opts.vapid.publicKey,
    privateKey: opts.vapid.privateKey,
  };
  if (!/^(mailto:|https:\/\/)/.test(opts.subject)) {
    throw new Error('web push: the VAPID subject must be a mailto: or https: URL');
  }

  async function push(
    config: WebPushConfig,
    m: AlertMessage,
    ctx: SendContext,
  ): Promise<SendResult> {
    return pushPayload(config, webPushPayload(m), ctx);
  }

  async function pushPayload(
    config: WebPushConfig,
    payload: Record<string, unknown>,
    ctx: SendContext,
  ): Promise<SendResult> {
    const now = ctx.clock();
    let details: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      details = webpush.generateRequestDetails(
        { endpoint: config.endpoint, keys: { p256dh: config.p256dh, auth: config.auth } },
        JSON.stringify(payload),
        {
          vapidDetails,
          TTL: opts.ttlSeconds ?? 12 * 3600,
          urgency: 'normal',
          topic: pushTopic(ctx.idempotencyKey),
          contentEncoding: 'aes128gcm',
        },
      );
    } catch (err) {
      // A key the library cannot use: this subscription will never work.
      return failure(true, 'push_subscription_invalid', (err as Error).message, { gone: true });
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(details.headers)) {
      // undici sets Content-Length from the body itself.
      if (k.toLowerCase() !== 'content-length' && v !== undefined)
        headers[k.toLowerCase()] = String(v);
    }
    return callProvider(
      ctx,
      {
        url: details.endpoint,
        method: 'POST',
        headers,
        // The encrypted payload is binary: sent as its bytes, never through a text encoding.
        body: details.body ?? undefined,
      },
      (res) => {
        if (isOk(res.status)) {
          const location = res.headers.location;
          return ok(typeof location === 'string' ? location : undefined);
        }
        if (res.status === 404 || res.status === 410) {
          return httpFailure(res, now, {
            code: 'push_subscription_gone',
            message: `the push service answered ${res.status}: the subscription expired or was removed`,
            gone: true,
          });
        }
        if (res.status === 413) {
          return httpFailure(res, now, {
            code: 'push_payload_too_large',
            message: 'payload too large',
          });
        }
        return httpFailure(res, now, {
          code: res.status === 429 ? 'push_rate_limited' : `push_${res.status}`,
        });
      },
    );
  }

  return {
    kind: 'webpush',
    parseConfig: (raw) => checkSubscription(raw, allowHttp),
    configure: (input) => ({
      config: checkSubscription(input, allowHttp),
      resetVerification: false,
    }),
    describe: (c) => `Push to a browser via ${new URL(c.endpoint).host}`,
    rateKey: (c) => `webpush:${new URL(c.endpoint).origin}`,
    send: push,
    sendTest: (config, ctx) => push(config, sampleAlert(ctx.publicUrl, ctx.clock()), ctx),
    sendDigest: (config, d, ctx) => pushPayload(config, webPushDigestPayload(d), ctx),
  };
}
