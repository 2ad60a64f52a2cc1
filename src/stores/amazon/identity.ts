/**
 * What people paste: any Amazon product URL (every marketplace, every historic path form, with or
 * without slug, language prefix, query string, or `www.`) turned into (marketplace, ASIN); short
 * links are recognised but not resolved here, because resolving them takes a fetch.
 */
import { marketplaceById, marketplaceForHost } from './marketplaces.js';

export interface AmazonProductRef {
  /** Marketplace id, "amazon.de". */
  readonly marketplace: string;
  readonly asin: string;
  /** `https://www.amazon.{suffix}/dp/{ASIN}`: one URL per product, whatever was pasted. */
  readonly canonicalUrl: string;
}

export interface AmazonShortLink {
  readonly shortLink: true;
  readonly url: string;
}

/**
 * An ASIN is ten upper-case letters and digits. Products have "B0…"-style ASINs; books keep
 * their ISBN-10 (nine digits and a check digit that may be X). Requiring one of the two shapes
 * keeps path words such as "REFERRALS1" from passing for a product.
 */
const ASIN = /^(?:B[0-9A-Z]{9}|\d{9}[\dX])$/;

export function isAsin(text: string): boolean {
  return ASIN.test(text);
}

/** Hosts whose links redirect to a product page; the fetcher follows them. */
const SHORT_LINK_HOSTS = new Set([
  'amzn.to',
  'a.co',
  'amzn.eu',
  'amzn.asia',
  'amzn.in',
  'amzn.com',
]);

/** Storefront subdomains that serve product pages; anything else (aws., sellercentral.) is not a store. */
const STORE_SUBDOMAINS = new Set(['', 'www.', 'smile.', 'm.']);

function normaliseHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

/** The storefront marketplace id of a host, or undefined when the host is not a storefront. */
function storefrontOf(host: string): string | undefined {
  const h = normaliseHost(host);
  const m = marketplaceForHost(h);
  if (!m) return undefined;
  const sub = h.slice(0, h.length - m.id.length);
  return STORE_SUBDOMAINS.has(sub) ? m.id : undefined;
}

/**
 * Hosts the fetcher may contact for Amazon: the storefronts (with `www.`, `smile.`, `m.` or
 * none) and the short-link hosts. Deliberately not every `*.amazon.*` host: the allow-list is
 * an SSRF guard, and aws.amazon.com or sellercentral are not stores.
 */
export function isAmazonHost(host: string): boolean {
  const h = normaliseHost(host);
  return storefrontOf(h) !== undefined || SHORT_LINK_HOSTS.has(h);
}

/** The canonical product URL of an ASIN in a marketplace ("amazon.de"). */
export function amazonProductUrl(marketplaceId: string, asin: string): string {
  const m = marketplaceById(marketplaceId);
  if (!m) throw new RangeError(`unknown Amazon marketplace: ${marketplaceId}`);
  return `https://${m.host}/dp/${asin.toUpperCase()}`;
}

/**
 * Path words after which the next segment is the ASIN, in every form Amazon has used:
 * `/dp/X`, `/dp/product/X`, `/gp/product/X`, `/gp/product/glance/X`, `/gp/aw/d/X`,
 * `/exec/obidos/ASIN/X`, `/exec/obidos/tg/detail/-/X`, `/o/X`, `/gp/offer-listing/X`,
 * `/product-reviews/X`.
 */
const MARKERS = new Set([
  'dp',
  'product',
  'glance',
  'd',
  'asin',
  'o',
  '-',
  'offer-listing',
  'product-reviews',
]);

function asinFromPath(pathname: string): string | undefined {
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => safeDecode(s));
  for (let i = 0; i < segments.length - 1; i++) {
    const marker = segments[i]?.toLowerCase() ?? '';
    if (!MARKERS.has(marker)) continue;
    const candidate = segments[i + 1]?.toUpperCase() ?? '';
    if (ASIN.test(candidate)) return candidate;
  }
  return undefined;
}

function asinFromQuery(params: URLSearchParams): string | undefined {
  for (const [key, value] of params) {
    if (key.toLowerCase() === 'asin' || key.toLowerCase() === 'asin.1') {
      const candidate = value.trim().toUpperCase();
      if (ASIN.test(candidate)) return candidate;
    }
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function toUrl(text: string): URL | null {
  const t = text.trim();
  if (t === '') return null;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`);
  } catch {
    return null;
  }
}

/**
 * Recognises an Amazon product URL or short link. Returns null for anything else, including
 * Amazon pages without a product (search, home) and look-alike hosts (amazon.de.example.com).
 */
export function parseAmazonUrl(url: string): AmazonProductRef | AmazonShortLink | null {
  const u = toUrl(url);
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:')) return null;
  const host = normaliseHost(u.hostname);

  if (SHORT_LINK_HOSTS.has(host)) {
    // amzn.com/ASIN is the one short form that names its product outright.
    const direct = host === 'amzn.com' ? asinFromPath(`/dp${u.pathname}`) : undefined;
    if (direct) return productRef('amazon.com', direct);
    if (u.pathname === '/' || u.pathname === '') return null;
    u.protocol = 'https:';
    return { shortLink: true, url: u.toString() };
  }

  const marketplace = storefrontOf(host);
  if (!marketplace) return null;
  const asin = asinFromPath(u.pathname) ?? asinFromQuery(u.searchParams);
  return asin ? productRef(marketplace, asin) : null;
}

function productRef(marketplace: string, asin: string): AmazonProductRef {
  return { marketplace, asin, canonicalUrl: amazonProductUrl(marketplace, asin) };
}
