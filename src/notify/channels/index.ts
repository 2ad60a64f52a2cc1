/**
 * Notification channels: the registry the notifier and the API use, the rate limits the delivery
 * engine should apply per channel, and the public surface of this folder.
 */
import { failure } from './http.js';
import { createDiscordChannel, type DiscordOptions } from './discord.js';
import { createEmailChannel, type EmailChannelOptions } from './email.js';
import { createNtfyChannel, type NtfyOptions } from './ntfy.js';
import { createSlackChannel, type SlackOptions } from './slack.js';
import { createSmsChannel, type SmsOptions, type SmsSender } from './sms.js';
import { createTelegramChannel, type TelegramOptions } from './telegram.js';
import {
  CHANNEL_KINDS,
  ChannelConfigError,
  type AlertMessage,
  type Channel,
  type ChannelKind,
  type DigestMessage,
  type SendContext,
  type SendResult,
} from './types.js';
import { createWebhookChannel } from './webhook.js';
import { createWebPushChannel, type WebPushOptions } from './webpush.js';

export * from './types.js';
export { sampleAlert } from './render.js';
export { createDiscordChannel, parseDiscordUrl, type DiscordConfig } from './discord.js';
export {
  createEmailChannel,
  renderDigestEmailChannel,
  renderEmailChannel,
  type EmailConfig,
} from './email.js';
export { createNtfyChannel, parseNtfyUrl, type NtfyConfig } from './ntfy.js';
export { createSlackChannel, parseSlackUrl, type SlackConfig } from './slack.js';
export { createSmsChannel, normalizePhone, type SmsConfig, type SmsSender } from './sms.js';
export { createTelegramChannel, parseTelegramUrl, type TelegramConfig } from './telegram.js';
export {
  createWebhookChannel,
  generateWebhookSecret,
  signWebhook,
  webhookPayload,
  type WebhookConfig,
} from './webhook.js';
export { createWebPushChannel, type WebPushConfig } from './webpush.js';
export {
  PHONE_CODE_MAX_ATTEMPTS,
  PHONE_CODE_TTL_MS,
  confirmPhoneVerification,
  startPhoneVerification,
  type ConfirmResult,
  type StartResult,
} from './phone-verification.js';
export {
  channelKey,
  loadOrCreateChannelSecret,
  loadOrCreateVapidKeys,
  type VapidKeys,
} from './settings.js';
export { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from './unsubscribe.js';
export * from './store.js';

export interface ChannelRegistryOptions {
  /** Without it there is no email channel (the notifier's own email path still works). */
  readonly email?: EmailChannelOptions;
  /** Twilio account; without it SMS is unavailable (and hidden in the UI). */
  readonly sms?: SmsOptions;
  /** VAPID keys and subject; without them web push is unavailable. */
  readonly webpush?: WebPushOptions;
  readonly telegram?: TelegramOptions;
  readonly discord?: DiscordOptions;
  readonly slack?: SlackOptions;
  readonly ntfy?: NtfyOptions;
}

export interface ChannelRegistry {
  /** The channel of that kind, or undefined when the operator has not configured it. */
  channelByKind(kind: ChannelKind): Channel<unknown> | undefined;
  /** The kinds this instance can send through, in CHANNEL_KINDS order. */
  readonly available: readonly ChannelKind[];
  /** The SMS sender (verification codes), when SMS is configured. */
  readonly sms: SmsSender | undefined;
}

/** Built once in main() from the config; no channel holds a connection or a timer. */
export function createChannelRegistry(opts: ChannelRegistryOptions): ChannelRegistry {
  const sms = opts.sms ? createSmsChannel(opts.sms) : undefined;
  const channels: Partial<Record<ChannelKind, Channel<unknown>>> = {
    ...(opts.email ? { email: createEmailChannel(opts.email) } : {}),
    ...(opts.webpush ? { webpush: createWebPushChannel(opts.webpush) } : {}),
    ...(sms ? { sms } : {}),
    webhook: createWebhookChannel(),
    telegram: createTelegramChannel(opts.telegram),
    discord: createDiscordChannel(opts.discord),
    slack: createSlackChannel(opts.slack),
    ntfy: createNtfyChannel(opts.ntfy),
  };
  return {
    channelByKind: (kind) => channels[kind],
    available: CHANNEL_KINDS.filter((k) => channels[k] !== undefined),
    sms,
  };
}

/** The kind behind a deliveries.channel value ('telegram', 'webpush:17'), if it is one. */
export function kindOfDeliveryChannel(channel: string): ChannelKind | undefined {
  const kind = channel.split(':', 1)[0] ?? '';
  return (CHANNEL_KINDS as readonly string[]).includes(kind) ? (kind as ChannelKind) : undefined;
}

/**
 * One attempt for the notifier: parses the stored config and sends. Never throws: an unusable
 * config is a permanent failure, an unavailable channel a permanent one too, a bug a transient
 * one (logged by the caller from `message`).
 */
export async function sendAlert(
  registry: ChannelRegistry,
  kind: ChannelKind,
  rawConfig: unknown,
  message: AlertMessage,
  ctx: SendContext,
): Promise<SendResult> {
  const channel = registry.channelByKind(kind);
  if (!channel) return failure(true, 'channel_unavailable', `${kind} is not configured here`);
  let config: unknown;
  try {
    config = channel.parseConfig(rawConfig);
  } catch (err) {
    if (err instanceof ChannelConfigError) return failure(true, err.code, err.message);
    throw err;
  }
  try {
    return await channel.send(config, message, ctx);
  } catch (err) {
    return failure(false, 'channel_error', err instanceof Error ? err.message : String(err));
  }
}

/** The kinds this instance can send a daily digest through. */
export function digestKinds(registry: ChannelRegistry): ChannelKind[] {
  return registry.available.filter((k) => registry.channelByKind(k)?.sendDigest !== undefined);
}

/** One attempt at a digest, for the notifier; never throws, like `sendAlert`. */
export async function sendDigest(
  registry: ChannelRegistry,
  kind: ChannelKind,
  rawConfig: unknown,
  digest: DigestMessage,
  ctx: SendContext,
): Promise<SendResult> {
  const channel = registry.channelByKind(kind);
  if (!channel?.sendDigest) {
    return failure(true, 'channel_unavailable', `${kind} cannot send a digest here`);
  }
  let config: unknown;
  try {
    config = channel.parseConfig(rawConfig);
  } catch (err) {
    if (err instanceof ChannelConfigError) return failure(true, err.code, err.message);
    throw err;
  }
  try {
    return await channel.sendDigest(config, digest, ctx);
  } catch (err) {
    return failure(false, 'channel_error', err instanceof Error ? err.message : String(err));
  }
}

/**
 * Defaults for the delivery engine, per channel:
 * - `concurrency`: sends in flight at once for this channel in one worker process (our choice);
 * - `perKey`: at most `requests` per `perMs` (a token bucket holding `burst`, default `requests`)
 *   for each `channel.rateKey(config)`: a chat, a webhook, a sending number, a server — where the
 *   provider counts. Keys of different users never share a bucket unless they share the
 *   provider-side resource (one operator's Twilio number, one public ntfy server).
 * Providers answer 429 with a wait when we exceed them anyway (every channel returns it as
 * `retryAfterMs`); these numbers keep that rare. `estimate` marks numbers no provider publishes.
 */
export interface ChannelRateLimit {
  readonly concurrency: number;
  readonly perKey?: { readonly requests: number; readonly perMs: number; readonly burst?: number };
  /** What the key is, and any coarser limit to know about. */
  readonly note: string;
  readonly source: string;
  readonly estimate: boolean;
}

export const rateLimits: Readonly<Record<ChannelKind, ChannelRateLimit>> = {
  email: {
    concurrency: 4,
    note: 'one key for all mail: the SMTP relay (SES, Postmark, …) sets the real quota',
    source: 'mailer.ts keeps a pool of 4 SMTP connections',
    estimate: true,
  },
  webpush: {
    concurrency: 16,
    perKey: { requests: 50, perMs: 1000 },
    note: 'per push service origin (fcm.googleapis.com, updates.push.services.mozilla.com, …)',
    source:
      'FCM, Mozilla autopush and Apple publish no per-sender rate for web push; they answer 429 with Retry-After',
    estimate: true,
  },
  sms: {
    concurrency: 4,
    perKey: { requests: 1, perMs: 1000 },
    note: 'per sending number (TWILIO_FROM) or Messaging Service; a short code or a number pool allows more, so make it configurable',
    source:
      'Twilio error 21611: a US long code sends 1 message segment per second, a short code 100+; Twilio queues the excess for up to 10 hours. Error 20429: too many concurrent REST requests per account (no number published)',
    estimate: false,
  },
  webhook: {
    concurrency: 32,
    perKey: { requests: 5, perMs: 1000, burst: 10 },
    note: 'per host of the webhook URL',
    source: 'our own politeness toward endpoints people run themselves',
    estimate: true,
  },
  telegram: {
    concurrency: 8,
    perKey: { requests: 1, perMs: 1000, burst: 3 },
    note: 'per (bot, chat); a group takes at most 20 per minute; one bot at most ~30/s in all (use 25/s if the operator shares one bot: with tgram:// URLs each user brings their own)',
    source:
      'Telegram Bot FAQ, "My bot is hitting limits": 1 message/s per chat (short bursts tolerated), 20/min per group, about 30 messages/s in bulk',
    estimate: false,
  },
  discord: {
    concurrency: 8,
    perKey: { requests: 5, perMs: 2000 },
    note: 'per webhook; also 30 per minute per channel, and webhooks of one server were seen sharing a bucket',
    source:
      'discord/discord-api-docs#367 (Discord staff: webhook execution is 5 per 2 s; 30/60 s per channel); #6753 (shared X-RateLimit-Bucket)',
    estimate: false,
  },
  slack: {
    concurrency: 8,
    perKey: { requests: 1, perMs: 1000, burst: 3 },
    note: 'per incoming webhook',
    source:
      'Slack "Rate limits" page: incoming webhooks / posting messages, 1 per second, short bursts allowed',
    estimate: false,
  },
  ntfy: {
    concurrency: 4,
    perKey: { requests: 1, perMs: 5000, burst: 60 },
    note: 'per server (and account): every anonymous Pricehawk user is one visitor, our IP, to a public server; ntfy.sh also caps anonymous messages per day',
    source:
      'ntfy server config: visitor-request-limit-burst 60, visitor-request-limit-replenish 5s by default, per visitor (IP or user)',
    estimate: false,
  },
};

/**
 * A per-host request rate for the notify fetcher's `hostRateFor` (the fetcher's default, 2/s per
 * host, is for store pages and would throttle every Telegram or Discord alert of the instance).
 * Per-destination limits are the delivery engine's job; this is the ceiling per provider host.
 */
export function notifyHostRate(host: string): number | undefined {
  const h = host.toLowerCase();
  if (h === 'api.telegram.org') return 25;
  if (h === 'discord.com' || h === 'discordapp.com') return 50;
  if (h === 'hooks.slack.com') return 50;
  if (h === 'api.twilio.com') return 20;
  if (h === 'ntfy.sh') return 0.2;
  if (
    h === 'fcm.googleapis.com' ||
    h.endsWith('.push.services.mozilla.com') ||
    h.endsWith('.push.apple.com') ||
    h.endsWith('.notify.windows.com')
  ) {
    return 100;
  }
  return undefined;
}
