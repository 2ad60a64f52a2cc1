/**
 * Money and time for people. Amounts arrive as exact decimal strings and are formatted as
 * strings (Intl accepts them since ES2023), so no price passes through a float on its way to the
 * screen. Comparisons use integer minor units in BigInt.
 *
 * Numbers and dates follow the logged-in person's locale and time zone from their profile (the
 * browser's own until someone logs in).
 */
import type { CurrencyDisplay, Money } from './api';

interface Preferences {
  readonly locale: string | undefined;
  readonly timeZone: string | undefined;
  readonly currencyDisplay: CurrencyDisplay;
}

let prefs: Preferences = { locale: undefined, timeZone: undefined, currencyDisplay: 'symbol' };
const formatters = new Map<string, Intl.NumberFormat>();
let absolute: Intl.DateTimeFormat | null = null;

/** Called when the logged-in user (or their profile) changes; undefined means the browser's. */
export function setFormatPreferences(
  locale: string | undefined,
  timeZone: string | undefined,
  currencyDisplay: CurrencyDisplay = 'symbol',
) {
  const next = { locale: validLocale(locale), timeZone: validTimeZone(timeZone), currencyDisplay };
  if (
    next.locale === prefs.locale &&
    next.timeZone === prefs.timeZone &&
    next.currencyDisplay === prefs.currencyDisplay
  )
    return;
  prefs = next;
  formatters.clear();
  absolute = null;
}

function validLocale(tag: string | undefined): string | undefined {
  return (tag && canonicalLocale(tag)) || undefined;
}

function validTimeZone(zone: string | undefined): string | undefined {
  return zone && isTimeZone(zone) ? zone : undefined;
}

/** An IANA time zone this browser knows (the server checks the same way). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A well-formed BCP 47 tag, canonically cased ("de-de" → "de-DE"), or null. */
export function canonicalLocale(tag: string): string | null {
  try {
    const all = Intl.getCanonicalLocales(tag.trim());
    return all.length === 1 ? (all[0] ?? null) : null;
  } catch {
    return null;
  }
}

type DecimalString = `${number}`;

const DECIMAL = /^\d+(\.\d+)?$/;

function isDecimal(s: string): s is DecimalString {
  return DECIMAL.test(s);
}

function currencyFormat(currency: string): Intl.NumberFormat {
  let f = formatters.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(prefs.locale, {
        style: 'currency',
        currency,
        currencyDisplay: prefs.currencyDisplay,
      });
    } catch {
      // An ISO code this browser does not know: show the digits with the code after them.
      f = new Intl.NumberFormat(prefs.locale, { minimumFractionDigits: 2 });
    }
    formatters.set(currency, f);
  }
  return f;
}

export function formatMoney(m: Money): string {
  if (!isDecimal(m.amount)) return `${m.amount} ${m.currency}`;
  const f = currencyFormat(m.currency);
  const text = f.format(m.amount);
  return f.resolvedOptions().style === 'currency' ? text : `${text} ${m.currency}`;
}

/** For axis labels and chart tooltips only, where uPlot hands us numbers. */
export function formatChartValue(value: number, currency: string): string {
  return currencyFormat(currency).format(value);
}

/** How many decimals a currency has (EUR 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

export function currencySymbol(currency: string): string {
  try {
    const part = new Intl.NumberFormat(prefs.locale, { style: 'currency', currency })
      .formatToParts(0)
      .find((p) => p.type === 'currency');
    return part?.value ?? currency;
  } catch {
    return currency;
  }
}

export type TargetCheck = { ok: true; amount: string } | { ok: false; message: string };

/**
 * A typed target price, checked the way the API will check it. A single comma is read as the
 * decimal separator because many shoppers write "9,99".
 */
export function checkTargetPrice(input: string, currency: string | null): TargetCheck {
  let s = input.trim().replace(/\s/g, '');
  if (s === '') return { ok: false, message: 'Enter the price you are willing to pay.' };
  if (!s.includes('.') && /^\d+,\d+$/.test(s)) s = s.replace(',', '.');
  if (!/^\d+(\.\d{1,3})?$/.test(s)) {
    return { ok: false, message: 'Enter a number such as 19.99, without the currency sign.' };
  }
  const [whole = '', fraction = ''] = s.split('.');
  // Unknown currency (never priced yet): the API's own limit of 3 decimals applies.
  const digits = currency ? currencyDigits(currency) : 3;
  if (fraction.length > digits) {
    return {
      ok: false,
      message:
        digits === 0
          ? `${currency ?? ''} prices have no decimals.`.trim()
          : `Use at most ${digits} decimals${currency ? ` for ${currency}` : ''}.`,
    };
  }
  if (whole.replace(/^0+/, '').length > 12)
    return { ok: false, message: 'That price is too large.' };
  if (/^0*$/.test(whole) && /^0*$/.test(fraction)) {
    return { ok: false, message: 'The target must be more than zero.' };
  }
  return { ok: true, amount: s };
}

/** An amount in integer minor units, for exact comparisons. */
export function toMinor(amount: string, digits: number): bigint | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(amount);
  if (!m) return null;
  const fraction = (m[2] ?? '').padEnd(digits, '0');
  if (fraction.length > digits) return null;
  return BigInt((m[1] ?? '0') + fraction);
}

export function fromMinor(minor: bigint, digits: number): string {
  const s = minor.toString().padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** 90% of a price, rounded down: a sensible example target. */
export function suggestedTarget(price: Money): string | null {
  const digits = currencyDigits(price.currency);
  const minor = toMinor(price.amount, digits);
  if (minor === null || minor === 0n) return null;
  return fromMinor((minor * 90n) / 100n, digits);
}

export function compareMoney(a: Money, b: Money): number | null {
  if (a.currency !== b.currency) return null;
  const digits = Math.max(fractionLength(a.amount), fractionLength(b.amount));
  const x = toMinor(a.amount, digits);
  const y = toMinor(b.amount, digits);
  if (x === null || y === null) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

function fractionLength(amount: string): number {
  const dot = amount.indexOf('.');
  return dot < 0 ? 0 : amount.length - dot - 1;
}

/** The decimal amount as a number, for plotting only: never for arithmetic or comparison. */
export function amountForChart(amount: string): number {
  return Number(amount);
}

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function timeAgo(iso: string, now: number): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  if (Number.isNaN(seconds)) return 'at an unknown time';
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60), 'minute');
}

export function formatDateTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  absolute ??= new Intl.DateTimeFormat(prefs.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: prefs.timeZone,
  });
  return absolute.format(t);
}
