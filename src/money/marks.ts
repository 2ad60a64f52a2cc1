/**
 * Currency marks: the ISO codes and symbols written next to an amount, and how an ambiguous symbol
 * ("$", "¥", "kr") is pinned to one currency with the page's hints.
 */
import { isLetterAt } from './text.js';

/** A currency mark found in text. `currencies[0]` is what the mark means when nothing else tells. */
export interface Mark {
  readonly text: string;
  readonly isCode: boolean;
  readonly currencies: readonly string[];
}

// Symbols are written in the folded alphabet of normalizeText (no NBSP, ASCII apostrophes, ¥ not
// ￥). The first currency is the reading without hints; the others are what a hint may select.
const DOLLAR = [
  'USD',
  'CAD',
  'AUD',
  'MXN',
  'SGD',
  'NZD',
  'HKD',
  'TWD',
  'ARS',
  'CLP',
  'COP',
  'UYU',
  'BND',
  'BSD',
  'BBD',
  'BZD',
  'BMD',
  'FJD',
  'JMD',
  'KYD',
  'LRD',
  'NAD',
  'SBD',
  'SRD',
  'TTD',
  'XCD',
  'GYD',
  'DOP',
  'CUP',
];
const SYMBOL_TABLE: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['$', DOLLAR],
  ['US$', ['USD']],
  ['U$S', ['USD']],
  ['$US', ['USD']],
  ['$ US', ['USD']],
  ['C$', ['CAD', 'NIO']],
  ['CA$', ['CAD']],
  ['CDN$', ['CAD']],
  ['$CA', ['CAD']],
  ['$ CA', ['CAD']],
  ['A$', ['AUD']],
  ['AU$', ['AUD']],
  ['$AU', ['AUD']],
  ['$ AU', ['AUD']],
  ['S$', ['SGD']],
  ['SG$', ['SGD']],
  ['MX$', ['MXN']],
  ['Mex$', ['MXN']],
  ['NZ$', ['NZD']],
  ['HK$', ['HKD']],
  ['NT$', ['TWD']],
  ['R$', ['BRL']],
  // eBay writes the country before a spaced dollar ("AU $59.95", "US $1.23"); not "C $12.34",
  // which reads the same as "Type C $15" or "Vitamin C $9.99".
  ['US $', ['USD']],
  ['AU $', ['AUD']],
  ['CAN$', ['CAD']],
  ['$U', ['UYU']],
  ['EC$', ['XCD']],
  ['T$', ['TOP']],
  ['RD$', ['DOP']],
  ['J$', ['JMD']],
  ['TT$', ['TTD']],
  ['BZ$', ['BZD']],
  ['GY$', ['GYD']],
  ['MOP$', ['MOP']],
  ['€', ['EUR']],
  ['Euro', ['EUR']],
  ['Euros', ['EUR']],
  ['euro', ['EUR']],
  ['euros', ['EUR']],
  ['EURO', ['EUR']],
  ['£', ['GBP', 'EGP', 'GIP', 'FKP', 'SHP', 'SSP']],
  ['UK£', ['GBP']],
  // The lira sign: the liras it stood for (ITL, MTL) are gone, and pages use it for the pound.
  ['₤', ['GBP']],
  ['L£', ['LBP']],
  ['E£', ['EGP']],
  ['EG£', ['EGP']],
  ['L.E.', ['EGP']],
  ['¥', ['JPY', 'CNY']],
  ['JP¥', ['JPY']],
  ['円', ['JPY']],
  ['yen', ['JPY']],
  ['Yen', ['JPY']],
  ['CN¥', ['CNY']],
  ['元', ['CNY']],
  ['RMB', ['CNY']],
  ['₹', ['INR']],
  ['Rs', ['INR', 'PKR', 'LKR', 'NPR', 'MUR', 'SCR']],
  ['Rs.', ['INR', 'PKR', 'LKR', 'NPR', 'MUR', 'SCR']],
  ['₨', ['INR', 'PKR', 'LKR', 'NPR', 'MUR', 'SCR']],
  ['₪', ['ILS']],
  ['₽', ['RUB']],
  ['руб', ['RUB']],
  ['руб.', ['RUB']],
  ['Руб', ['RUB']],
  ['Руб.', ['RUB']],
  ['р.', ['RUB']],
  // Russian shops write the rouble as a bare Cyrillic "Р"/"р" (the ₽ fallback) or spell it out.
  ['р', ['RUB']],
  ['Р', ['RUB']],
  ['рубль', ['RUB']],
  ['рубля', ['RUB']],
  ['рублей', ['RUB']],
  ['грн', ['UAH']],
  ['грн.', ['UAH']],
  ['Br', ['BYN', 'ETB']],
  ['zł', ['PLN']],
  ['Zł', ['PLN']],
  ['ZŁ', ['PLN']],
  ['zl', ['PLN']],
  ['₺', ['TRY']],
  ['TL', ['TRY']],
  ['kr', ['SEK', 'NOK', 'DKK', 'ISK']],
  ['kr.', ['DKK', 'SEK', 'NOK', 'ISK']],
  ['Kr', ['SEK', 'NOK', 'DKK', 'ISK']],
  ['Kr.', ['DKK', 'SEK', 'NOK', 'ISK']],
  ['Skr', ['SEK']],
  ['Nkr', ['NOK']],
  ['Dkr', ['DKK']],
  ['Fr.', ['CHF']],
  ['Fr', ['CHF']],
  ['SFr.', ['CHF']],
  ['د.إ', ['AED']],
  ['د.إ.', ['AED']],
  ['درهم', ['AED']],
  ['ر.س', ['SAR']],
  ['ر.س.', ['SAR']],
  ['ريال', ['SAR', 'QAR', 'OMR', 'YER', 'IRR']],
  // Persian spelling (with ی), as Iranian pages and fa-IR write the rial.
  ['ریال', ['IRR']],
  ['ج.م', ['EGP']],
  ['ج.م.', ['EGP']],
  ['جنيه', ['EGP']],
  ['د.ك', ['KWD']],
  ['د.ك.', ['KWD']],
  ['د.ب', ['BHD']],
  ['د.ب.', ['BHD']],
  ['ر.ق', ['QAR']],
  ['ر.ق.', ['QAR']],
  ['ر.ع', ['OMR']],
  ['ر.ع.', ['OMR']],
  ['د.أ', ['JOD']],
  ['د.أ.', ['JOD']],
  ['﷼', ['SAR', 'QAR', 'OMR', 'YER', 'IRR']],
  // Gulf dinars have three decimals, so the mark also decides what "423.923" means. (Read only
  // when that currency is expected: see HINT_ONLY_SYMBOLS.)
  ['KD', ['KWD']],
  ['BD', ['BHD']],
  ['₩', ['KRW']],
  ['₱', ['PHP']],
  ['฿', ['THB']],
  ['₫', ['VND']],
  // Vietnamese pages write the dong with the letter đ as often as with ₫.
  ['đ', ['VND']],
  ['Đ', ['VND']],
  ['VNĐ', ['VND']],
  ['원', ['KRW']],
  ['₴', ['UAH']],
  ['₸', ['KZT']],
  ['₾', ['GEL']],
  ['₼', ['AZN']],
  ['₦', ['NGN']],
  ['₵', ['GHS']],
  ['KSh', ['KES']],
  ['Ksh', ['KES']],
  ['TSh', ['TZS']],
  ['USh', ['UGX']],
  // CLDR's narrow symbols for currencies whose sign is a glyph of its own.
  ['GH₵', ['GHS']],
  ['؋', ['AFN']],
  ['֏', ['AMD']],
  ['৳', ['BDT']],
  ['₡', ['CRC']],
  ['៛', ['KHR']],
  ['₭', ['LAK']],
  ['₮', ['MNT']],
  ['₲', ['PYG']],
  ['⃀', ['KGS']],
  ['FCFA', ['XAF', 'XOF']],
  ['F CFA', ['XOF']],
  ['CFA', ['XOF', 'XAF']],
  ['Kč', ['CZK']],
  ['Ft', ['HUF']],
  ['lei', ['RON']],
  ['Lei', ['RON']],
  ['LEI', ['RON']],
  ['din', ['RSD']],
  ['din.', ['RSD']],
  ['dinara', ['RSD']],
  ['Dinara', ['RSD']],
  ['дин', ['RSD']],
  ['дин.', ['RSD']],
  ['лв', ['BGN']],
  ['лв.', ['BGN']],
  ['RM', ['MYR']],
  ['Rp', ['IDR']],
  ['S/', ['PEN']],
  ['R', ['ZAR']],
];

function indexBy(key: (text: string) => string): ReadonlyMap<string, readonly Mark[]> {
  const map = new Map<string, Mark[]>();
  for (const [text, currencies] of SYMBOL_TABLE) {
    const k = key(text);
    const list = map.get(k) ?? [];
    list.push({ text, isCode: false, currencies });
    map.set(k, list);
  }
  // Longest first, so "US$" wins over "$" and "руб." over "руб".
  for (const list of map.values()) list.sort((a, b) => b.text.length - a.text.length);
  return map;
}

// Indexed by the character next to the number, so a lookup tries a handful of symbols, not all.
const BY_LAST_CHAR = indexBy((t) => t.slice(-1));
const BY_FIRST_CHAR = indexBy((t) => t.charAt(0));

const CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

// Abbreviations that product names and sentences use as often as shops use them for money
// ("Nike KD 15", "Sony BD player", "CFA 2024 guide", Swedish "din" = "your"): like the word-like
// codes below, read only when the caller expects that currency.
const HINT_ONLY_SYMBOLS: ReadonlySet<string> = new Set(['KD', 'BD', 'Br', 'CFA', 'din']);

function usable(m: Mark, expected: string | null): boolean {
  return !HINT_ONLY_SYMBOLS.has(m.text) || (expected !== null && m.currencies.includes(expected));
}

// ISO codes that are also everyday capitalised words ("TOP 10", "ALL 3 FOR"): read as currency only
// when the caller says that currency is expected.
const WORDLIKE_CODES: ReadonlySet<string> = new Set([
  'ALL',
  'BAM',
  'BOB',
  'CUP',
  'GEL',
  'MAD',
  'MOP',
  'PEN',
  'SOS',
  'TOP',
]);

export function isKnownCurrency(code: string): boolean {
  return CODES.has(code);
}

function bounded(s: string, start: number, end: number): boolean {
  // A mark that begins or ends with a letter must not be glued to more letters ("kr" in "Ukraine").
  if (isLetterAt(s, start) && isLetterAt(s, start - 1)) return false;
  if (isLetterAt(s, end - 1) && isLetterAt(s, end)) return false;
  return true;
}

function codeAt(s: string, start: number, expected: string | null): Mark | null {
  if (start < 0 || start + 3 > s.length) return null;
  for (let i = start; i < start + 3; i++) {
    const c = s.charCodeAt(i);
    if (c < 65 || c > 90) return null;
  }
  if (isLetterAt(s, start - 1) || isLetterAt(s, start + 3)) return null;
  const code = s.slice(start, start + 3);
  if (!CODES.has(code)) return null;
  if (WORDLIKE_CODES.has(code) && code !== expected) return null;
  return { text: code, isCode: true, currencies: [code] };
}

/** The symbol or code that ends exactly at `end` and starts no earlier than `limit`. */
export function markEndingAt(
  s: string,
  end: number,
  limit: number,
  expected: string | null,
): Mark | null {
  if (end <= limit) return null;
  const list = BY_LAST_CHAR.get(s.charAt(end - 1));
  if (list) {
    for (const m of list) {
      const start = end - m.text.length;
      if (
        start >= limit &&
        s.startsWith(m.text, start) &&
        bounded(s, start, end) &&
        usable(m, expected)
      ) {
        return m;
      }
    }
  }
  return end - 3 >= limit ? codeAt(s, end - 3, expected) : null;
}

/** The symbol or code that starts exactly at `start`. */
export function markStartingAt(s: string, start: number, expected: string | null): Mark | null {
  const list = BY_FIRST_CHAR.get(s.charAt(start));
  if (list) {
    for (const m of list) {
      if (
        s.startsWith(m.text, start) &&
        bounded(s, start, start + m.text.length) &&
        usable(m, expected)
      ) {
        return m;
      }
    }
  }
  return codeAt(s, start, expected);
}

const displayCache = new Map<string, string | null>();

/** How `locale` writes `currency`'s symbol, folded like page text and without a trailing dot. */
function displaySymbol(locale: string, currency: string, display: 'symbol' | 'narrowSymbol') {
  const key = `${locale}|${currency}|${display}`;
  let v = displayCache.get(key);
  if (v === undefined) {
    try {
      const part = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        currencyDisplay: display,
      })
        .formatToParts(0)
        .find((p) => p.type === 'currency');
      v = part ? bare(part.value) : null;
    } catch {
      v = null;
    }
    if (displayCache.size > 5000) displayCache.clear();
    displayCache.set(key, v);
  }
  return v;
}

function bare(symbol: string): string {
  // Intl's symbols carry NBSP/bidi marks and sometimes a final dot ("kr.", "ر.س."); compare without.
  let t = symbol.replace(/[\u00a0\u200e\u200f\u061c\u202f]/g, ' ').trim();
  if (t.endsWith('.')) t = t.slice(0, -1);
  if (t === '￥') t = '¥';
  return t;
}

/** Whether a page may write `currency` with this symbol. */
function accepts(mark: Mark, currency: string): boolean {
  if (mark.currencies.includes(currency)) return true;
  // Symbols we do not list (e.g. "$" for a dollar we forgot): trust what ICU itself prints.
  return displaySymbol('en', currency, 'narrowSymbol') === bare(mark.text);
}

const localeChoiceCache = new Map<string, string | null>();

/** Of the currencies a symbol may mean, the one `locale` itself writes with that symbol. */
function chooseByLocale(mark: Mark, options: readonly string[], locale: string): string | null {
  const key = `${locale}|${mark.text}|${options.join()}`;
  const cached = localeChoiceCache.get(key);
  if (cached !== undefined) return cached;
  const want = bare(mark.text);
  const matches = options.filter((c) => displaySymbol(locale, c, 'symbol') === want);
  const choice = matches.includes(options[0]!) ? options[0]! : (matches[0] ?? null);
  if (localeChoiceCache.size > 5000) localeChoiceCache.clear();
  localeChoiceCache.set(key, choice);
  return choice;
}

export interface CurrencyHints {
  readonly currency: string | null;
  readonly locale: string | null;
}

/**
 * The currency that a number's marks name, or null when they name none. Throws nothing: marks that
 * contradict each other ("EUR 10 £") give `undefined`, which the caller treats as not a price.
 */
export function resolveCurrency(
  marks: readonly Mark[],
  hints: CurrencyHints,
): string | null | undefined {
  if (marks.length === 0) return null;
  let code: string | null = null;
  for (const m of marks) {
    if (!m.isCode) continue;
    if (code !== null && code !== m.text) return undefined;
    code = m.text;
  }
  if (code !== null) {
    for (const m of marks) if (!m.isCode && !accepts(m, code)) return undefined;
    return code;
  }
  const [first, ...rest] = marks as [Mark, ...Mark[]];
  let options = first.currencies;
  for (const m of rest) options = options.filter((c) => accepts(m, c));
  if (options.length === 0) return undefined;
  if (options.length === 1 && rest.length === 0 && !hints.currency) return options[0]!;
  if (hints.currency && marks.every((m) => accepts(m, hints.currency!))) return hints.currency;
  if (options.length > 1 && hints.locale) {
    const byLocale = chooseByLocale(first, options, hints.locale);
    if (byLocale) return byLocale;
  }
  return options[0]!;
}
