/**
 * The contract every notification channel implements, and the message they all render from.
 *
 * Glossary
 * - channel: a way to reach a person (email, web push, SMS, webhook, Telegram, Discord, Slack,
 *   ntfy). A `Channel` module is stateless: configuration comes in with each call.
 * - config: one user's settings for one channel (a Telegram chat, a webhook URL and its secret).
 *   Stored in `user_channels.config` (or `push_subscriptions` for web push); may hold secrets.
 * - target: one destination an alert is sent to: a configured channel, or one browser for push.
 * - send: one attempt to hand one alert to one provider. Its result says whether trying again
 *   can help (transient) or not (permanent), and when (Retry-After).
 * - idempotency key: stable per (notification, channel); sent to every provider that accepts one
 *   so that the resend a crash can cause is recognisable as the same message.
 * - stand-in: a local server in test/standins that speaks a provider's protocol and checks it.
 */
import type { Fetcher } from '../../acquisition/fetcher.js';
import { AppError } from '../../errors.js';
import type { Money } from '../../money/index.js';

export const CHANNEL_KINDS = [
  'email',
  'webpush',
  'sms',
  'webhook',
  'telegram',
  'discord',
  'slack',
  'ntfy',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export type CurrencyDisplay = 'symbol' | 'narrowSymbol' | 'code' | 'name';
export type AlertKind = 'price_drop' | 'back_in_stock';

/** Everything a channel renders an alert from. */
export interface AlertMessage {
  readonly notificationId: number;
  readonly userId: number;
  readonly kind: AlertKind;
  readonly productId: number;
  /** Scraped from a store page: UNTRUSTED. Every renderer escapes it for its medium. */
  readonly productTitle: string | null;
  /** The product's page on Pricehawk (price history). */
  readonly productPageUrl: string;
  /** The product on the store. Scraped: renderers only link it when it is http(s). */
  readonly storeUrl: string;
  /** Scraped: renderers only show it when it is http(s). */
  readonly imageUrl: string | null;
  readonly price: Money | null;
  readonly previous: Money | null;
  readonly target: Money | null;
  /** The watch that fired (gone when the user deleted it since). */
  readonly watch: {
    readonly id: number;
    readonly priceType: 'buybox' | 'amazon' | 'new' | 'used';
    readonly rule: 'below' | 'drop_percent' | 'any_drop' | 'back_in_stock';
  } | null;
  readonly userName: string;
  readonly locale: string;
  readonly currencyDisplay: CurrencyDisplay;
  readonly createdAt: Date;
  /** A "send a test" message: rendered like an alert, marked as a test. */
  readonly test?: boolean;
}

/**
 * A day's alerts in one message (the daily digest, issue 7). Channels that send it implement
 * `sendDigest`: email lists every alert; the others send a short summary linking to the inbox.
 */
export interface DigestMessage {
  readonly digestId: number;
  readonly userId: number;
  /** The user's local day the digest is for (YYYY-MM-DD): with the user, its exactly-once key. */
  readonly localDay: string;
  readonly timeZone: string;
  /** The alerts, oldest first: all of them, or the first `DIGEST_LIST_MAX` of a long digest. */
  readonly alerts: readonly AlertMessage[];
  /** How many alerts the digest holds (more than `alerts.length` when it is long). */
  readonly total: number;
  /** The inbox on Pricehawk, where every alert is. */
  readonly inboxUrl: string;
  readonly userName: string;
  readonly locale: string;
  readonly currencyDisplay: CurrencyDisplay;
  readonly createdAt: Date;
}

export interface SendContext {
  /** The product's one outbound HTTP client; its SSRF guard applies to every channel. */
  readonly fetcher: Fetcher;
  /** Stable per (notification, channel): sent to every provider that accepts one. */
  readonly idempotencyKey: string;
  readonly clock: () => Date;
  /** Where people reach Pricehawk (links in messages). */
  readonly publicUrl: string;
}

export type SendResult =
  | { readonly ok: true; readonly providerId?: string }
  | {
      readonly ok: false;
      /** Trying again cannot help (a bad number, a revoked token, a deleted webhook). */
      readonly permanent: boolean;
      /** The provider asked us to wait this long (Retry-After, retry_after). */
      readonly retryAfterMs?: number;
      /**
       * The destination no longer exists (a push subscription that expired, a webhook answering
       * 410, a Slack channel archived, a bot the user blocked): the caller should delete the push
       * subscription or disable the channel. Implies permanent.
       */
      readonly gone?: boolean;
      /** Stable, for metrics and the UI: `http_404`, `telegram_chat_not_found`, `fetch_timeout`… */
      readonly code: string;
      /** For people and logs; never contains a secret. */
      readonly message: string;
    };

export type SendFailure = Extract<SendResult, { ok: false }>;

/** What `configure` returns: the config to store, and what changed about it. */
export interface Configured<C> {
  readonly config: C;
  /** The stored verification no longer holds (SMS: a different number): clear verified_at. */
  readonly resetVerification: boolean;
  /** Shown to the user once, in the answer to this change (a newly generated webhook secret). */
  readonly reveal?: Readonly<Record<string, string>>;
}

export interface Channel<C> {
  readonly kind: ChannelKind;
  /**
   * Validates a stored config (a `user_channels.config` value, or a push subscription row).
   * Throws ChannelConfigError with a stable code.
   */
  parseConfig(raw: unknown): C;
  /**
   * From what a user sends (PUT me/channels/{kind}) and what is stored (or null), the config to
   * store. Keeps server-side values the user does not send (a webhook's secret, a verified
   * number). Throws ChannelConfigError with a stable code and a message that says what to fix.
   */
  configure(input: unknown, previous: C | null): Configured<C>;
  /** A summary for the UI with no secret in it ("Telegram chat 12345 via bot 67890"). */
  describe(config: C): string;
  /**
   * What the provider counts requests by (a chat, a webhook, a sending number, a server): the key
   * of the per-destination limit in `rateLimits`. Never a secret.
   */
  rateKey(config: C): string;
  /** One attempt. Never throws for an expected outcome: failures are results. */
  send(config: C, message: AlertMessage, ctx: SendContext): Promise<SendResult>;
  /** "Send a test": a sample alert, marked as a test. */
  sendTest(config: C, ctx: SendContext): Promise<SendResult>;
  /** One attempt at a daily digest. A channel without it gets no digest delivery. */
  sendDigest?(config: C, digest: DigestMessage, ctx: SendContext): Promise<SendResult>;
}

export type ChannelConfigErrorCode =
  | 'channel_config_invalid'
  | 'channel_url_invalid'
  | 'channel_url_scheme'
  | 'channel_url_private'
  | 'phone_invalid'
  | 'email_invalid'
  | 'push_subscription_invalid'
  | 'channel_unavailable';

/** A config a channel cannot use; 400 with a stable code and a message that says what to fix. */
export class ChannelConfigError extends AppError {
  constructor(
    override readonly code: ChannelConfigErrorCode,
    message: string,
    options?: { cause?: unknown; details?: unknown },
  ) {
    super(code, message, 400, options);
  }
}
