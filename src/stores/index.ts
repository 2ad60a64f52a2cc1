/**
 * The store adapters behind one registry. An adapter recognises a product from what a person
 * pastes, says how to fetch it, and turns the page into an observation.
 */
import { createAmazonEarlyStop, extractAmazon } from './amazon/extract.js';
import { isAmazonHost, parseAmazonUrl } from './amazon/identity.js';
import { isPaapiHost } from './paapi/locales.js';
import { MARKETPLACES, marketplaceById, marketplaceForHost } from './amazon/marketplaces.js';
import {
  demoMarketplaces,
  isDemoShortLink,
  onDemoOrigin,
  parseDemoUrl,
  parseDemoWishlistUrl,
} from '../demo-store/index.js';
import { extractStructured } from './structured/extract.js';
import type { Observation } from './types.js';

export * from './types.js';
export { MARKETPLACES, marketplaceById } from './amazon/marketplaces.js';

export interface ProductIdentity {
  readonly store: string;
  readonly marketplace: string;
  readonly externalId: string;
  readonly url: string;
  /** Known before any fetch where the marketplace decides it (Amazon, the demo store). */
  readonly currency?: string | undefined;
}

export interface FetchPlan {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** A fresh early-stop checker for one download (see FetchRequest.stopWhen). */
  readonly earlyStop?: () => (chunk: Uint8Array) => boolean;
}

export interface StoredProduct {
  readonly store: string;
  readonly marketplace: string;
  readonly externalId: string;
  readonly url: string;
}

export interface StoreAdapter {
  readonly id: string;
  fetchPlan(p: StoredProduct): FetchPlan;
  extract(html: string, p: StoredProduct, finalUrl: string): Observation;
}

export type Identified =
  | { readonly kind: 'product'; readonly identity: ProductIdentity }
  | { readonly kind: 'short_link'; readonly url: string }
  | { readonly kind: 'unrecognised'; readonly reason: string };

export interface MarketplaceInfo {
  readonly id: string;
  readonly store: string;
  readonly name: string;
  readonly currency: string;
  readonly host: string;
}

export interface StoreRegistry {
  /** Recognise a pasted URL or ASIN. `marketplace` applies to a bare ASIN (default amazon.com). */
  identify(input: string, opts?: { marketplace?: string }): Identified;
  adapter(store: string): StoreAdapter | undefined;
  /** The SSRF guard's allow-list: hosts some adapter reads. */
  acceptsHost(host: string): boolean;
  marketplaces(): readonly MarketplaceInfo[];
}

const ASIN = /^[A-Z0-9]{10}$/;

function amazonProduct(marketplace: string, asin: string, url: string): Identified {
  return {
    kind: 'product',
    identity: {
      store: 'amazon',
      marketplace,
      externalId: asin,
      url,
      currency: marketplaceById(marketplace)?.currency,
    },
  };
}

function demoProduct(id: { marketplace: string; asin: string; canonicalUrl: string }): Identified {
  return {
    kind: 'product',
    identity: {
      store: 'demo',
      marketplace: id.marketplace,
      externalId: id.asin,
      url: id.canonicalUrl,
      currency: demoMarketplaces.find((m) => m.id === id.marketplace)?.currency,
    },
  };
}

/**
 * A DNS name that could be a store on the public web: labels of letters, digits and hyphens, a
 * letters-only top-level domain, not an IP literal or a single-label name such as "localhost".
 */
export function isPublicHostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h.length > 253 || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal'))
    return false;
  const labels = h.split('.');
  return (
    labels.length >= 2 &&
    /^(xn--[a-z0-9-]+|[a-z]{2,63})$/.test(labels[labels.length - 1] ?? '') &&
    labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l))
  );
}

export function createStoreRegistry(
  opts: { demoBaseUrl?: string | undefined } = {},
): StoreRegistry {
  const demoBase = opts.demoBaseUrl?.replace(/\/$/, '');

  const amazon: StoreAdapter = {
    id: 'amazon',
    fetchPlan(p) {
      const m = marketplaceById(p.marketplace);
      const headers: Record<string, string> = m ? { 'accept-language': m.acceptLanguage } : {};
      return {
        url: p.url,
        headers,
        earlyStop: createAmazonEarlyStop,
      };
    },
    extract(html, p, finalUrl) {
      return extractAmazon(html, { url: finalUrl, marketplace: p.marketplace });
    },
  };

  const demo: StoreAdapter = {
    id: 'demo',
    fetchPlan(p) {
      const mp = demoMarketplaces.find((m) => m.id === p.marketplace);
      const path = `/${p.marketplace.replace(/^demo\./, '')}/dp/${p.externalId}`;
      const headers: Record<string, string> = mp ? { 'accept-language': mp.locale } : {};
      return {
        url: `${demoBase ?? ''}${path}`,
        headers,
        earlyStop: createAmazonEarlyStop,
      };
    },
    extract(html, p, finalUrl) {
      const mp = demoMarketplaces.find((m) => m.id === p.marketplace);
      const obs = extractAmazon(html, { url: finalUrl, marketplace: mp?.amazonMarketplace });
      // Old Kindle pages name their ASIN only in an amazon.* canonical link, which the demo
      // store's pages point elsewhere; the product's own id stands in.
      return {
        ...obs,
        store: 'demo',
        marketplace: p.marketplace,
        productId: obs.productId ?? p.externalId,
      };
    },
  };

  const structured: StoreAdapter = {
    id: 'structured',
    fetchPlan(p) {
      return { url: p.url, headers: {} };
    },
    extract(html, _p, finalUrl) {
      return extractStructured(html, { url: finalUrl });
    },
  };

  const adapters = new Map([amazon, demo, structured].map((a) => [a.id, a]));

  return {
    identify(input, o = {}) {
      const text = input.trim();
      if (ASIN.test(text.toUpperCase())) {
        const asin = text.toUpperCase();
        const marketplace = o.marketplace ?? 'amazon.com';
        if (marketplace.startsWith('demo.') && demoBase) {
          const id = parseDemoUrl(`${demoBase}/${marketplace.slice(5)}/dp/${asin}`, demoBase);
          if (id) return demoProduct(id);
        }
        const m = marketplaceById(marketplace);
        if (!m) return { kind: 'unrecognised', reason: `unknown marketplace ${marketplace}` };
        return amazonProduct(m.id, asin, `https://${m.host}/dp/${asin}`);
      }
      // A scheme other than http(s) is refused, not guessed at; a bare "example.com/x" is https.
      if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^https?:\/\//i.test(text)) {
        return { kind: 'unrecognised', reason: 'only http and https URLs' };
      }
      let url: URL;
      try {
        url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`);
      } catch {
        return { kind: 'unrecognised', reason: 'not a URL or an ASIN' };
      }
      if (demoBase) url = onDemoOrigin(url, new URL(demoBase));
      if (demoBase && url.origin === new URL(demoBase).origin) {
        // /s/{code} answers 301 to the product page: resolved like amzn.to.
        if (isDemoShortLink(url.toString(), demoBase)) {
          return { kind: 'short_link', url: url.toString() };
        }
        const id = parseDemoUrl(url.toString(), demoBase);
        if (id) return demoProduct(id);
        if (parseDemoWishlistUrl(url.toString(), demoBase)) {
          return { kind: 'unrecognised', reason: 'a wishlist, not a product' };
        }
        return { kind: 'unrecognised', reason: 'not a demo store product URL' };
      }
      const a = parseAmazonUrl(url.toString());
      if (a && 'shortLink' in a) return { kind: 'short_link', url: a.url };
      if (a) return amazonProduct(a.marketplace, a.asin, a.canonicalUrl);
      if (marketplaceForHost(url.hostname)) {
        return { kind: 'unrecognised', reason: 'an Amazon URL without a product (ASIN) in it' };
      }
      if (!isPublicHostName(url.hostname)) {
        return { kind: 'unrecognised', reason: `${url.hostname} is not a store's web address` };
      }
      // Any other store: keyed by its URL without fragment and tracking parameters; the extractor
      // replaces it with the page's canonical URL later.
      url.hash = '';
      for (const k of [...url.searchParams.keys()]) {
        if (/^(utm_|ref$|gclid$|fbclid$)/i.test(k)) url.searchParams.delete(k);
      }
      const host = url.hostname.replace(/^www\./, '');
      return {
        kind: 'product',
        identity: {
          store: 'structured',
          marketplace: host,
          externalId: url.toString(),
          url: url.toString(),
        },
      };
    },
    adapter: (store) => adapters.get(store),
    acceptsHost(host) {
      // Amazon's own hosts and short links, and any public web host for structured-data stores;
      // the fetcher still refuses private addresses for all of them.
      return isAmazonHost(host) || isPaapiHost(host) || isPublicHostName(host);
    },
    marketplaces() {
      const list: MarketplaceInfo[] = MARKETPLACES.map((m) => ({
        id: m.id,
        store: 'amazon',
        name: `Amazon ${m.name}`,
        currency: m.currency,
        host: m.host,
      }));
      if (demoBase) {
        for (const m of demoMarketplaces) {
          list.push({
            id: m.id,
            store: 'demo',
            name: `Demo store ${m.name}`,
            currency: m.currency,
            host: new URL(demoBase).host,
          });
        }
      }
      return list;
    },
  };
}
