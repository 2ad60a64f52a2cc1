/**
 * Amazon's marketplaces: the host people paste, the currency prices are in, and the locale the
 * pages are written in (which decides what "1.299" means). `id` is the marketplace key stored on
 * products ("amazon.de").
 */
export interface Marketplace {
  readonly id: string;
  readonly host: string;
  readonly name: string;
  readonly currency: string;
  /** BCP 47 locale of the default page language. */
  readonly locale: string;
  /** Accept-Language sent when fetching, so pages come in the marketplace's own format. */
  readonly acceptLanguage: string;
}

const table: ReadonlyArray<readonly [string, string, string, string]> = [
  // [domain suffix, name, currency, locale]
  ['com', 'United States', 'USD', 'en-US'],
  ['ca', 'Canada', 'CAD', 'en-CA'],
  ['com.mx', 'Mexico', 'MXN', 'es-MX'],
  ['com.br', 'Brazil', 'BRL', 'pt-BR'],
  ['co.uk', 'United Kingdom', 'GBP', 'en-GB'],
  ['de', 'Germany', 'EUR', 'de-DE'],
  ['fr', 'France', 'EUR', 'fr-FR'],
  ['it', 'Italy', 'EUR', 'it-IT'],
  ['es', 'Spain', 'EUR', 'es-ES'],
  ['nl', 'Netherlands', 'EUR', 'nl-NL'],
  ['se', 'Sweden', 'SEK', 'sv-SE'],
  ['pl', 'Poland', 'PLN', 'pl-PL'],
  ['com.tr', 'Türkiye', 'TRY', 'tr-TR'],
  ['ae', 'United Arab Emirates', 'AED', 'en-AE'],
  ['sa', 'Saudi Arabia', 'SAR', 'ar-SA'],
  ['in', 'India', 'INR', 'en-IN'],
  ['co.jp', 'Japan', 'JPY', 'ja-JP'],
  ['com.au', 'Australia', 'AUD', 'en-AU'],
  ['sg', 'Singapore', 'SGD', 'en-SG'],
  ['eg', 'Egypt', 'EGP', 'ar-EG'],
  ['com.be', 'Belgium', 'EUR', 'fr-BE'],
];

export const MARKETPLACES: readonly Marketplace[] = table.map(
  ([suffix, name, currency, locale]) => ({
    id: `amazon.${suffix}`,
    host: `www.amazon.${suffix}`,
    name,
    currency,
    locale,
    acceptLanguage: `${locale},${locale.split('-')[0] ?? 'en'};q=0.9,en;q=0.5`,
  }),
);

const byId = new Map(MARKETPLACES.map((m) => [m.id, m]));

/**
 * Amazon's own marketplace identifiers (the SP-API ids). Every page, including the captcha
 * interstitial, names its marketplace in `ue_mid`, so this tells the storefront of a page that
 * has no canonical link.
 */
const AMAZON_IDS: Readonly<Record<string, string>> = {
  ATVPDKIKX0DER: 'amazon.com',
  A2EUQ1WTGCTBG2: 'amazon.ca',
  A1AM78C64UM0Y8: 'amazon.com.mx',
  A2Q3Y263D00KWC: 'amazon.com.br',
  A1F83G8C2ARO7P: 'amazon.co.uk',
  A1PA6795UKMFR9: 'amazon.de',
  A13V1IB3VIYZZH: 'amazon.fr',
  APJ6JRA9NG5V4: 'amazon.it',
  A1RKKUPIHCS9HS: 'amazon.es',
  A1805IZSGTT6HS: 'amazon.nl',
  A2NODRKZP88ZB9: 'amazon.se',
  A1C3SOZRARQ6R3: 'amazon.pl',
  A33AVAJ2PDY3EV: 'amazon.com.tr',
  A2VIGQ35RCS4UG: 'amazon.ae',
  A17E79C6D8DWNP: 'amazon.sa',
  A21TJRUUN4KGV: 'amazon.in',
  A1VC38T7YXB528: 'amazon.co.jp',
  A39IBJ37TRP1C6: 'amazon.com.au',
  A19VAU5U5O7RUS: 'amazon.sg',
  ARBP9OOSHTCHU: 'amazon.eg',
  AMEN7PMS3EDWL: 'amazon.com.be',
};

/** The marketplace of an Amazon marketplace id such as "A1PA6795UKMFR9". */
export function marketplaceByAmazonId(amazonId: string): Marketplace | undefined {
  const id = AMAZON_IDS[amazonId];
  return id === undefined ? undefined : byId.get(id);
}

export function marketplaceById(id: string): Marketplace | undefined {
  return byId.get(id);
}

/** The marketplace of a host name: www.amazon.de, amazon.de, smile.amazon.de, m.amazon.de. */
export function marketplaceForHost(host: string): Marketplace | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  const i = h.lastIndexOf('amazon.');
  if (i < 0 || (i > 0 && h[i - 1] !== '.')) return undefined;
  return byId.get(h.slice(i));
}
