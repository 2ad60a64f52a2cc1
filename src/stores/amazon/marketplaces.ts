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

export const MARKETPLACES: readonly Marketplace[] = table.map(([suffix, name, currency, locale]) => ({
  id: `amazon.${suffix}`,
  host: `www.amazon.${suffix}`,
  name,
  currency,
  locale,
  acceptLanguage: `${locale},${locale.split('-')[0] ?? 'en'};q=0.9,en;q=0.5`,
}));

const byId = new Map(MARKETPLACES.map((m) => [m.id, m]));

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
