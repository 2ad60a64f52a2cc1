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

export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly createdAt: string;
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

export type WatchStatus = 'armed' | 'fired' | 'paused';

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
  readonly price: Money | null;
  readonly previousPrice: Money | null;
  readonly createdAt: string;
  readonly readAt: string | null;
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

interface RequestOptions {
  /** false for calls where 401 is an answer, not an expired session (log in, who am I). */
  readonly redirectOn401?: boolean;
}

async function request<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
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
  if (res.status === 204) return undefined as T;
  const payload: unknown = await res.json().catch(() => null);
  if (res.ok) return payload as T;
  const err = readError(res.status, payload);
  if (res.status === 401 && options.redirectOn401 !== false) onUnauthenticated();
  throw err;
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
  signup: (input: { name: string; email: string; password: string }) =>
    request<{ user: User }>('POST', '/auth/signup', input, { redirectOn401: false }),
  login: (input: { email: string; password: string }) =>
    request<{ user: User }>('POST', '/auth/login', input, { redirectOn401: false }),
  logout: () => request<undefined>('POST', '/auth/logout', {}, { redirectOn401: false }),

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

  notifications: () => request<{ notifications: Notification[] }>('GET', '/notifications'),
  mailbox: () => request<{ messages: MailMessage[] }>('GET', '/mailbox'),
  demoStore: () => request<DemoStore>('GET', '/demo-store'),
  marketplaces: () => request<{ marketplaces: Marketplace[] }>('GET', '/marketplaces'),
};

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
