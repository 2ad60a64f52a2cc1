/**
 * `pricehawk parse`: pick the extractor for a saved page and print the contract JSON of DESIGN.md.
 */
import { toDecimal, type Money } from '../money/index.js';
import { extractAmazon } from './amazon/extract.js';
import { marketplaceForHost } from './amazon/marketplaces.js';
import { extractStructured } from './structured/extract.js';
import type { Observation } from './types.js';

export interface ParseOutput {
  outcome: Observation['outcome'];
  store: string;
  marketplace: string | null;
  productId: string | null;
  title: string | null;
  imageUrl: string | null;
  price: { amount: string; currency: string } | null;
  listPrice: { amount: string; currency: string } | null;
  offers: {
    new: { amount: string; currency: string } | null;
    used: { amount: string; currency: string } | null;
  };
  availability: Observation['availability'];
}

const json = (m: Money | null | undefined) => (m ? toDecimal(m) : null);

/** Amazon pages announce themselves in their markup; anything else goes to structured data. */
function looksLikeAmazon(html: string, url: string | undefined): boolean {
  if (url) {
    try {
      return marketplaceForHost(new URL(url).hostname) !== undefined;
    } catch {
      /* fall through to the page itself */
    }
  }
  const head = html.slice(0, 200_000);
  return (
    (/amazon\.[a-z.]{2,6}\//i.test(head) &&
      /(ue_sn|ue_id|a-page|opfcaptcha|amazon-orders|nav-logo)/.test(head)) ||
    head.includes('api-services-support@amazon.com')
  );
}

export function parsePageFile(html: string, url?: string): ParseOutput {
  const obs = looksLikeAmazon(html, url)
    ? extractAmazon(html, url ? { url } : {})
    : extractStructured(html, url ? { url } : {});
  return {
    outcome: obs.outcome,
    store: obs.store,
    marketplace: obs.marketplace,
    productId: obs.productId,
    title: obs.title,
    imageUrl: obs.imageUrl,
    price: json(obs.price),
    listPrice: json(obs.listPrice),
    offers: { new: json(obs.offers.new), used: json(obs.offers.used) },
    availability: obs.availability,
  };
}
