/**
 * The structured-data store adapter: any shop page that describes its product with schema.org
 * JSON-LD, microdata or Open Graph product tags. See decide.ts for how the sources are weighed and
 * what `confidence` means, urls.ts for why productId is the canonical URL.
 */
import { emptyObservation, type Observation } from '../types.js';
import { currencyFromHost, currencyFromLocale, localeTag } from './currency.js';
import { decide } from './decide.js';
import { collectJsonLd } from './jsonld.js';
import { readMeta, metaSaysProduct } from './meta.js';
import { toSchemaNode } from './microdata.js';
import { moneyResolver, summarize, type ProductFacts } from './offers.js';
import { scanPage, type PageScan } from './scan.js';
import {
  chooseProduct,
  collectOffers,
  isOfferLike,
  isProductLike,
  readProduct,
  type PageIdentity,
} from './schema.js';
import { cleanText } from './text.js';
import { absoluteUrl, pageUrls } from './urls.js';
import { readVisible } from './visible.js';

export const STORE = 'structured';

export interface ExtractContext {
  /** The URL the page was fetched from; without it the page's own links name the site. */
  readonly url?: string | undefined;
}

function jsonLdFacts(scan: PageScan, page: PageIdentity, locale: string | undefined) {
  const doc = collectJsonLd(scan.jsonLd);
  const main = chooseProduct(doc.topLevel.filter(isProductLike), page);
  return main ? readProduct(main, { source: 'jsonld', lookup: doc.lookup, locale }) : null;
}

function microdataFacts(
  scan: PageScan,
  page: PageIdentity,
  locale: string | undefined,
): ProductFacts | null {
  const top = scan.microdata.filter((i) => i.topLevel).map((i) => toSchemaNode(i));
  const ctx = { source: 'microdata' as const, lookup: () => undefined, locale };
  const loose = top.filter(isOfferLike);
  const main = chooseProduct(top.filter(isProductLike), page);
  if (!main) {
    if (loose.length === 0) return null;
    return {
      source: 'microdata',
      name: null,
      image: null,
      url: null,
      sku: null,
      offers: collectOffers(loose, null, ctx),
    };
  }
  const facts = readProduct(main, ctx);
  // Offers marked up outside the product's element, without an itemref to join them.
  return facts.offers.length > 0 || loose.length === 0
    ? facts
    : { ...facts, offers: collectOffers(loose, null, ctx) };
}

/** The first currency any source states for a price. */
function statedCurrency(facts: readonly ProductFacts[]): string | null {
  for (const f of facts) {
    for (const o of f.offers) {
      const c = o.price?.currency ?? o.currency;
      if (c) return c;
    }
  }
  return null;
}

interface PageCurrency {
  readonly currency: string | null;
  /** Taken from the page's locale or country domain: nothing on the page states it. */
  readonly guessed: boolean;
}

/**
 * The currency for amounts that state none: another source on the page, then the symbol of the
 * price the page shows, then (as a guess that lowers confidence) the page's locale or domain.
 */
function pageCurrency(
  scan: PageScan,
  facts: readonly ProductFacts[],
  names: readonly string[],
  locale: string | undefined,
  host: string | undefined,
): PageCurrency {
  const stated =
    statedCurrency(facts) ??
    readVisible(scan, names, { currency: null, locale }).price?.currency ??
    null;
  if (stated) return { currency: stated, guessed: false };
  const guess =
    currencyFromLocale(scan.meta.get('og:locale')) ??
    currencyFromLocale(scan.lang) ??
    currencyFromHost(host);
  return { currency: guess, guessed: guess !== null };
}

export function extractStructured(html: string, ctx: ExtractContext = {}): Observation {
  const scan = scanPage(typeof html === 'string' ? html : '');
  const locale = localeTag(scan.meta.get('og:locale')) ?? localeTag(scan.lang);
  const urls = pageUrls({
    ctxUrl: ctx.url,
    canonical: scan.canonical,
    ogUrl: scan.meta.get('og:url') ?? null,
    baseHref: scan.baseHref,
    lang: scan.lang,
    alternates: scan.alternates,
  });
  const meta = readMeta(scan.meta, locale);
  const page: PageIdentity = {
    url: urls.productUrl,
    titles: [meta.name, scan.title, ...scan.headings.slice(0, 5).map((h) => h.text)].filter(
      (t): t is string => !!t,
    ),
  };
  const jsonld = jsonLdFacts(scan, page, locale);
  const micro = microdataFacts(scan, page, locale);
  const hasMeta = metaSaysProduct(scan.meta);
  const facts = [jsonld, micro, hasMeta ? meta : null].filter((f): f is ProductFacts => !!f);
  const title =
    jsonld?.name ?? micro?.name ?? meta.name ?? scan.headings[0]?.text ?? cleanText(scan.title);
  const identity = {
    marketplace: urls.marketplace,
    productId: urls.productUrl ?? jsonld?.sku ?? micro?.sku ?? meta.sku ?? null,
    title: title ?? null,
  };
  if (facts.length === 0) return emptyObservation(STORE, 'unsupported', identity);

  const names = facts.map((f) => f.name).filter((n): n is string => !!n);
  const { currency, guessed } = pageCurrency(scan, facts, names, locale, urls.base?.hostname);
  const readings = facts.map((f) => summarize(f, moneyResolver(currency)));
  const visible = readVisible(scan, names, { currency, locale });
  const d = decide({ readings, visible, currencyGuessed: guessed });
  const image = jsonld?.image ?? micro?.image ?? meta.image;
  return {
    ...emptyObservation(STORE, 'ok', identity),
    imageUrl: absoluteUrl(image, urls.base),
    price: d.price,
    listPrice: d.listPrice,
    offers: d.offers,
    priceRange: d.range,
    availability: d.availability,
    confidence: d.confidence,
  };
}
