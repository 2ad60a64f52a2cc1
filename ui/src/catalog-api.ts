/**
 * The catalogue side of the API: search, price history and statistics, deals, the full watch
 * rules (edit, pause, import, export) and feeds. Types mirror src/web/routes/{search,products,
 * deals,watches,feeds}.ts; money stays a decimal string with its currency.
 */
import { request, type Money, type PriceType, type Product, type Watch } from './api';

export const PRICE_TYPES: readonly PriceType[] = ['buybox', 'amazon', 'new', 'used'];

/** How people read each price type (the feeds and charts use the same words). */
export const PRICE_TYPE_LABEL: Readonly<Record<PriceType, string>> = {
  buybox: 'Buy box',
  amazon: 'Sold by Amazon',
  new: 'New (third-party)',
  used: 'Used',
};

/** A product as the API sends it, with every price type's current price. */
export interface CatalogProduct extends Product {
  readonly prices: Readonly<Record<PriceType, Money | null>>;
}

export type SearchSourceName = 'local' | 'store';

/** The body of POST /products that adds (or finds) a search result. */
export type AddBody =
  { readonly marketplace: string; readonly asin: string } | { readonly url: string };

export interface SearchResult {
  /** marketplace:externalId, unique in one answer. */
  readonly key: string;
  readonly store: string;
  readonly marketplace: string;
  readonly externalId: string;
  readonly asin: string | null;
  readonly url: string;
  readonly title: string | null;
  readonly imageUrl: string | null;
  readonly price: Money | null;
  readonly inCatalogue: boolean;
  /** Set when the catalogue has the product. */
  readonly productId: number | null;
  readonly watchers: number | null;
  readonly foundIn: readonly SearchSourceName[];
  readonly score: number | null;
  readonly sponsored: boolean;
  readonly add: AddBody;
}

export interface SearchSourceStatus {
  readonly source: SearchSourceName;
  /** null for the local catalogue across marketplaces. */
  readonly marketplace: string | null;
  readonly status: 'ok' | 'blocked' | 'error' | 'timeout' | 'skipped';
  readonly count: number;
  readonly message?: string;
  readonly cached?: boolean;
}

export interface SearchAnswer {
  readonly query: { readonly q: string; readonly marketplace: string | null };
  readonly results: readonly SearchResult[];
  readonly sources: readonly SearchSourceStatus[];
}

export interface PriceWindow {
  readonly lowest: Money | null;
  readonly highest: Money | null;
  /** Time-weighted over the moments the price was known. */
  readonly average: Money | null;
  readonly changes: number;
}

export interface PriceStats {
  readonly priceType: PriceType;
  readonly currency: string;
  /** null: not available now. */
  readonly current: Money | null;
  readonly currentSince: string | null;
  readonly previous: Money | null;
  /** previous − current: positive when the price fell, negative when it rose. */
  readonly dropFromPrevious: Money | null;
  /** One decimal, truncated. */
  readonly dropPercent: number | null;
  /** Within 5% of the lowest ever, with at least five weeks of history. */
  readonly goodDeal: boolean;
  readonly firstSeen: string | null;
  readonly historyDays: number;
  readonly windows: {
    readonly d30: PriceWindow;
    readonly d90: PriceWindow;
    readonly d365: PriceWindow;
    readonly all: PriceWindow;
  };
}

export interface HistorySeries {
  readonly priceType: PriceType;
  readonly currency: string;
  readonly total: number;
  readonly downsampled: boolean;
  readonly points: ReadonlyArray<{ readonly at: string; readonly price: Money | null }>;
}

export interface PriceHistory {
  readonly productId: number;
  readonly from: string;
  readonly to: string;
  readonly series: readonly HistorySeries[];
  readonly stats: readonly PriceStats[];
}

export interface HistoryQuery {
  readonly priceType?: PriceType;
  /** ISO instant; default the first point. */
  readonly from?: string;
  readonly points?: number;
}

export interface PriceDrop {
  readonly product: CatalogProduct;
  readonly priceType: PriceType;
  /** The price when the window opened. */
  readonly before: Money;
  /** The price now. */
  readonly after: Money;
  readonly drop: Money;
  readonly dropPercent: number;
  readonly changedAt: string;
}

export interface PopularProduct extends CatalogProduct {
  readonly watchers: number;
}

export interface Deals {
  readonly window: string;
  readonly since: string;
  readonly generatedAt: string;
  /** The currency `byAmount` ranks in. */
  readonly currency: string;
  readonly drops: {
    readonly byPercent: readonly PriceDrop[];
    readonly byAmount: readonly PriceDrop[];
  };
  readonly popular: readonly PopularProduct[];
}

/** A watch as GET /watches describes it in full. */
export interface WatchDetail extends Watch {
  readonly paused: boolean;
  /** The product's current price of this watch's price type. */
  readonly currentPrice: Money | null;
  /** The highest price at which the rule holds (below: the target; drop_percent: baseline less it). */
  readonly target: Money | null;
  readonly updatedAt: string;
  readonly lastNotifiedPrice: Money | null;
  readonly product: CatalogProduct;
}

/** A rule as the API takes it: a `below` price is a decimal in the product's currency. */
export type RuleInput =
  | { readonly type: 'below'; readonly price: string }
  | { readonly type: 'drop_percent'; readonly percent: number }
  | { readonly type: 'any_drop' }
  | { readonly type: 'back_in_stock' };

export interface WatchChange {
  readonly rule?: RuleInput;
  readonly priceType?: PriceType;
  readonly paused?: boolean;
}

export interface ImportItem {
  /** Position of the input in the request. */
  readonly index: number;
  readonly input: string;
  readonly status: 'created' | 'exists' | 'failed';
  readonly watchId?: number;
  readonly productId?: number;
  readonly title?: string | null;
  /** An earlier input of this request names the same product. */
  readonly duplicateOf?: number;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface ImportAnswer {
  readonly results: readonly ImportItem[];
  readonly summary: { readonly created: number; readonly exists: number; readonly failed: number };
  readonly wishlist?: {
    readonly url: string;
    readonly name: string | null;
    readonly items: number;
    readonly truncated: boolean;
  };
}

export type ImportSource = { readonly urls: readonly string[] } | { readonly wishlistUrl: string };

export interface AlertFeed {
  /** Secret: anyone with it can read the alerts. */
  readonly url: string;
  readonly createdAt: string;
}

function query(params: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const catalogApi = {
  /** The product with its current price of every price type. */
  product: (id: number) => request<{ product: CatalogProduct }>('GET', `/products/${id}`),
  search: (q: string, marketplace?: string, limit = 20) =>
    request<SearchAnswer>('GET', `/search${query({ q, marketplace, limit })}`),
  /** Adds (or finds) a product from a search result; 200 and 201 both answer with it. */
  addProduct: (body: AddBody) => request<{ product: CatalogProduct }>('POST', '/products', body),
  history: (productId: number, q: HistoryQuery = {}) =>
    request<PriceHistory>('GET', `/products/${productId}/history${query({ ...q })}`),
  deals: (window = '24h', limit = 20) => request<Deals>('GET', `/deals${query({ window, limit })}`),

  watches: () => request<{ watches: WatchDetail[]; total: number }>('GET', '/watches'),
  createWatch: (productId: number, priceType: PriceType, rule: RuleInput) =>
    request<{ watch: WatchDetail }>('POST', '/watches', { productId, priceType, rule }),
  updateWatch: (id: number, change: WatchChange) =>
    request<{ watch: WatchDetail }>('PATCH', `/watches/${id}`, change),
  deleteWatch: (id: number) => request<undefined>('DELETE', `/watches/${id}`, {}),
  importWatches: (source: ImportSource, rule: RuleInput, priceType: PriceType) =>
    request<ImportAnswer>('POST', '/watches/import', { ...source, rule, priceType }),

  alertFeed: () => request<AlertFeed>('GET', '/me/feed'),
  rotateAlertFeed: () => request<AlertFeed>('POST', '/me/feed/rotate', {}),
};

/** Plain links, outside the JSON API: the browser downloads or shows them itself. */
export const links = {
  exportCsv: '/api/v1/watches/export.csv',
  productFeed: (id: number) => `/feeds/products/${id}.xml`,
  productChart: (id: number, priceType: PriceType = 'buybox', days = 90) =>
    `/charts/products/${id}.svg${query({ priceType: priceType === 'buybox' ? undefined : priceType, days: days === 90 ? undefined : days })}`,
};
