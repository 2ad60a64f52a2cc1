/**
 * PA-API 5 locales: which host answers for a marketplace and which AWS region its SigV4 scope
 * names. The region is not where the marketplace is (Japan and Australia sign for us-west-2,
 * India for eu-west-1), so it is a table, not a rule. Source: the "Host and Region" table of the
 * PA-API 5 common request parameters, for every marketplace of `amazon/marketplaces.ts` (all of
 * them are PA-API locales; PA-API's Ireland locale has no Pricehawk marketplace yet).
 */
import { marketplaceById } from '../amazon/marketplaces.js';

export interface PaapiLocale {
  /** Pricehawk's marketplace key ("amazon.de"). */
  readonly marketplaceId: string;
  /** Where GetItems is posted ("webservices.amazon.de"). */
  readonly host: string;
  /** The AWS region of the SigV4 credential scope ("eu-west-1"). */
  readonly region: string;
  /** The request body's `Marketplace` ("www.amazon.de"). */
  readonly marketplace: string;
  /** ISO 4217 code prices come in unless the response says otherwise. */
  readonly currency: string;
  /** BCP 47 locale `DisplayAmount` strings are written in. */
  readonly locale: string;
}

/** SigV4 service name of PA-API 5; part of every credential scope. */
export const PAAPI_SERVICE = 'ProductAdvertisingAPI';

const TABLE: ReadonlyArray<readonly [marketplaceId: string, host: string, region: string]> = [
  ['amazon.com.au', 'webservices.amazon.com.au', 'us-west-2'],
  ['amazon.com.be', 'webservices.amazon.com.be', 'eu-west-1'],
  ['amazon.com.br', 'webservices.amazon.com.br', 'us-east-1'],
  ['amazon.ca', 'webservices.amazon.ca', 'us-east-1'],
  ['amazon.eg', 'webservices.amazon.eg', 'eu-west-1'],
  ['amazon.fr', 'webservices.amazon.fr', 'eu-west-1'],
  ['amazon.de', 'webservices.amazon.de', 'eu-west-1'],
  ['amazon.in', 'webservices.amazon.in', 'eu-west-1'],
  ['amazon.it', 'webservices.amazon.it', 'eu-west-1'],
  ['amazon.co.jp', 'webservices.amazon.co.jp', 'us-west-2'],
  ['amazon.com.mx', 'webservices.amazon.com.mx', 'us-east-1'],
  ['amazon.nl', 'webservices.amazon.nl', 'eu-west-1'],
  ['amazon.pl', 'webservices.amazon.pl', 'eu-west-1'],
  ['amazon.sg', 'webservices.amazon.sg', 'us-west-2'],
  ['amazon.sa', 'webservices.amazon.sa', 'eu-west-1'],
  ['amazon.es', 'webservices.amazon.es', 'eu-west-1'],
  ['amazon.se', 'webservices.amazon.se', 'eu-west-1'],
  ['amazon.com.tr', 'webservices.amazon.com.tr', 'eu-west-1'],
  ['amazon.ae', 'webservices.amazon.ae', 'eu-west-1'],
  ['amazon.co.uk', 'webservices.amazon.co.uk', 'eu-west-1'],
  ['amazon.com', 'webservices.amazon.com', 'us-east-1'],
];

export const PAAPI_LOCALES: readonly PaapiLocale[] = TABLE.map(([marketplaceId, host, region]) => {
  const m = marketplaceById(marketplaceId);
  // A typo here would otherwise surface only when an operator enables that marketplace.
  if (!m) throw new Error(`PA-API locale table names an unknown marketplace: ${marketplaceId}`);
  return {
    marketplaceId,
    host,
    region,
    marketplace: m.host,
    currency: m.currency,
    locale: m.locale,
  };
});

const byId = new Map(PAAPI_LOCALES.map((l) => [l.marketplaceId, l]));
const byHost = new Map(PAAPI_LOCALES.map((l) => [l.host, l]));

export function paapiLocale(marketplaceId: string): PaapiLocale | undefined {
  return byId.get(marketplaceId);
}

/** For the SSRF allow-list: whether `host` is a PA-API endpoint. */
export function isPaapiHost(host: string): boolean {
  return byHost.has(host.toLowerCase().replace(/\.$/, ''));
}
