/**
 * Demo-store URLs. A product lives at `/{mp}/dp/{ASIN}`; the Amazon-style variants (a slug before
 * `/dp/`, `/gp/product/`, a query string) reach the same page, and `/dp/{ASIN}` works too because
 * ASINs are unique across the store. `/s/{code}` is a product's short link (like amzn.to and
 * a.co), `/hz/wishlist/ls/{ID}` a public wishlist.
 */
import { ASIN_PATTERN, SHORT_CODE_PATTERN } from './ids.js';
import { demoMarketplaceByCode, type DemoMarketplace } from './marketplaces.js';

export { ASIN_PATTERN } from './ids.js';

export interface ProductRoute {
  /** Marketplace code from the path, or null for the bare `/dp/{ASIN}` form. */
  readonly mpCode: string | null;
  readonly asin: string;
}

const MP_CODES = '(com|de|co\\.uk|co\\.jp|in)';
const ROUTES: readonly RegExp[] = [
  new RegExp(`^/${MP_CODES}/(?:[^/]+/)?dp/([0-9A-Za-z]{10})(?:/[^?#]*)?$`),
  new RegExp(`^/${MP_CODES}/gp/(?:product|aw/d)/([0-9A-Za-z]{10})(?:/[^?#]*)?$`),
  /^()(?:\/[^/]+)?\/dp\/([0-9A-Za-z]{10})(?:\/[^?#]*)?$/,
  /^()\/gp\/(?:product|aw\/d)\/([0-9A-Za-z]{10})(?:\/[^?#]*)?$/,
];

/** Matches a request path (no query) against the product page routes. */
export function matchProductPath(path: string): ProductRoute | null {
  for (const re of ROUTES) {
    const m = re.exec(path);
    if (m) {
      const asin = (m[2] ?? '').toUpperCase();
      if (!ASIN_PATTERN.test(asin)) return null;
      return { mpCode: m[1] ? m[1] : null, asin };
    }
  }
  return null;
}

export function canonicalProductUrl(origin: string, mpCode: string, asin: string): string {
  return `${origin}/${mpCode}/dp/${asin}`;
}

export interface ParsedDemoUrl {
  /** Marketplace id ("demo.de"). */
  readonly marketplace: string;
  readonly asin: string;
  readonly canonicalUrl: string;
}

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A URL of the demo store under another loopback name than the configured one (a browser's
 * http://localhost:3001 for http://127.0.0.1:3001): the same server, so the URL is rewritten to
 * the configured origin, which is the one the fetcher trusts.
 */
export function onDemoOrigin(url: URL, demo: URL): URL {
  if (
    url.origin === demo.origin ||
    url.protocol !== demo.protocol ||
    url.port !== demo.port ||
    !LOOPBACK_NAMES.has(url.hostname) ||
    !LOOPBACK_NAMES.has(demo.hostname)
  ) {
    return url;
  }
  const same = new URL(url);
  same.host = demo.host;
  return same;
}

/**
 * (marketplace, ASIN, canonical URL) of a product URL on the demo store at `storeBaseUrl`, or null
 * when the URL is not a demo product URL. The bare `/dp/{ASIN}` form names no marketplace: pass
 * `marketplaceOf` (from the store's catalogue) to resolve it, else it is null.
 */
export function parseDemoUrl(
  url: string,
  storeBaseUrl: string,
  marketplaceOf?: (asin: string) => string | undefined,
): ParsedDemoUrl | null {
  let u: URL;
  let base: URL;
  try {
    base = new URL(storeBaseUrl);
    u = onDemoOrigin(new URL(url), base);
  } catch {
    return null;
  }
  if (u.protocol !== base.protocol || u.host.toLowerCase() !== base.host.toLowerCase()) return null;
  const route = matchProductPath(u.pathname);
  if (!route) return null;
  let mp: DemoMarketplace | undefined;
  if (route.mpCode) mp = demoMarketplaceByCode(route.mpCode);
  else {
    const id = marketplaceOf?.(route.asin);
    mp = id ? demoMarketplaceByCode(id.replace(/^demo\./, '')) : undefined;
  }
  if (!mp) return null;
  return {
    marketplace: mp.id,
    asin: route.asin,
    canonicalUrl: canonicalProductUrl(base.origin, mp.code, route.asin),
  };
}

/** The code of a short-link path (`/s/{code}`), or null. `/s?k=…` and `/s/ref=…` are searches. */
export function matchShortLinkPath(path: string): string | null {
  const m = /^\/s\/([^/?#]+)\/?$/.exec(path);
  return m?.[1] && SHORT_CODE_PATTERN.test(m[1]) ? m[1] : null;
}

export interface WishlistRoute {
  /** Marketplace code when the path names one (`/de/hz/wishlist/ls/…`), else null. */
  readonly mpCode: string | null;
  readonly id: string;
}

const WISHLIST_ROUTE = new RegExp(
  `^(?:/${MP_CODES})?/hz/wishlist/ls/([0-9A-Za-z]{8,20})(?:/[^?#]*)?$`,
);
/** The old wishlist address, which Amazon redirects to /hz/wishlist/ls/{ID}. */
const REGISTRY_ROUTE = /^\/gp\/registry\/wishlist\/([0-9A-Za-z]{8,20})(?:\/[^?#]*)?$/;

export function matchWishlistPath(path: string): WishlistRoute | null {
  const m = WISHLIST_ROUTE.exec(path);
  if (!m?.[2]) return null;
  return { mpCode: m[1] ?? null, id: m[2].toUpperCase() };
}

export function matchRegistryWishlistPath(path: string): string | null {
  return REGISTRY_ROUTE.exec(path)?.[1]?.toUpperCase() ?? null;
}

function onStore(url: string, storeBaseUrl: string): URL | null {
  try {
    const base = new URL(storeBaseUrl);
    const u = onDemoOrigin(new URL(url), base);
    if (u.protocol !== base.protocol || u.host.toLowerCase() !== base.host.toLowerCase()) {
      return null;
    }
    return u;
  } catch {
    return null;
  }
}

/**
 * True when `url` is a short link of the demo store at `storeBaseUrl`: following its redirect
 * (301) lands on the product page.
 */
export function isDemoShortLink(url: string, storeBaseUrl: string): boolean {
  const u = onStore(url, storeBaseUrl);
  return u !== null && matchShortLinkPath(u.pathname) !== null;
}

export interface ParsedDemoWishlist {
  readonly id: string;
  /** `/hz/wishlist/ls/{ID}` on the store's origin. */
  readonly canonicalUrl: string;
}

/** The wishlist a demo-store URL names (`/hz/wishlist/ls/{ID}` or the old registry form). */
export function parseDemoWishlistUrl(url: string, storeBaseUrl: string): ParsedDemoWishlist | null {
  const u = onStore(url, storeBaseUrl);
  if (!u) return null;
  const id = matchWishlistPath(u.pathname)?.id ?? matchRegistryWishlistPath(u.pathname);
  return id ? { id, canonicalUrl: `${u.origin}/hz/wishlist/ls/${id}` } : null;
}
