/**
 * Money is an integer count of minor units plus an ISO 4217 currency code. Never a float: amounts
 * cross every boundary (database, API, CLI) either as this integer or as a decimal string.
 */
export interface Money {
  /** Minor units (cents, pence, yen): a safe integer. */
  readonly minor: number;
  /** ISO 4217 code, upper case. */
  readonly currency: string;
}

const decimalsCache = new Map<string, number>();
const numberFormats = new Map<string, Intl.NumberFormat>();

/** Whether `code` is an ISO 4217 currency code known to this runtime's ICU data. */
export function isCurrencyCode(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  try {
    return Intl.supportedValuesOf('currency').includes(code);
  } catch {
    return false;
  }
}

/**
 * The number of decimals of a currency's minor unit (USD 2, JPY 0, BHD 3), from the ICU data that
 * ships with Node, so that it follows ISO 4217 rather than a table we would have to maintain.
 */
export function currencyDecimals(currency: string): number {
  let d = decimalsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
    if (d === undefined) d = 2;
    decimalsCache.set(currency, d);
  }
  return d;
}

export function money(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`minor units must be a safe integer`);
  return { minor, currency };
}

/** "1234.5" / "1234.50" / "1234" in `currency` → minor units; null when not a plain decimal. */
export function decimalToMinor(decimal: string, currency: string): number | null {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) return null;
  const [, sign = '', whole = '', frac = ''] = m;
  const places = currencyDecimals(currency);
  if (frac.length > places && /[1-9]/.test(frac.slice(places))) return null;
  const digits = whole + frac.slice(0, places).padEnd(places, '0');
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) return null;
  return sign === '-' ? -n : n;
}

/** Minor units → the canonical decimal string of the API and CLI contracts ("39.99", "1500"). */
export function minorToDecimal(minor: number, currency: string): string {
  const places = currencyDecimals(currency);
  const neg = minor < 0;
  const s = String(Math.abs(minor));
  if (places === 0) return (neg ? '-' : '') + s;
  const padded = s.padStart(places + 1, '0');
  return (neg ? '-' : '') + padded.slice(0, padded.length - places) + '.' + padded.slice(-places);
}

export function toDecimal(m: Money): { amount: string; currency: string } {
  return { amount: minorToDecimal(m.minor, m.currency), currency: m.currency };
}

export function sameMoney(a: Money | null | undefined, b: Money | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.minor === b.minor && a.currency === b.currency;
}

/** Formats for people, in their locale ("1.299,00 €"). Display only: never parsed back by us. */
export function formatMoney(
  m: Money,
  locale = 'en-US',
  currencyDisplay: 'symbol' | 'narrowSymbol' | 'code' | 'name' = 'symbol',
): string {
  const key = `${locale}|${m.currency}|${currencyDisplay}`;
  let nf = numberFormats.get(key);
  if (!nf) {
    // Building a NumberFormat costs ~40x formatting with one: keep them.
    nf = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: m.currency,
      currencyDisplay,
    });
    numberFormats.set(key, nf);
  }
  // Intl.NumberFormat reads a decimal string exactly (ES2023), so no float ever carries the amount.
  return nf.format(minorToDecimal(m.minor, m.currency) as Intl.StringNumericLiteral);
}
