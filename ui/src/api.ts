/**
 * The Pricehawk JSON API as the browser sees it. Types mirror the server's contract
 * (src/web/presenters.ts); money stays a decimal string with its currency from end to end.
 */

export interface Money {
  readonly amount: string;
  readonly currency: string;
}

export type PriceType = 'buybox' | 'amazon' | 'new' | 'used';
export type Availability = 'in_stock' | 'out_of_stock' | 'preorder' | 'unknown';
export type ProductState = 'active' | 'stale' | 'blocked' | 'gone';

/**
 * A daily digest instead of an alert at each drop: alerts reach the inbox at once, and every
 * channel gets one message a day at `hour` (0–23, the user's time zone).
 */
export interface DigestPref {
  readonly enabled: boolean;
  readonly hour: number;
}

export interface NotificationPrefs {
  readonly channels: { readonly email: { readonly enabled: boolean } };
  /** Local times ("22:00" to "07:00") in the user's time zone; alerts wait until they end. */
  readonly quietHours: { readonly start: string; readonly end: string } | null;
  /** Always in answers; a change that leaves it out keeps it. */
  readonly digest: DigestPref;
}

export type CurrencyDisplay = 'symbol' | 'narrowSymbol' | 'code' | 'name';

export interface User {
  readonly id: number;
  readonly email: string;
  /** Alerts are emailed only to a confirmed address. */
  readonly emailVerified: boolean;
  readonly name: string;
  /** An IANA zone such as "Europe/Berlin". */
  readonly timeZone: string;
  /** A BCP 47 tag such as "de-DE". */
  readonly locale: string;
  /** An ISO 4217 code, or null for each price's own currency. */
  /** How prices are written: € (symbol), EUR (code), euros (name). */
  readonly currencyDisplay: CurrencyDisplay;
  readonly notificationPrefs: NotificationPrefs;
  readonly createdAt: string;
}

export interface ProfileChange {
  readonly name?: string;
  readonly timeZone?: string;
  readonly locale?: string;
  readonly currencyDisplay?: CurrencyDisplay;
  readonly notificationPrefs?: Omit<NotificationPrefs, 'digest'> & { readonly digest?: DigestPref };
}

/** One logged-in browser or device. */
export interface AccountSession {
  readonly id: number;
  /** "Firefox on Linux", read from the user agent at log-in. */
  readonly device: string;
  readonly ip: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string;
  /** The session making this request. */
  readonly current: boolean;
}

export type TokenScope = 'read' | 'write';

export interface ApiToken {
  readonly id: number;
  readonly name: string;
  readonly scope: TokenScope;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface Product {
  readonly id: number;
  readonly store: string;
  readonly marketplace: string;
  readonly externalId: string;
  readonly url: string;
  readonly title: string | null;
  readonly imageUrl: string | null;
  readonly currency: string | null;
  /** The buy-box price: what a shopper pays today. */
  readonly price: Money | null;
  readonly listPrice: Money | null;
  readonly availability: Availability;
  readonly state: ProductState;
  readonly lastCheckedAt: string | null;
  readonly lastChangedAt: string | null;
  readonly watching: boolean;
}

export interface PricePoint {
  readonly priceType: PriceType;
  readonly at: string;
  /** null: the product could not be bought at that time. */
  readonly price: Money | null;
}

export type Rule =
  | { readonly type: 'below'; readonly price: Money }
  | { readonly type: 'drop_percent'; readonly percent: number; readonly baseline: Money | null }
  | { readonly type: 'any_drop' }
  | { readonly type: 'back_in_stock' };

export type WatchStatus = 'armed' | 'fired' | 'stale' | 'blocked' | 'paused';

export interface Watch {
  readonly id: number;
  readonly productId: number;
  readonly priceType: PriceType;
  readonly rule: Rule;
  readonly status: WatchStatus;
  readonly createdAt: string;
  readonly lastNotifiedAt: string | null;
  readonly product: Product;
}

export interface Notification {
  readonly id: number;
  readonly kind: 'price_drop' | 'back_in_stock';
  readonly productId: number;
  readonly productTitle: string | null;
  readonly watchId: number | null;
  readonly priceType: string;
  readonly price: Money | null;
  readonly previousPrice: Money | null;
  readonly createdAt: string;
  readonly readAt: string | null;
}

/** One page of the inbox, newest first; `unread` counts every unread alert, not just this page. */
export interface NotificationPage {
  readonly notifications: Notification[];
  readonly unread: number;
}

export interface NotificationQuery {
  readonly limit?: number;
  /** Only alerts older than this id: the next page. */
  readonly before?: number;
  readonly unreadOnly?: boolean;
}

/** Where alerts can go, in the server's order (src/notify/channels/types.ts CHANNEL_KINDS). */
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

/** A channel the user has (email always). Settings never come back: only a summary. */
export interface Channel {
  readonly kind: ChannelKind;
  readonly enabled: boolean;
  /** false only for an SMS number not yet confirmed with a code (email: address unconfirmed). */
  readonly verified: boolean;
  /** "Telegram chat 4242 via bot 123456789", "2 devices", the email address. */
  readonly summary: string | null;
  /** The last permanent failure ("telegram_403: bot was blocked"), until the settings change. */
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
}

export interface ChannelsOverview {
  /** What this server can send through; SMS only when the operator configured Twilio. */
  readonly available: ChannelKind[];
  /** base64url P-256 public key for PushManager.subscribe. */
  readonly vapidPublicKey: string;
  readonly channels: Channel[];
}

export type ChannelTestResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly code?: string;
      readonly message?: string;
      /** true: retrying will not help (a wrong URL, a blocked bot). */
      readonly permanent?: boolean;
    };

/** One browser subscribed to web push. */
export interface PushDevice {
  readonly id: number;
  /** The push service's host (fcm.googleapis.com, updates.push.services.mozilla.com, …). */
  readonly host: string;
  readonly userAgent: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

export interface MailMessage {
  readonly id: number;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  readonly createdAt: string;
}

export interface DemoProduct {
  readonly asin: string;
  readonly marketplace: string;
  readonly url: string;
  readonly title: string;
  readonly price: Money | null;
  readonly imageUrl: string;
}

export interface DemoStore {
  readonly enabled: boolean;
  readonly products: readonly DemoProduct[];
}

export interface Marketplace {
  readonly id: string;
  readonly store: string;
  readonly name: string;
  readonly currency: string;
  readonly host: string;
}

/** A 4xx/5xx from the API, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** From a 429's retry-after header: how long until the next attempt may succeed. */
  retryAfterSeconds: number | null = null;

  constructor(status: number, code: string, message: string, details?: unknown, cause?: unknown) {
    super(message, { cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let onUnauthenticated: () => void = () => {};

/** Who to tell when the session has ended (any 401 outside the log-in forms). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  /** false for calls where 401 is an answer, not an expired session (log in, who am I). */
  readonly redirectOn401?: boolean;
}

async function send(
  method: Method,
  path: string,
  body: unknown,
  options: RequestOptions,
): Promise<Response> {
  const init: RequestInit = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  };
  if (method !== 'GET') {
    // The API only accepts JSON bodies on state changes: that is half of its CSRF defence.
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body ?? {});
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, init);
  } catch (cause) {
    throw new ApiError(
      0,
      'network',
      'Cannot reach Pricehawk. Check your connection.',
      undefined,
      cause,
    );
  }
  if (res.ok) return res;
  const payload: unknown = await res.json().catch(() => null);
  const err = readError(res.status, payload);
  const retryAfter = Number(res.headers.get('retry-after'));
  if (res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) {
    err.retryAfterSeconds = retryAfter;
  }
  if (res.status === 401 && options.redirectOn401 !== false) onUnauthenticated();
  throw err;
}

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const res = await send(method, path, body, options);
  if (res.status === 204) return undefined as T;
  return (await res.json().catch(() => null)) as T;
}

/** The file name from a content-disposition header (`attachment; filename="x.json"`). */
function attachmentName(header: string | null, fallback: string): string {
  const m = header ? /filename="?([^";]+)"?/i.exec(header) : null;
  return m?.[1]?.trim() || fallback;
}

function readError(status: number, payload: unknown): ApiError {
  if (typeof payload === 'object' && payload !== null && 'error' in payload) {
    const e: unknown = payload.error;
    if (typeof e === 'object' && e !== null) {
      const code = 'code' in e && typeof e.code === 'string' ? e.code : 'error';
      const message =
        'message' in e && typeof e.message === 'string' ? e.message : `Request failed (${status})`;
      return new ApiError(status, code, message, 'details' in e ? e.details : undefined);
    }
  }
  return new ApiError(
    status,
    'error',
    status >= 500 ? 'Something went wrong on our side. Try again.' : `Request failed (${status})`,
  );
}

export const api = {
  me: () => request<{ user: User }>('GET', '/me', undefined, { redirectOn401: false }),
  signup: (input: {
    name: string;
    email: string;
    password: string;
    timeZone?: string;
    locale?: string;
  }) => request<{ user: User }>('POST', '/auth/signup', input, { redirectOn401: false }),
  login: (input: { email: string; password: string }) =>
    request<{ user: User }>('POST', '/auth/login', input, { redirectOn401: false }),
  logout: () => request<undefined>('POST', '/auth/logout', {}, { redirectOn401: false }),

  // The emailed links open in whatever browser the mail app picks, logged in or not: none of these
  // treats a 401 as an ended session.
  verifyEmail: (token: string) =>
    request<{ user: User }>('POST', '/auth/verify-email', { token }, { redirectOn401: false }),
  resendVerification: () => request<{ sent: boolean }>('POST', '/auth/verify-email/resend', {}),
  requestPasswordReset: (email: string) =>
    request<{ message: string }>(
      'POST',
      '/auth/password-reset',
      { email },
      { redirectOn401: false },
    ),
  resetPassword: (token: string, password: string) =>
    request<{ user: User }>(
      'POST',
      '/auth/password-reset/confirm',
      { token, password },
      { redirectOn401: false },
    ),
  confirmEmailChange: (token: string) =>
    request<{ user: User }>('POST', '/auth/confirm-email', { token }, { redirectOn401: false }),

  updateMe: (change: ProfileChange) => request<{ user: User }>('PATCH', '/me', change),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<undefined>('POST', '/me/password', { currentPassword, newPassword }),
  changeEmail: (email: string, password: string) =>
    request<{ message: string }>('POST', '/me/email', { email, password }),
  deleteAccount: (password: string) => request<undefined>('DELETE', '/me', { password }),
  exportData: async (): Promise<{ blob: Blob; filename: string }> => {
    const res = await send('GET', '/me/export', undefined, {});
    return {
      blob: await res.blob(),
      filename: attachmentName(res.headers.get('content-disposition'), 'pricehawk-export.json'),
    };
  },
  sessions: () => request<{ sessions: AccountSession[] }>('GET', '/me/sessions'),
  endSession: (id: number) => request<undefined>('DELETE', `/me/sessions/${id}`, {}),
  endAllSessions: () => request<undefined>('DELETE', '/me/sessions', {}),
  tokens: () => request<{ tokens: ApiToken[] }>('GET', '/me/tokens'),
  createToken: (name: string, scope: TokenScope) =>
    request<{ token: string; apiToken: ApiToken }>('POST', '/me/tokens', { name, scope }),
  revokeToken: (id: number) => request<undefined>('DELETE', `/me/tokens/${id}`, {}),

  addProduct: (url: string, marketplace?: string) =>
    request<{ product: Product }>(
      'POST',
      '/products',
      marketplace ? { url, marketplace } : { url },
    ),
  product: (id: number) =>
    request<{ product: Product; history: PricePoint[] }>('GET', `/products/${id}`),
  checkProduct: (id: number) => request<{ queued: true }>('POST', `/products/${id}/check`, {}),

  watches: () => request<{ watches: Watch[] }>('GET', '/watches'),
  createWatch: (productId: number, targetPrice: string) =>
    request<{ watch: Watch }>('POST', '/watches', {
      productId,
      priceType: 'buybox',
      rule: { type: 'below', price: targetPrice },
    }),
  deleteWatch: (id: number) => request<undefined>('DELETE', `/watches/${id}`, {}),

  notifications: (q: NotificationQuery = {}) => {
    const params = new URLSearchParams();
    if (q.limit !== undefined) params.set('limit', String(q.limit));
    if (q.before !== undefined) params.set('before', String(q.before));
    if (q.unreadOnly) params.set('unread', 'true');
    const query = params.toString();
    return request<NotificationPage>('GET', `/notifications${query ? `?${query}` : ''}`);
  },
  markNotification: (id: number, read: boolean) =>
    request<{ notification: Notification }>('POST', `/notifications/${id}/read`, { read }),
  markAllNotificationsRead: () =>
    request<{ marked: number }>('POST', '/notifications/read-all', {}),

  channels: () => request<ChannelsOverview>('GET', '/me/channels'),
  /** `config` as the channel takes it (see the route's OpenAPI description); `reveal` once. */
  saveChannel: (kind: ChannelKind, change: { config?: unknown; enabled?: boolean }) =>
    request<{ channel: Channel; reveal?: Record<string, string> }>(
      'PUT',
      `/me/channels/${kind}`,
      change,
    ),
  removeChannel: (kind: Exclude<ChannelKind, 'email'>) =>
    request<undefined>('DELETE', `/me/channels/${kind}`, {}),
  testChannel: (kind: ChannelKind) =>
    request<ChannelTestResult>('POST', `/me/channels/${kind}/test`, {}),
  sendPhoneCode: (phone: string) =>
    request<{ phone: string; expiresAt: string }>('POST', '/me/channels/sms/verification', {
      phone,
    }),
  confirmPhoneCode: (code: string) =>
    request<{ channel: Channel }>('POST', '/me/channels/sms/verification/confirm', { code }),
  pushDevices: () => request<{ subscriptions: PushDevice[] }>('GET', '/me/push-subscriptions'),
  addPushDevice: (subscription: PushSubscriptionJSON) =>
    request<{ subscription: PushDevice }>('POST', '/me/push-subscriptions', subscription),
  removePushDevice: (which: { id: number } | { endpoint: string }) =>
    request<undefined>('DELETE', '/me/push-subscriptions', which),

  mailbox: () => request<{ messages: MailMessage[] }>('GET', '/mailbox'),
  demoStore: () => request<DemoStore>('GET', '/demo-store'),
  marketplaces: () => request<{ marketplaces: Marketplace[] }>('GET', '/marketplaces'),
};

/** "in 3 minutes", "in 40 seconds": how long a rate limit still holds. */
export function waitText(seconds: number): string {
  if (seconds < 60) return `in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
  const hours = Math.ceil(minutes / 60);
  return `in ${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

/** The server's messages are written as clauses ("wrong email or password"); show sentences. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return 'Something went wrong.';
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited') {
      return err.retryAfterSeconds
        ? `Too many attempts. Try again ${waitText(err.retryAfterSeconds)}.`
        : 'Too many attempts. Try again later.';
    }
    return sentence(err.message);
  }
  if (err instanceof Error) return sentence(err.message);
  return 'Something went wrong.';
}
