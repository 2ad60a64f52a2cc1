/**
 * The demo store's HTTP server, on node:http directly: the product page path is a map lookup, a
 * state check and a write of pre-compressed buffers, so one core serves thousands of ~1 MB pages a
 * second. Everything else (search, wishlists, admin, images) is small and rendered per request.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.js';
import { handleAdmin, sendError, sendJson } from './admin.js';
import type { CatalogueItem } from './catalogue.js';
import { DEFAULT_PRODUCT_COUNT } from './catalogue.js';
import { DEFAULT_SLOW_MS, RETRY_AFTER_SECONDS, drawFault, type Fault } from './faults.js';
import { demoMarketplaceByCode, demoMarketplaces } from './marketplaces.js';
import { stateKey } from './moves.js';
import {
  bodyLength,
  DEFAULT_PAGE_CACHE_BYTES,
  PageCache,
  type Body,
  type Encoding,
  type PageCacheStats,
  type RenderedPage,
} from './page-cache.js';
import { hexId } from './render/filler.js';
import { placeholderSvg, productImageSvg } from './render/image.js';
import { captchaPage, errorPage, notFoundPage, rateLimitPage } from './render/interstitials.js';
import { renderProductPageParts } from './render/product-page.js';
import { renderHomePage, renderSearchPage } from './render/search-page.js';
import { renderWishlistPage } from './render/wishlist-page.js';
import { DemoStoreState, type DemoProduct, type PriceMoves, type ProductChange } from './store.js';
import {
  matchProductPath,
  matchRegistryWishlistPath,
  matchShortLinkPath,
  matchWishlistPath,
} from './urls.js';
import type { FaultRates } from './faults.js';
import type { Wishlist } from './wishlists.js';

/** Any pino-like logger. */
export interface DemoStoreLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface DemoStoreOptions {
  /** Seed of the catalogue, page filler, price moves and fault draws (default 1). */
  readonly seed?: number;
  /**
   * Number of products (default 240), spread over the five marketplaces; up to 10,000,000. Products
   * are derived from their index on demand, so a big store starts as fast as a small one.
   */
  readonly productCount?: number;
  /**
   * Byte budget of the rendered-page cache (default 64 MiB): least recently used pages are
   * dropped beyond it. A cached gzip page costs ~30 KB, so the default holds ~2,000 pages.
   */
  readonly pageCacheBytes?: number;
  /** Milliseconds clock that drives price moves (default Date.now); tests pass a fake. */
  readonly clock?: () => number;
  /** Moving prices: off by default; the CLI turns them on. */
  readonly priceMoves?: PriceMoves;
  readonly logger?: DemoStoreLogger;
}

export interface DemoStore {
  /** Starts serving; resolves with the base URL ("http://127.0.0.1:3001"). */
  listen(port: number, host?: string): Promise<{ url: string }>;
  close(): Promise<void>;
  /** Base URL once listening, else null. */
  readonly url: string | null;
  readonly productCount: number;
  /** Every product. Materialises the whole catalogue: use `productsPage` on big stores. */
  products(): DemoProduct[];
  /** Products [offset, offset + limit), of one marketplace ("de") when given, and the total. */
  productsPage(
    offset: number,
    limit: number,
    mp?: string,
  ): { readonly total: number; readonly items: DemoProduct[] };
  product(asin: string): DemoProduct | undefined;
  /** In-stock products whose price falls within `ticks` ticks, soonest first (see the store). */
  dropsSoon(ticks: number, limit: number): DemoProduct[];
  wishlists(): readonly Wishlist[];
  /** Moves the store clock `ticks` ticks ahead; returns the new tick. */
  tick(ticks: number): number;
  cacheStats(): PageCacheStats;
  /** Sets price/availability at once and pins the product (throws AppError on bad input). */
  setProduct(asin: string, change: ProductChange): DemoProduct;
  unpin(asin: string): DemoProduct;
  setProductFault(asin: string, fault: Fault | null): DemoProduct;
  setFaults(rates: Partial<FaultRates>): FaultRates;
  setPriceMoves(moves: Partial<PriceMoves>): PriceMoves;
  reset(): void;
  search(query: string, mp?: string): DemoProduct[];
  /** The request handler, to mount the store inside another node:http server. */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void;
}

const HTML = 'text/html;charset=UTF-8';
const NO_LOGGER: DemoStoreLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Accept-Encoding → the encoding we send. Clients send few distinct headers: memoised. */
const encodingMemo = new Map<string, Encoding>();

export function chooseEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  let enc = encodingMemo.get(header);
  if (enc) return enc;
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q=([0-9.]+)\s*$/.exec(p);
      if (m?.[1]) weight = Number(m[1]);
    }
    if (name) q.set(name.trim(), weight);
  }
  const star = q.get('*');
  const weightOf = (name: string): number => q.get(name) ?? star ?? 0;
  // Gzip wins a tie: its bodies are assembled from pre-compressed shared pieces, so a cached page
  // costs ~30 KB of cache in gzip against ~130 KB in brotli, which is made per page.
  const br = weightOf('br');
  const gz = Math.max(weightOf('gzip'), q.get('x-gzip') ?? 0);
  enc = gz > 0 && gz >= br ? 'gzip' : br > 0 ? 'br' : 'identity';
  if (encodingMemo.size < 256) encodingMemo.set(header, enc);
  return enc;
}

/** Products the home page lists; a bigger catalogue is browsed through the admin API. */
const HOME_PAGE_PRODUCTS = 1_000;

const HOST_RE = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function createDemoStore(opts: DemoStoreOptions = {}): DemoStore {
  const logger = opts.logger ?? NO_LOGGER;
  const store = new DemoStoreState({
    seed: opts.seed ?? 1,
    productCount: opts.productCount ?? DEFAULT_PRODUCT_COUNT,
    clock: opts.clock ?? Date.now,
    priceMoves: opts.priceMoves ?? { enabled: false, speed: 1 },
  });
  const cache = new PageCache(opts.pageCacheBytes ?? DEFAULT_PAGE_CACHE_BYTES);
  const timers = new Set<NodeJS.Timeout>();
  let server: http.Server | null = null;
  let baseUrl: string | null = null;
  let served = 0;

  const originOf = (req: IncomingMessage): string => {
    const host = req.headers.host;
    if (host && HOST_RE.test(host)) return `http://${host}`;
    return baseUrl ?? 'http://127.0.0.1';
  };

  const later = (ms: number, res: ServerResponse, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!res.destroyed) fn();
    }, ms);
    timers.add(t);
  };

  const sendHtml = (
    res: ServerResponse,
    status: number,
    html: string,
    extra: Record<string, string> = {},
  ): void => {
    const body = Buffer.from(html, 'utf8');
    res.writeHead(status, {
      'content-type': HTML,
      'content-length': body.length,
      'cache-control': 'no-cache',
      ...extra,
    });
    res.end(body);
  };

  /** Serves the product page (or the fault standing in for it). */
  const servePage = (
    req: IncomingMessage,
    res: ServerResponse,
    item: CatalogueItem,
    fault: Fault | null,
  ): void => {
    const mp = item.marketplace;
    if (fault === 'captcha') {
      sendHtml(res, 200, captchaPage(mp, req.url ?? '/', hexId(store.faultRng, 16)));
      return;
    }
    if (fault === 'error') {
      sendHtml(res, 503, errorPage());
      return;
    }
    if (fault === 'rate_limit') {
      sendHtml(res, 429, rateLimitPage(RETRY_AFTER_SECONDS), {
        'retry-after': String(RETRY_AFTER_SECONDS),
      });
      return;
    }
    const origin = originOf(req);
    const state = store.stateOf(item);
    const key = stateKey(state);
    const encoding = chooseEncoding(req.headers['accept-encoding']);
    const write = (page: RenderedPage, body: Body): void => {
      served++;
      const length = bodyLength(body);
      const headers: http.OutgoingHttpHeaders = {
        'content-type': HTML,
        'content-length': length,
        'cache-control': 'no-cache',
        vary: 'Accept-Encoding',
        etag: page.etag,
      };
      if (encoding !== 'identity') headers['content-encoding'] = encoding;
      if (fault === 'truncate') {
        res.writeHead(200, headers);
        // Half the body, then a dead connection: what a dropped download looks like to a client.
        const half = Buffer.concat(Buffer.isBuffer(body) ? [body] : body).subarray(0, length >> 1);
        res.write(half, () => res.destroy());
        return;
      }
      if (req.headers['if-none-match'] === page.etag) {
        res.writeHead(304, { etag: page.etag, vary: 'Accept-Encoding' });
        res.end();
        return;
      }
      res.writeHead(200, headers);
      if (Buffer.isBuffer(body)) {
        res.end(body);
        return;
      }
      // The gzip pieces, mostly shared by every page, go out as they are in one writev.
      res.cork();
      for (const part of body as readonly Buffer[]) res.write(part);
      res.uncork();
      res.end();
    };
    const page = cache.get(item.asin, origin, key);
    const ready = page ? cache.ready(page, encoding) : null;
    if (page && ready) {
      write(page, ready);
      return;
    }
    const render = (): Buffer[] =>
      renderProductPageParts({ item, state, origin, neighbours: store.neighboursOf(item) });
    const go = async (): Promise<void> => {
      const p = page ?? (await cache.render(item.asin, origin, key, render));
      write(p, await cache.body(p, encoding));
    };
    go().catch((err: unknown) => fail(res, err));
  };

  const fail = (res: ServerResponse, err: unknown): void => {
    if (err instanceof AppError) {
      if (!res.headersSent) sendError(res, err);
      return;
    }
    logger.error({ err }, 'demo store request failed');
    if (!res.headersSent) {
      sendError(res, new AppError('internal', 'internal error in the demo store', 500));
    } else res.destroy();
  };

  /** Decides the fault of a page request and applies delays. */
  const withFaults = (
    res: ServerResponse,
    asin: string | null,
    serve: (fault: Fault | null) => void,
  ): void => {
    const productFault = asin ? store.productFault(asin) : null;
    let fault: Fault | null = productFault;
    if (!fault && store.anyFaultRate) fault = drawFault(store.faultRates, store.faultRng.next());
    // Store-wide throttling shows up both ways: 429, or 503 with Retry-After.
    if (fault === 'rate_limit' && !productFault && store.faultRng.chance(0.5)) {
      sendHtml(res, 503, errorPage(), { 'retry-after': String(RETRY_AFTER_SECONDS) });
      return;
    }
    const rates = store.faultRates;
    const delay = productFault === 'slow' ? rates.slowMs || DEFAULT_SLOW_MS : rates.slowMs;
    const run = (): void => serve(fault === 'slow' ? null : fault);
    if (delay > 0) later(delay, res, run);
    else run();
  };

  const handleProduct = (
    req: IncomingMessage,
    res: ServerResponse,
    mpCode: string | null,
    asin: string,
  ): void => {
    const item = store.item(asin);
    if (!item || (mpCode !== null && item.marketplace.code !== mpCode)) {
      sendHtml(res, 404, notFoundPage());
      return;
    }
    withFaults(res, asin, (fault) => servePage(req, res, item, fault));
  };

  const handleSearch = (
    req: IncomingMessage,
    res: ServerResponse,
    query: URLSearchParams,
  ): void => {
    const k = query.get('k') ?? query.get('field-keywords') ?? '';
    const mpCode = query.get('mp') ?? undefined;
    const mp = (mpCode && demoMarketplaceByCode(mpCode)) || demoMarketplaces[0];
    if (!mp) throw new Error('no marketplaces');
    serveSmallPage(req, res, mp, () => {
      const results = store.search(k, mpCode).map((item) => ({ item, state: store.stateOf(item) }));
      return renderSearchPage(k, results, originOf(req), mp);
    });
  };

  /** A page rendered per request (search, wishlist), with the page faults applied. */
  const serveSmallPage = (
    req: IncomingMessage,
    res: ServerResponse,
    mp: (typeof demoMarketplaces)[number],
    render: () => string,
  ): void => {
    withFaults(res, null, (fault) => {
      if (fault === 'captcha')
        return sendHtml(res, 200, captchaPage(mp, req.url ?? '/', hexId(store.faultRng, 16)));
      if (fault === 'error') return sendHtml(res, 503, errorPage());
      if (fault === 'rate_limit') {
        return sendHtml(res, 429, rateLimitPage(RETRY_AFTER_SECONDS), {
          'retry-after': String(RETRY_AFTER_SECONDS),
        });
      }
      const html = render();
      if (fault === 'truncate') {
        const body = Buffer.from(html);
        res.writeHead(200, { 'content-type': HTML, 'content-length': body.length });
        res.write(body.subarray(0, body.length >> 1), () => res.destroy());
        return;
      }
      sendHtml(res, 200, html);
    });
  };

  const handleWishlist = (
    req: IncomingMessage,
    res: ServerResponse,
    mpCode: string | null,
    id: string,
  ): void => {
    const list = store.wishlist(id);
    if (!list || (mpCode !== null && list.marketplace.code !== mpCode)) {
      sendHtml(res, 404, notFoundPage());
      return;
    }
    serveSmallPage(req, res, list.marketplace, () =>
      renderWishlistPage(
        list,
        list.entries.map((entry) => ({ entry, state: store.stateOf(entry.item) })),
        originOf(req),
      ),
    );
  };

  const redirect = (res: ServerResponse, location: string): void => {
    res.writeHead(301, { location, 'content-length': 0, 'cache-control': 'no-cache' });
    res.end();
  };

  const handleAdminRequest = (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): void => {
    handleAdmin(
      store,
      {
        req,
        method: req.method ?? 'GET',
        path: path.slice('/_admin'.length),
        query,
        origin: originOf(req),
      },
      { extraState: () => ({ cache: cache.stats(), pagesServed: served, url: baseUrl }) },
    )
      .then((answer) => sendJson(res, 200, answer.body, answer.headers))
      .catch((err: unknown) => fail(res, err));
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      const url = req.url ?? '/';
      const qi = url.indexOf('?');
      const path = qi < 0 ? url : url.slice(0, qi);
      const method = req.method ?? 'GET';
      if (path.startsWith('/_admin/')) {
        handleAdminRequest(req, res, path, new URLSearchParams(qi < 0 ? '' : url.slice(qi + 1)));
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        sendError(res, new AppError('method_not_allowed', `${method} not allowed`, 405));
        return;
      }
      const route = matchProductPath(path);
      if (route) {
        handleProduct(req, res, route.mpCode, route.asin);
        return;
      }
      const code = matchShortLinkPath(path);
      if (code) {
        const item = store.itemByShortCode(code);
        if (!item) sendHtml(res, 404, notFoundPage());
        else
          redirect(
            res,
            `${originOf(req)}/${item.marketplace.code}/dp/${item.asin}?ref_=sl_${code}`,
          );
        return;
      }
      const wishlist = matchWishlistPath(path);
      if (wishlist) {
        handleWishlist(req, res, wishlist.mpCode, wishlist.id);
        return;
      }
      const registry = matchRegistryWishlistPath(path);
      if (registry) {
        redirect(res, `${originOf(req)}/hz/wishlist/ls/${registry}`);
        return;
      }
      const query = new URLSearchParams(qi < 0 ? '' : url.slice(qi + 1));
      serveOther(req, res, path, query);
    } catch (err) {
      fail(res, err);
    }
  };

  const serveOther = (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: URLSearchParams,
  ): void => {
    // `/s?k=…` and the older `/s/ref=nb_sb_noss?…`; short links were matched before.
    if (path === '/s' || path.startsWith('/s/')) return handleSearch(req, res, query);
    if (path === '/' || path === '/index.html') {
      const shown = store.catalogue.slice(0, HOME_PAGE_PRODUCTS);
      const listed = shown.map((item) => ({ item, state: store.stateOf(item) }));
      return sendHtml(
        res,
        200,
        renderHomePage(listed, demoMarketplaces, store.productCount, store.wishlists()),
      );
    }
    if (path === '/healthz') return sendJson(res, 200, { ok: true });
    const img = /^\/images\/([A-Za-z0-9_-]{1,40})\.svg$/.exec(path);
    if (img) {
      const item = store.item(img[1] ?? '');
      const svg = Buffer.from(item ? productImageSvg(item) : placeholderSvg(img[1] ?? ''));
      res.writeHead(200, {
        'content-type': 'image/svg+xml',
        'content-length': svg.length,
        'cache-control': 'public, max-age=86400',
      });
      res.end(svg);
      return;
    }
    if (path === '/errors/validateCaptcha') {
      // The robot check's "Continue shopping" returns to the page that was asked for.
      const back = query.get('amzn-r') ?? '/';
      const location = back.startsWith('/') && !back.startsWith('//') ? back : '/';
      res.writeHead(302, { location, 'content-length': 0 });
      res.end();
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    sendHtml(res, 404, notFoundPage());
  };

  return {
    handler,
    get url() {
      return baseUrl;
    },
    async listen(port: number, host = '127.0.0.1') {
      if (server) throw new Error('demo store is already listening');
      const s = http.createServer({ keepAliveTimeout: 65_000 }, handler);
      server = s;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      const addr = s.address() as AddressInfo;
      const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      baseUrl = `http://${h}:${addr.port}`;
      logger.info({ url: baseUrl, products: store.productCount }, 'demo store listening');
      return { url: baseUrl };
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const s = server;
      server = null;
      baseUrl = null;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
      cache.clear();
    },
    get productCount() {
      return store.productCount;
    },
    products: () => store.products(),
    productsPage: (offset, limit, mp) => store.productsPage(offset, limit, mp),
    dropsSoon: (ticks, limit) => store.dropsSoon(ticks, limit),
    wishlists: () => store.wishlists(),
    tick: (ticks) => store.advanceClock(ticks),
    cacheStats: () => cache.stats(),
    product: (asin) => {
      const item = store.item(asin);
      return item ? store.view(item) : undefined;
    },
    setProduct: (asin, change) => store.setProduct(asin, change),
    unpin: (asin) => store.unpin(asin),
    setProductFault: (asin, fault) => store.setProductFault(asin, fault),
    setFaults: (rates) => store.setFaultRates(rates),
    setPriceMoves: (moves) => store.setPriceMoves(moves),
    reset: () => store.reset(),
    search: (query, mp) => store.search(query, mp).map((i) => store.view(i)),
  };
}
