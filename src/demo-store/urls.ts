/**
 * Demo-store URLs. A product lives at `/{mp}/dp/{ASIN}`; the Amazon-style variants (a slug before
 * `/dp/`, `/gp/product/`, a query string) reach the same page, and `/dp/{ASIN}` works too because
 * ASINs are unique across the store.
 */
import { demoMarketplaceByCode, type DemoMarketplace } from './marketplaces.js';

export const ASIN_PATTERN = /^B0[0-9A-Z]{8}$/;

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
    u = new URL(url);
    base = new URL(storeBaseUrl);
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
