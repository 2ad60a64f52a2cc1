/**
 * What a page says about itself: its canonical URL, marketplace, language and product id. Read
 * from the head and a few script variables; every search is bounded by the caller's limit.
 */
import { decodeEntities, readTag } from './html.js';
import { isAsin, parseAmazonUrl } from './identity.js';
import {
  MARKETPLACES,
  marketplaceByAmazonId,
  marketplaceById,
  marketplaceForHost,
  type Marketplace,
} from './marketplaces.js';

export interface PageHints {
  readonly canonicalUrl: string | null;
  /** Read on first use: product pages always have a canonical link, so this is rarely needed. */
  readonly ogUrl: string | null;
  /** `lang` of the `<html>` tag ("pt-pt" on amazon.es/-/pt/); decides number formats. */
  readonly lang: string | null;
  /** `ue_mid`: Amazon's marketplace id, present even on the captcha page. */
  readonly amazonMarketplaceId: string | null;
  /** `ue_sn`: the serving host name ("www.amazon.de", "opfcaptcha.amazon.com"). */
  readonly serverName: string | null;
}

/** The value of `attr` on the first tag that contains `marker`. */
function attrOfTagWith(html: string, marker: string, attr: string): string | null {
  let from = 0;
  for (let tries = 0; tries < 3; tries++) {
    const at = html.indexOf(marker, from);
    if (at < 0) return null;
    from = at + marker.length;
    const lt = html.lastIndexOf('<', at);
    if (lt < 0 || at - lt > 2_000) continue;
    const tag = readTag(html.slice(lt, lt + 4_000), 0);
    const v = tag?.attrs.get(attr);
    if (v !== undefined && v.trim() !== '') return decodeEntities(v.trim());
  }
  return null;
}

function scriptVar(head: string, name: string): string | null {
  const at = head.indexOf(name);
  if (at < 0) return null;
  const m = new RegExp(`^${name}\\s*=\\s*['"]([^'"]{1,80})['"]`).exec(head.slice(at, at + 120));
  return m?.[1] ?? null;
}

/** The head, where canonical and Open Graph tags live, is never longer than this. */
const MAX_HEAD = 500_000;

/** Page hints from the first `limit` characters (the extractor passes its horizon). */
export function readHints(html: string, limit: number): PageHints {
  limit = Math.min(limit, MAX_HEAD);
  const head = html.slice(0, Math.min(limit, 40_000));
  const htmlTag = /<html\b[^>]*>/i.exec(head.slice(0, 4_000));
  const lang = htmlTag ? (/\blang="([^"]+)"/i.exec(htmlTag[0])?.[1] ?? null) : null;
  const scope = limit < html.length ? html.slice(0, limit) : html;
  let ogUrl: string | null | undefined;
  return {
    canonicalUrl: attrOfTagWith(scope, 'rel="canonical"', 'href'),
    get ogUrl() {
      if (ogUrl === undefined) ogUrl = attrOfTagWith(scope, 'property="og:url"', 'content');
      return ogUrl;
    },
    lang,
    amazonMarketplaceId: scriptVar(head, 'ue_mid'),
    serverName: scriptVar(head, 'ue_sn'),
  };
}

function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

// "Amazon.de" in a logo's alt text or a title: the last resort for error pages with no links.
const BRAND = new RegExp(
  `(?<![@\\w.-])Amazon\\.(${MARKETPLACES.map((m) =>
    m.id.slice('amazon.'.length).replace(/\./g, '\\.'),
  )
    .sort((a, b) => b.length - a.length)
    .join('|')})(?![\\w.-])`,
);

const STOREFRONT_HREF =
  /href=["']https?:\/\/(?:www\.|smile\.)?amazon\.([a-z]{2,3}(?:\.[a-z]{2})?)\//i;

/**
 * The marketplace, from the strongest evidence first: the URL the page was fetched from, the
 * caller's marketplace, then the page's canonical link, `ue_mid`, `ue_sn`, og:url, links to a
 * storefront, and finally the brand text of pages that have none of those (the 503 page).
 */
export function resolveMarketplace(
  hints: PageHints,
  ctx: { url?: string | undefined; marketplace?: string | undefined },
  html: string,
): Marketplace | undefined {
  const fromUrl = hostOf(ctx.url);
  const candidates: Array<() => Marketplace | undefined> = [
    () => (fromUrl ? marketplaceForHost(fromUrl) : undefined),
    () => (ctx.marketplace ? marketplaceById(ctx.marketplace) : undefined),
    () => {
      const h = hostOf(hints.canonicalUrl);
      return h ? marketplaceForHost(h) : undefined;
    },
    () =>
      hints.amazonMarketplaceId ? marketplaceByAmazonId(hints.amazonMarketplaceId) : undefined,
    () => (hints.serverName ? marketplaceForHost(hints.serverName) : undefined),
    () => {
      const h = hostOf(hints.ogUrl);
      return h ? marketplaceForHost(h) : undefined;
    },
    () => {
      const m = STOREFRONT_HREF.exec(html.slice(0, 200_000));
      return m ? marketplaceById(`amazon.${(m[1] ?? '').toLowerCase()}`) : undefined;
    },
    () => {
      const m = BRAND.exec(html.slice(0, 20_000));
      return m ? marketplaceById(`amazon.${m[1] ?? ''}`) : undefined;
    },
  ];
  for (const c of candidates) {
    const m = c();
    if (m) return m;
  }
  return undefined;
}

/** The product's ASIN from the canonical link, og:url or the fetched URL, in that order. */
export function asinFromHints(hints: PageHints, ctxUrl: string | undefined): string | null {
  const sources = [() => hints.canonicalUrl, () => hints.ogUrl, () => ctxUrl];
  for (const source of sources) {
    const u = source();
    if (!u) continue;
    const ref = parseAmazonUrl(u);
    if (ref && 'asin' in ref) return ref.asin;
  }
  return null;
}

/** "pt-pt" → "pt-PT": the page language decides what "1.299" means (English UI on amazon.de). */
export function pageLocale(lang: string | null): string | undefined {
  if (!lang) return undefined;
  try {
    return Intl.getCanonicalLocales(lang.trim())[0];
  } catch {
    return undefined;
  }
}

export function asinOrNull(value: string | undefined): string | null {
  const v = value?.trim().toUpperCase();
  return v && isAsin(v) ? v : null;
}
