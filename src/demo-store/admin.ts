/**
 * The admin API under /_admin, for tests and people driving the demo:
 *
 *   GET    /_admin/products[?mp=de][&offset=0&limit=100]
 *                                            products (asin, marketplace, url, shortUrl, title,
 *                                            price, currency, listPrice, priceRange, availability,
 *                                            layout, expected, category, …) as a JSON array; the
 *                                            total is in X-Total-Count, the next page in Link
 *   GET    /_admin/products/{ASIN}
 *   PUT    /_admin/products/{ASIN}           {"price": "12.34" | null, "availability": "in_stock" |
 *                                             "out_of_stock"}: at once, and pins the product
 *   DELETE /_admin/products/{ASIN}/pin       back to moving prices
 *   PUT    /_admin/products/{ASIN}/fault     {"fault": "captcha" | "error" | "slow" | "truncate" |
 *                                             "rate_limit" | null}
 *   PUT    /_admin/faults                    {captchaRate?, errorRate?, slowMs?, truncateRate?,
 *                                             rateLimitRate?}
 *   PUT    /_admin/clock                     {speed?, priceMoves?}
 *   POST   /_admin/tick                      {"ticks": n}: the store clock jumps n ticks ahead
 *   GET    /_admin/wishlists[?mp=de]         wishlists: id, marketplace, name, url, asins
 *   GET    /_admin/wishlists/{ID}            one wishlist with its products as above
 *   GET    /_admin/state                     seed, product count, clock, faults, pins, page cache
 *   POST   /_admin/reset                     no pins, no faults
 *   GET    /_admin/search?k=…[&mp=de]        search results as JSON
 *
 * `GET /_admin/products` stays a plain array so that callers of the small default store read it
 * as they always have. Without `offset`/`limit` it lists the whole catalogue up to
 * MAX_PAGE_SIZE (10,000) products; a bigger catalogue is read page by page: `X-Total-Count` has
 * the total and `Link: <…>; rel="next"` the next page, as long as there is one.
 *
 * Errors are `{"error": {"code", "message"}}` with a 4xx status; prices are decimal strings.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { minorToDecimal, type Money } from '../money/index.js';
import { FAULTS } from './faults.js';
import type { ExpectedReading } from './layouts.js';
import type { DemoProduct, DemoStoreState } from './store.js';
import type { Wishlist } from './wishlists.js';

/** Most products one `GET /_admin/products` lists. */
export const MAX_PAGE_SIZE = 10_000;

const MAX_BODY_BYTES = 64 * 1024;

const productChange = z
  .object({
    price: z.union([z.string(), z.null()]).optional(),
    availability: z.enum(['in_stock', 'out_of_stock']).optional(),
  })
  .strict()
  .refine((v) => v.price !== undefined || v.availability !== undefined, {
    message: 'give price and/or availability',
  });

const rate = z.number().min(0).max(1);
const faultRates = z
  .object({
    captchaRate: rate.optional(),
    errorRate: rate.optional(),
    slowMs: z.number().int().min(0).max(120_000).optional(),
    truncateRate: rate.optional(),
    rateLimitRate: rate.optional(),
  })
  .strict();

const productFault = z.object({ fault: z.union([z.enum(FAULTS), z.null()]) }).strict();

const clockChange = z
  .object({
    speed: z.number().min(0).max(100_000).optional(),
    priceMoves: z.boolean().optional(),
  })
  .strict();

const tickChange = z.object({ ticks: z.number().int().min(1).max(1_000_000) }).strict();

/** Which error code a schema failure gets: the field that failed names it. */
const FIELD_CODES: Readonly<Record<string, string>> = {
  price: 'invalid_price',
  availability: 'invalid_availability',
  fault: 'invalid_fault',
  speed: 'invalid_speed',
  priceMoves: 'invalid_speed',
  ticks: 'invalid_ticks',
  slowMs: 'invalid_rate',
  captchaRate: 'invalid_rate',
  errorRate: 'invalid_rate',
  truncateRate: 'invalid_rate',
  rateLimitRate: 'invalid_rate',
};

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path[0];
  const unknownKey =
    issue?.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : null;
  const code = typeof field === 'string' ? (FIELD_CODES[field] ?? 'invalid_body') : 'invalid_body';
  const message =
    unknownKey ??
    (typeof field === 'string' ? `${field}: ${issue?.message ?? 'invalid'}` : issue?.message);
  throw new AppError(code, message ?? 'invalid request body', 400, { cause: result.error });
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new AppError('payload_too_large', `body over ${MAX_BODY_BYTES} bytes`, 413));
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', (err) => {
      if (!failed)
        reject(new AppError('invalid_body', 'could not read the body', 400, { cause: err }));
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text) as unknown);
      } catch (err) {
        reject(new AppError('invalid_json', 'body is not valid JSON', 400, { cause: err }));
      }
    });
  });
}

const decimal = (m: Money | null): string | null =>
  m ? minorToDecimal(m.minor, m.currency) : null;

const rangeJson = (r: { min: Money; max: Money } | null): { min: string; max: string } | null =>
  r ? { min: decimal(r.min) ?? '', max: decimal(r.max) ?? '' } : null;

function expectedJson(e: ExpectedReading): Record<string, unknown> {
  return {
    productId: e.productId,
    price: decimal(e.price),
    listPrice: decimal(e.listPrice),
    priceRange: rangeJson(e.priceRange),
    availability: e.availability,
    soldByStore: e.soldByStore ?? null,
    offers: { new: decimal(e.offers.new), used: decimal(e.offers.used) },
  };
}

/** A product as the admin JSON shows it: money as decimal strings, URLs on the caller's host. */
export function productJson(p: DemoProduct, origin: string): Record<string, unknown> {
  return {
    asin: p.asin,
    marketplace: p.marketplace,
    url: origin + p.path,
    shortUrl: origin + p.shortPath,
    title: p.title,
    price: decimal(p.price),
    currency: p.currency,
    listPrice: decimal(p.listPrice),
    priceRange: rangeJson(p.priceRange),
    availability: p.availability,
    category: p.category,
    layout: p.layout,
    imageUrl: `${origin}/images/${p.asin}.svg`,
    seller: p.seller,
    soldByStore: p.soldByStore,
    pinned: p.pinned,
    fault: p.fault,
    expected: expectedJson(p.expected),
  };
}

export function wishlistJson(w: Wishlist, origin: string): Record<string, unknown> {
  return {
    id: w.id,
    marketplace: w.marketplace.id,
    name: w.name,
    url: `${origin}/hz/wishlist/ls/${w.id}`,
    asins: w.entries.map((e) => e.item.asin),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': data.length,
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(data);
}

export function sendError(res: ServerResponse, err: AppError): void {
  sendJson(res, err.status, { error: { code: err.code, message: err.message } });
}

function methodNotAllowed(method: string, path: string): AppError {
  return new AppError('method_not_allowed', `${method} is not allowed on ${path}`, 405);
}

export interface AdminRequest {
  readonly req: IncomingMessage;
  readonly method: string;
  /** Path below /_admin, e.g. "/products/B0…". */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly origin: string;
}

export interface AdminHooks {
  /** Extra state for GET /_admin/state (cache figures from the HTTP layer). */
  readonly extraState: () => Record<string, unknown>;
}

export interface AdminResponse {
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route's answer that carries headers besides its body. */
class Reply implements AdminResponse {
  constructor(
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>>,
  ) {}
}

function intParam(query: URLSearchParams, name: string, min: number, max: number): number | null {
  const raw = query.get(name);
  if (raw === null) return null;
  const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new AppError('invalid_query', `${name} must be an integer from ${min} to ${max}`, 400);
  }
  return n;
}

function productsPage(store: DemoStoreState, r: AdminRequest): Reply {
  const offset = intParam(r.query, 'offset', 0, 1_000_000_000) ?? 0;
  const limit = intParam(r.query, 'limit', 1, MAX_PAGE_SIZE) ?? MAX_PAGE_SIZE;
  const mp = r.query.get('mp') ?? undefined;
  const page = store.productsPage(offset, limit, mp);
  const headers: Record<string, string> = { 'x-total-count': String(page.total) };
  const next = offset + page.items.length;
  if (page.items.length > 0 && next < page.total) {
    const q = new URLSearchParams(r.query);
    q.set('offset', String(next));
    q.set('limit', String(limit));
    headers.link = `<${r.origin}/_admin/products?${q.toString()}>; rel="next"`;
  }
  return new Reply(
    page.items.map((p) => productJson(p, r.origin)),
    headers,
  );
}

/** Handles one admin request; the result is sent as JSON with status 200. */
export async function handleAdmin(
  store: DemoStoreState,
  r: AdminRequest,
  hooks: AdminHooks,
): Promise<AdminResponse> {
  const answer = await route(store, r, hooks);
  return answer instanceof Reply ? answer : { body: answer };
}

async function route(store: DemoStoreState, r: AdminRequest, hooks: AdminHooks): Promise<unknown> {
  const { method, path, origin } = r;
  const json = (p: DemoProduct): Record<string, unknown> => productJson(p, origin);

  if (path === '/products') {
    if (method !== 'GET') throw methodNotAllowed(method, path);
    return productsPage(store, r);
  }

  if (path === '/wishlists') {
    if (method !== 'GET') throw methodNotAllowed(method, path);
    const mp = r.query.get('mp');
    return store
      .wishlists()
      .filter((w) => !mp || w.marketplace.code === mp)
      .map((w) => wishlistJson(w, origin));
  }
  const wl = /^\/wishlists\/([0-9A-Za-z]{1,20})$/.exec(path);
  if (wl) {
    if (method !== 'GET') throw methodNotAllowed(method, path);
    const w = store.wishlist((wl[1] ?? '').toUpperCase());
    if (!w) throw new AppError('not_found', `no wishlist ${wl[1] ?? ''}`, 404);
    return {
      ...wishlistJson(w, origin),
      products: w.entries.map((e) => ({ itemId: e.itemId, ...json(store.view(e.item)) })),
    };
  }

  const m = /^\/products\/([^/]+)(\/pin|\/fault)?$/.exec(path);
  if (m) {
    const asin = decodeURIComponent(m[1] ?? '').toUpperCase();
    const sub = m[2];
    if (!sub) {
      if (method === 'GET') return json(store.view(store.requireItem(asin)));
      if (method === 'PUT') {
        store.requireItem(asin);
        const change = parseBody(productChange, await readJson(r.req));
        return json(store.setProduct(asin, change));
      }
      throw methodNotAllowed(method, path);
    }
    if (sub === '/pin') {
      if (method !== 'DELETE') throw methodNotAllowed(method, path);
      return json(store.unpin(asin));
    }
    if (method !== 'PUT') throw methodNotAllowed(method, path);
    store.requireItem(asin);
    const { fault } = parseBody(productFault, await readJson(r.req));
    return json(store.setProductFault(asin, fault));
  }

  switch (path) {
    case '/faults': {
      if (method !== 'PUT') throw methodNotAllowed(method, path);
      const change = parseBody(faultRates, await readJson(r.req));
      store.setFaultRates(stripUndefined(change));
      return stateJson(store, hooks);
    }
    case '/clock': {
      if (method !== 'PUT') throw methodNotAllowed(method, path);
      const change = parseBody(clockChange, await readJson(r.req));
      store.setPriceMoves({
        ...(change.speed !== undefined ? { speed: change.speed } : {}),
        ...(change.priceMoves !== undefined ? { enabled: change.priceMoves } : {}),
      });
      return stateJson(store, hooks);
    }
    case '/tick': {
      if (method !== 'POST') throw methodNotAllowed(method, path);
      const { ticks } = parseBody(tickChange, await readJson(r.req));
      store.advanceClock(ticks);
      return stateJson(store, hooks);
    }
    case '/state':
      if (method !== 'GET') throw methodNotAllowed(method, path);
      return stateJson(store, hooks);
    case '/reset':
      if (method !== 'POST') throw methodNotAllowed(method, path);
      store.reset();
      return stateJson(store, hooks);
    case '/search': {
      if (method !== 'GET') throw methodNotAllowed(method, path);
      const k = r.query.get('k') ?? '';
      const mp = r.query.get('mp') ?? undefined;
      return store.search(k, mp).map((i) => json(store.view(i)));
    }
    default:
      throw new AppError('not_found', `no admin route ${method} /_admin${path}`, 404);
  }
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], undefined>;
  };
}

function stateJson(store: DemoStoreState, hooks: AdminHooks): Record<string, unknown> {
  const moves = store.priceMoves;
  return {
    seed: store.seed,
    productCount: store.productCount,
    /** Products derived and held in memory now (bounded; the catalogue is never built whole). */
    itemsInMemory: store.catalogue.cachedItems,
    clock: {
      speed: moves.speed,
      priceMoves: moves.enabled,
      tick: store.clock.tick(),
      tickMs: Number.isFinite(store.clock.tickMs) ? store.clock.tickMs : null,
    },
    faults: store.faultRates,
    productFaults: store.faultedProducts(),
    pinned: store.pinnedAsins(),
    ...hooks.extraState(),
  };
}
