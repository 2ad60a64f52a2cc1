/**
 * Which site a page belongs to and which URL identifies the product.
 *
 * productId is the canonical URL, not the sku: the canonical URL is what the checker fetches next
 * time, it is unique within the site by construction, and it survives shops whose skus name one
 * size or colour (a variant sku would split one watched product into several). A sku is used only
 * when the page gives no URL at all.
 */

export interface PageUrls {
  /** The site's host without "www." (or "www2."). */
  readonly marketplace: string | null;
  readonly productUrl: string | null;
  /** Base for resolving relative image URLs. */
  readonly base: URL | null;
}

export interface UrlHints {
  readonly ctxUrl: string | undefined;
  readonly canonical: string | null;
  readonly ogUrl: string | null;
  readonly baseHref: string | null;
  readonly lang: string | null;
  readonly alternates: ReadonlyArray<{ readonly hreflang: string; readonly href: string }>;
}

function httpUrl(raw: string | null | undefined, base?: URL | null): URL | null {
  if (!raw) return null;
  const t = raw.trim();
  try {
    // Protocol-relative URLs ("//cdn…") are https on every store worth tracking.
    const u = base ? new URL(t, base) : new URL(t.startsWith('//') ? `https:${t}` : t);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

export function siteHost(u: URL): string {
  return u.hostname.toLowerCase().replace(/^www\d*\./, '');
}

/** Tracking parameters and fragments never identify a product. */
function cleanUrl(u: URL): string {
  const c = new URL(u.href);
  c.hash = '';
  for (const key of [...c.searchParams.keys()]) {
    if (/^(utm_|fbclid$|gclid$|msclkid$)/i.test(key)) c.searchParams.delete(key);
  }
  return c.href;
}

export function pageUrls(h: UrlHints): PageUrls {
  const ctx = httpUrl(h.ctxUrl);
  // The hreflang alternate in the page's own language is the page itself, absolute even when
  // og:url is relative (zalando).
  const self = h.alternates.find(
    (a) => h.lang && a.hreflang.toLowerCase() === h.lang.toLowerCase(),
  );
  const base =
    ctx ??
    httpUrl(h.baseHref) ??
    httpUrl(h.canonical) ??
    httpUrl(h.ogUrl) ??
    httpUrl(self?.href) ??
    null;
  const canonical =
    httpUrl(h.canonical, base) ?? httpUrl(h.ogUrl, base) ?? httpUrl(self?.href, base);
  // A page may not name another site as itself: the fetched URL's host decides the site.
  const product = canonical && (!ctx || siteHost(canonical) === siteHost(ctx)) ? canonical : ctx;
  const site = ctx ?? product ?? base;
  return {
    marketplace: site ? siteHost(site) : null,
    productUrl: product ? cleanUrl(product) : null,
    base,
  };
}

/** An image URL made absolute ("//lp2.hm.com/…" → https), or null when it is not http(s). */
export function absoluteUrl(raw: string | null, base: URL | null): string | null {
  return httpUrl(raw, base)?.href ?? null;
}
