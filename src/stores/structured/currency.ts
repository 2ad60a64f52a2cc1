/**
 * Where a price's currency comes from when the price itself does not say. ICU in Node knows each
 * currency's symbols but not which country uses which currency, so that part is a table, limited to
 * regions whose stores publish schema.org prices; a region missing here simply gives no hint.
 */

const EURO = 'AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK'.split(' ');

const REGION_CURRENCY: ReadonlyMap<string, string> = new Map<string, string>([
  ...EURO.map((r) => [r, 'EUR'] as [string, string]),
  ['US', 'USD'],
  ['GB', 'GBP'],
  ['UK', 'GBP'],
  ['CA', 'CAD'],
  ['AU', 'AUD'],
  ['NZ', 'NZD'],
  ['JP', 'JPY'],
  ['CN', 'CNY'],
  ['IN', 'INR'],
  ['BR', 'BRL'],
  ['MX', 'MXN'],
  ['CH', 'CHF'],
  ['LI', 'CHF'],
  ['SE', 'SEK'],
  ['NO', 'NOK'],
  ['DK', 'DKK'],
  ['PL', 'PLN'],
  ['CZ', 'CZK'],
  ['HU', 'HUF'],
  ['RO', 'RON'],
  ['TR', 'TRY'],
  ['AE', 'AED'],
  ['SA', 'SAR'],
  ['EG', 'EGP'],
  ['SG', 'SGD'],
  ['HK', 'HKD'],
  ['KR', 'KRW'],
  ['ZA', 'ZAR'],
  ['IL', 'ILS'],
]);

/**
 * "de-DE", "de_DE" or "en-us" → the region's currency. A bare language ("de", "en") says nothing:
 * German is spoken in three currencies and English in dozens.
 */
export function currencyFromLocale(tag: string | null | undefined): string | null {
  if (!tag) return null;
  const region = /^[a-z]{2,3}[-_](?:[a-z]{4}[-_])?([a-z]{2})\b/i.exec(tag.trim())?.[1];
  return region ? (REGION_CURRENCY.get(region.toUpperCase()) ?? null) : null;
}

/** A country-code top-level domain's currency (zalando.de → EUR); generic TLDs give nothing. */
export function currencyFromHost(host: string | null | undefined): string | null {
  const tld = host ? /\.([a-z]{2})$/i.exec(host)?.[1] : undefined;
  return tld ? (REGION_CURRENCY.get(tld.toUpperCase()) ?? null) : null;
}

/** "de_DE" / "en-us" → a BCP 47 tag Intl accepts ("de-DE"), or undefined. */
export function localeTag(tag: string | null | undefined): string | undefined {
  if (!tag) return undefined;
  const t = tag.trim().replace(/_/g, '-');
  try {
    return Intl.getCanonicalLocales(t)[0];
  } catch {
    return undefined;
  }
}

const symbolCache = new Map<string, string>();

/** The short symbol people see for a currency ("$" for CAD and MXN, "kr" for SEK). */
function narrowSymbol(currency: string): string {
  let s = symbolCache.get(currency);
  if (s === undefined) {
    const parts = new Intl.NumberFormat('en', {
      style: 'currency',
      currency,
      currencyDisplay: 'narrowSymbol',
    }).formatToParts(1);
    s = parts.find((p) => p.type === 'currency')?.value ?? currency;
    symbolCache.set(currency, s);
  }
  return s;
}

/** Whether `text` shows `currency` by its ISO code or by its (possibly shared) symbol. */
export function textShowsCurrency(text: string, currency: string): boolean {
  if (new RegExp(`(?<![A-Za-z])${currency}(?![A-Za-z])`).test(text)) return true;
  const sym = narrowSymbol(currency);
  if (sym === currency) return false;
  // "US$" and "C$" name their dollar; only a bare "$" is the page's.
  const bare = new RegExp(`(?<!\\p{L})${sym.replace(/[.*+?^${}()|[\]\\$]/g, '\\$&')}`, 'u');
  return bare.test(text);
}

/** The ISO code written in `text` ("EUR 219,00", "AED330.00"), when there is one. */
export function isoCodeIn(text: string, isCode: (c: string) => boolean): string | null {
  for (const m of text.matchAll(/(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])/g)) {
    if (m[1] && isCode(m[1])) return m[1];
  }
  return null;
}
