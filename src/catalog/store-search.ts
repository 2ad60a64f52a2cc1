/**
 * Searching the marketplaces themselves: Amazon's search result pages (`/s?k=…`) and the demo
 * store's, which share Amazon's markup and so its extractor. Every request goes through the one
 * fetcher (SSRF guard, per-host politeness, captcha cool-down).
 *
 * A store search never fails the search as a whole: a captcha, an error page, a refused or slow
 * request become a status next to the results of the other sources. Each search is bounded in
 * time, including the wait for the fetcher's per-host slot. Successful answers are cached for a
 * few minutes so that a popular query does not become one store request per keystroke.
 */
import { FetchError, type Fetcher, type FetchResult } from '../acquisition/fetcher.js';
import { demoMarketplaces } from '../demo-store/index.js';
import type { Money } from '../money/index.js';
import type { Logger } from '../observability/logger.js';
import { classifyNonProductPage } from '../stores/amazon/blocked.js';
import { extractAmazonSearch } from '../stores/amazon/search.js';
import { marketplaceById, type StoreRegistry } from '../stores/index.js';

export interface StoreHit {
  readonly store: 'amazon' | 'demo';
  readonly marketplace: string;
  readonly asin: string;
  /** The canonical product URL, as POST /products takes it. */
  readonly url: string;
  readonly title: string | null;
  readonly imageUrl: string | null;
  readonly price: Money | null;
  readonly sponsored: boolean;
}

export type SourceStatus = 'ok' | 'blocked' | 'error' | 'timeout' | 'skipped';

export interface StoreSearchOutcome {
  readonly marketplace: string;
  readonly status: SourceStatus;
  readonly hits: readonly StoreHit[];
  /** Why a source gave nothing, for people (never a stack trace). */
  readonly message?: string;
  readonly cached?: boolean;
}

export interface StoreSearcher {
  /** Marketplaces searched when the caller names none. */
  defaultMarketplaces(): readonly string[];
  /** Whether `marketplace` has a search page this searcher can read. */
  searchable(marketplace: string): boolean;
  search(marketplace: string, q: string, limit: number): Promise<StoreSearchOutcome>;
}

export interface StoreSearcherOptions {
  readonly fetcher: Fetcher;
  readonly stores: StoreRegistry;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** The demo store's base URL when one runs. */
  readonly demoBaseUrl?: string | undefined;
  /** Time for one store search, queueing included (default 4 s). */
  readonly timeoutMs?: number;
  /** Default: the demo store's marketplaces when it runs, else amazon.com. */
  readonly defaultMarketplaces?: readonly string[];
  /** Where a marketplace's search page is (tests point Amazon at a stand-in). */
  readonly amazonSearchUrl?: (host: string, q: string) => string;
  readonly cacheTtlMs?: number;
  readonly cacheEntries?: number;
}

const DEFAULT_TIMEOUT_MS = 4000;

export function createStoreSearcher(opts: StoreSearcherOptions): StoreSearcher {
  const log = opts.logger.child({ component: 'store-search' });
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const demoBase = opts.demoBaseUrl?.replace(/\/$/, '');
  const ttl = opts.cacheTtlMs ?? 5 * 60_000;
  const maxEntries = opts.cacheEntries ?? 500;
  const cache = new Map<string, { at: number; hits: readonly StoreHit[] }>();
  const amazonUrl =
    opts.amazonSearchUrl ?? ((host, q) => `https://${host}/s?k=${encodeURIComponent(q)}`);

  const demoFor = (marketplace: string) =>
    demoBase ? demoMarketplaces.find((m) => m.id === marketplace) : undefined;

  function plan(
    marketplace: string,
    q: string,
  ):
    | {
        url: string;
        headers: Record<string, string>;
        extractAs: string;
        store: 'amazon' | 'demo';
      }
    | undefined {
    const demo = demoFor(marketplace);
    if (demo && demoBase) {
      return {
        url: `${demoBase}/s?k=${encodeURIComponent(q)}&mp=${encodeURIComponent(demo.code)}`,
        headers: { 'accept-language': demo.locale },
        extractAs: demo.amazonMarketplace,
        store: 'demo',
      };
    }
    const m = marketplaceById(marketplace);
    if (!m) return undefined;
    return {
      url: amazonUrl(m.host, q),
      headers: { 'accept-language': m.acceptLanguage },
      extractAs: m.id,
      store: 'amazon',
    };
  }

  function productUrl(marketplace: string, asin: string, seen: string): string {
    const found = opts.stores.identify(asin, { marketplace });
    return found.kind === 'product' ? found.identity.url : seen;
  }

  async function fetchAndRead(
    marketplace: string,
    q: string,
    limit: number,
  ): Promise<StoreSearchOutcome> {
    const p = plan(marketplace, q);
    if (!p) {
      return { marketplace, status: 'skipped', hits: [], message: 'no search for this store' };
    }
    let res: FetchResult;
    try {
      res = await opts.fetcher.fetch({
        url: p.url,
        headers: p.headers,
        timeoutMs,
        maxBytes: 6 * 1024 * 1024,
      });
    } catch (err) {
      if (err instanceof FetchError && err.code === 'fetch_cooling_down') {
        return { marketplace, status: 'blocked', hits: [], message: 'the store is refusing us' };
      }
      if (err instanceof FetchError && err.code === 'fetch_timeout') {
        return { marketplace, status: 'timeout', hits: [], message: 'the store did not answer' };
      }
      log.warn({ err, marketplace }, 'store search failed');
      return { marketplace, status: 'error', hits: [], message: 'the store could not be reached' };
    }
    if (res.status === 429 || res.status === 503) {
      opts.fetcher.report(res, 'blocked');
      return {
        marketplace,
        status: 'blocked',
        hits: [],
        message: `the store answered ${res.status}`,
      };
    }
    if (res.status !== 200) {
      return {
        marketplace,
        status: 'error',
        hits: [],
        message: `the store answered ${res.status}`,
      };
    }
    const page = extractAmazonSearch(res.body, { url: res.url, marketplace: p.extractAs });
    if (page.results.length === 0) {
      const kind = classifyNonProductPage(res.body);
      if (kind === 'captcha' || kind === 'blocked') {
        opts.fetcher.report(res, 'blocked');
        return {
          marketplace,
          status: 'blocked',
          hits: [],
          message: 'the store asked for a captcha',
        };
      }
      if (kind === 'error') {
        return {
          marketplace,
          status: 'error',
          hits: [],
          message: 'the store showed an error page',
        };
      }
    } else {
      opts.fetcher.report(res, 'ok');
    }
    const seen = new Set<string>();
    const hits: StoreHit[] = [];
    // Organic results first; a sponsored tile repeats an organic one as often as not.
    const ordered = [
      ...page.results.filter((r) => !r.sponsored),
      ...page.results.filter((r) => r.sponsored),
    ];
    for (const r of ordered) {
      if (seen.has(r.asin) || hits.length >= limit) continue;
      seen.add(r.asin);
      hits.push({
        store: p.store,
        marketplace,
        asin: r.asin,
        url: productUrl(marketplace, r.asin, r.url),
        title: r.title,
        imageUrl: r.imageUrl,
        price: r.price,
        sponsored: r.sponsored,
      });
    }
    return { marketplace, status: 'ok', hits };
  }

  return {
    defaultMarketplaces() {
      if (opts.defaultMarketplaces) return opts.defaultMarketplaces;
      return demoBase ? demoMarketplaces.map((m) => m.id) : ['amazon.com'];
    },
    searchable(marketplace) {
      return demoFor(marketplace) !== undefined || marketplaceById(marketplace) !== undefined;
    },
    async search(marketplace, q, limit) {
      const key = `${marketplace}\n${q.trim().toLowerCase().replace(/\s+/g, ' ')}`;
      const now = opts.clock().getTime();
      const hit = cache.get(key);
      if (hit && now - hit.at < ttl) {
        return { marketplace, status: 'ok', hits: hit.hits.slice(0, limit), cached: true };
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<StoreSearchOutcome>((resolve) => {
        timer = setTimeout(
          () =>
            resolve({
              marketplace,
              status: 'timeout',
              hits: [],
              message: `no answer within ${timeoutMs} ms`,
            }),
          timeoutMs,
        );
      });
      // The fetch is not cancelled on timeout (the fetcher has no abort); its own time limit ends
      // it, and a late answer still fills the cache for the next search.
      const work = fetchAndRead(marketplace, q, Math.max(limit, 24)).then(
        (out) => {
          if (out.status === 'ok') {
            cache.delete(key);
            cache.set(key, { at: opts.clock().getTime(), hits: out.hits });
            if (cache.size > maxEntries) {
              const oldest = cache.keys().next().value;
              if (oldest !== undefined) cache.delete(oldest);
            }
          }
          return out;
        },
        (err: unknown): StoreSearchOutcome => {
          log.error({ err, marketplace }, 'store search page could not be read');
          return {
            marketplace,
            status: 'error',
            hits: [],
            message: 'the store page could not be read',
          };
        },
      );
      try {
        const out = await Promise.race([work, timeout]);
        return out.status === 'ok' ? { ...out, hits: out.hits.slice(0, limit) } : out;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
