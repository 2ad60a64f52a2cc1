/**
 * Reading prices as pages display them: "EUR 219,00", "1 234,56 €", "₹1,23,456.00", "CHF 1'299.00",
 * "￥1,280", "١٬٢٣٤٫٥٠ ر.س." (wrapped in bidi marks), inside whatever text surrounds them
 * ("Kindle Price: $10.99").
 *
 * How a number is read, in order of trust:
 *  1. what the string itself proves: two different separators ("1.234,56"), a separator repeated
 *     ("1,234,567"), a fraction that is not three digits long ("12,5"), Arabic ٫ and ٬;
 *  2. the currency: a lone separator before exactly three digits is a thousands separator unless
 *     the currency has three decimals (BHD, KWD), and then the locale says which mark is decimal;
 *  3. nothing else: strings that stay ambiguous or break the grouping rules are not prices.
 * Markup leaves two more shapes: cents set apart by a space ("$119. 95", "1.837, 32 €"), read as
 * cents only next to a currency mark, and the French euro sign in the decimal mark's place ("35€99").
 * Which number: the first one written next to a currency mark, else the first number at all;
 * percentages and numbers glued to words ("128GB") are never prices.
 */
import { currencyDecimals, decimalToMinor, minorToDecimal, type Money } from './money.js';
import {
  isKnownCurrency,
  markEndingAt,
  markStartingAt,
  resolveCurrency,
  type CurrencyHints,
  type Mark,
} from './marks.js';
import { isDigitAt, isLetterAt, isSpaceAt, normalizeText } from './text.js';

/** A price read from text: a normalized decimal ("1299.99") and the currency when it could be told. */
export interface ParsedPrice {
  /**
   * Plain decimal with "." and no grouping, digits as written ("219.00", "1590", "0.0005"). A minus
   * sign is kept when the text has one ("-100.00"): callers that want prices use parseMoney.
   */
  readonly amount: string;
  readonly currency: string | null;
}

export interface ParseHints {
  /** ISO 4217 code to assume when the text names none (the marketplace's currency). */
  readonly currency?: string | undefined;
  /** BCP 47 tag of the page or marketplace ("de-DE"); decides ambiguous separators. */
  readonly locale?: string | undefined;
}

export interface ParsedPriceRange {
  readonly min: ParsedPrice;
  readonly max: ParsedPrice;
}

/** The JSON that `pricehawk parse-price` prints for one string. */
export interface ParsePriceCliResult {
  readonly amount: string | null;
  readonly currency: string | null;
}

/** Parses a displayed price string; null when it holds no well-formed price. */
export function parsePrice(text: string, hints: ParseHints = {}): ParsedPrice | null {
  const s = normalizeText(String(text));
  const h = cleanHints(hints);
  const pick = choose(s, scan(s, h), h);
  return pick && read(pick.chosen, pick.partner, h);
}

/** parsePrice, as Money: null unless the text holds a non-negative amount in a known currency that
 * fits the currency's minor unit ("$0.0005" does not; "¥1,280.00" does). */
export function parseMoney(text: string, hints: ParseHints = {}): Money | null {
  const p = parsePrice(text, hints);
  if (!p?.currency || p.amount.startsWith('-')) return null;
  const minor = decimalToMinor(p.amount, p.currency);
  return minor === null ? null : { minor, currency: p.currency };
}

/**
 * "R$169,00 - R$199,90", "10 – 12 €", "£5 to £10": the first price and, when a range follows it,
 * the upper end (a single price gives min === max). Null when no price, when the ends disagree on
 * currency, when an end is negative, or when min > max.
 */
export function parsePriceRange(text: string, hints: ParseHints = {}): ParsedPriceRange | null {
  const s = normalizeText(String(text));
  const h = cleanHints(hints);
  const pick = choose(s, scan(s, h), h);
  if (!pick) return null;
  const min = read(pick.chosen, pick.partner, h);
  if (!min || min.amount.startsWith('-')) return null;
  if (!pick.partner) return { min, max: min };
  const max = read(pick.partner, pick.chosen, h);
  if (!max || max.amount.startsWith('-') || max.currency !== min.currency) return null;
  return compareDecimals(min.amount, max.amount) <= 0 ? { min, max } : null;
}

/**
 * The `pricehawk parse-price` contract: `{ amount, currency }`, amount in the currency's canonical
 * decimals when the currency is known ("EUR 219" → "219.00"), both null when the text holds no
 * usable price (negative, or finer than the currency's minor unit).
 */
export function parsePriceCli(
  text: string,
  hints: { currency?: string | undefined; locale?: string | undefined } = {},
): ParsePriceCliResult {
  const p = parsePrice(text, hints);
  if (!p || p.amount.startsWith('-')) return { amount: null, currency: null };
  if (!p.currency) return { amount: p.amount, currency: null };
  const minor = decimalToMinor(p.amount, p.currency);
  if (minor === null) return { amount: null, currency: null };
  return { amount: minorToDecimal(minor, p.currency), currency: p.currency };
}

// ---------------------------------------------------------------------------------------------
// Hints

interface Hints extends CurrencyHints {
  /** The locale's decimal mark when it is "." or ",", else null. */
  readonly decimalMark: string | null;
}

const localeCache = new Map<string, { locale: string; decimalMark: string | null } | null>();

function cleanLocale(tag: string): { locale: string; decimalMark: string | null } | null {
  let v = localeCache.get(tag);
  if (v === undefined) {
    try {
      const locale = Intl.getCanonicalLocales(tag)[0] ?? null;
      const mark = locale
        ? new Intl.NumberFormat(locale, { minimumFractionDigits: 1 })
            .formatToParts(1)
            .find((p) => p.type === 'decimal')?.value
        : undefined;
      v = locale ? { locale, decimalMark: mark === '.' || mark === ',' ? mark : null } : null;
    } catch {
      // A malformed tag from a page or a flag is no reason to fail the parse; it just doesn't help.
      v = null;
    }
    if (localeCache.size > 1000) localeCache.clear();
    localeCache.set(tag, v);
  }
  return v;
}

function cleanHints(hints: ParseHints): Hints {
  const code = hints.currency?.trim().toUpperCase();
  // Pages write "de_DE" (og:locale) as often as "de-DE".
  const tag = hints.locale?.trim().replace(/_/g, '-');
  const loc = tag ? cleanLocale(tag) : null;
  return {
    currency: code && isKnownCurrency(code) ? code : null,
    locale: loc?.locale ?? null,
    decimalMark: loc?.decimalMark ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Scanning: numbers and what is written around them

const SPACE = 32;
const APOSTROPHE = 39;
const DOT = 46;
const COMMA = 44;
const AR_DECIMAL = 0x066b; // ٫
const AR_GROUP = 0x066c; // ٬

function isSeparator(c: number): boolean {
  return (
    c === SPACE ||
    c === DOT ||
    c === COMMA ||
    c === APOSTROPHE ||
    c === AR_DECIMAL ||
    c === AR_GROUP
  );
}

/** A run of digits and separators, split into digit groups and the separators between them. */
interface NumberToken {
  readonly start: number;
  readonly end: number;
  readonly groups: readonly string[];
  readonly seps: readonly string[];
  /** Two separators in a row ("100..00", "1, 000"): never a price. */
  readonly malformed: boolean;
  /**
   * Where the number would end without its last group when that group is a fraction set off by
   * a space ("$119. 95", "1.837, 32 €"), else -1. Such a fraction only counts next to a currency
   * mark; without one the number ends here.
   */
  readonly spacedFrom: number;
}

/** A plausible "1 234" leading group: 1–3 digits, no leading zero. */
function groupLead(g: string): boolean {
  return g.length >= 1 && g.length <= 3 && g.charCodeAt(0) !== 48;
}

/**
 * Whether the two digits ending at `i` close a price: nothing but a currency mark, punctuation or
 * the end of the text follows, so "119. 95" is one price while "$20. 25 left" is a sentence and
 * "20, 25%" two numbers.
 */
function fractionEnds(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if ((c === DOT || c === COMMA || c === APOSTROPHE) && isDigitAt(s, i + 1)) return false;
  const k = skipSpacesRight(s, i);
  if (k >= s.length) return true;
  if (markStartingAt(s, k, null)) return true;
  return !isLetterAt(s, k) && !isDigitAt(s, k) && s.charCodeAt(k) !== 37; /* % */
}

function readToken(s: string, start: number): NumberToken {
  let i = start;
  while (isDigitAt(s, i)) i++;
  const groups = [s.slice(start, i)];
  const seps: string[] = [];
  let end = i;
  let malformed = false;
  let onlySpaces = true;
  let spacedFrom = -1;
  for (;;) {
    let k = end;
    while (k < s.length && k - end < 3 && isSeparator(s.charCodeAt(k))) k++;
    if (k === end || !isDigitAt(s, k)) break;
    let m = k;
    while (isDigitAt(s, m)) m++;
    const run = s.slice(end, k);
    const digits = s.slice(k, m);
    // Cents set apart in markup (<sup>95</sup>) reach us as "119. 95" or "1.837, 32": a decimal
    // mark, one space, two digits that end the price, and a mark the number did not use yet.
    if (
      run.length === 2 &&
      (run[0] === '.' || run[0] === ',') &&
      run[1] === ' ' &&
      digits.length === 2 &&
      !seps.includes(run[0]) &&
      fractionEnds(s, m)
    ) {
      spacedFrom = end;
      seps.push(run[0]);
      groups.push(digits);
      end = m;
      break;
    }
    if (run.length > 1) {
      // Spaces alone separate words ("2  items"), and so does ", " before a short number
      // ("EUR 12,99, 2 Angebote"); before a three-digit group it is a broken number ("1, 000.00"),
      // and two marks in a row ("100..00") always are.
      if (run.trim() === '' || (run.includes(' ') && digits.length !== 3)) break;
      malformed = true;
      onlySpaces = false;
    } else if (run === ' ') {
      // A space groups thousands only as the sole separator so far, before exactly three digits;
      // otherwise it ends the number ("EUR 219,00 2 Angebote").
      if (!groupLead(groups[0]!) || digits.length !== 3 || !onlySpaces) break;
    } else {
      onlySpaces = false;
    }
    seps.push(run);
    groups.push(digits);
    end = m;
  }
  return { start, end, groups, seps, malformed, spacedFrom };
}

/** The token without its spaced-off fraction ("119. 95" read as "119"). */
function withoutSpacedFraction(t: NumberToken): NumberToken {
  return {
    ...t,
    end: t.spacedFrom,
    groups: t.groups.slice(0, -1),
    seps: t.seps.slice(0, -1),
    spacedFrom: -1,
  };
}

interface Candidate {
  readonly token: NumberToken;
  /** ".99" after a symbol: the digits are the fraction. */
  readonly leadingFraction: boolean;
  /** Extent including marks and sign, so that neighbours do not claim them. */
  readonly from: number;
  readonly to: number;
  readonly marks: readonly Mark[];
  readonly negative: boolean;
  readonly malformed: boolean;
  /** Cents written after a euro sign that stands where the decimal mark goes ("35€99"). */
  readonly euroFraction: string | null;
}

function skipSpacesLeft(s: string, i: number, limit: number): number {
  while (i > limit && isSpaceAt(s, i - 1)) i--;
  return i;
}

function skipSpacesRight(s: string, i: number): number {
  while (i < s.length && isSpaceAt(s, i)) i++;
  return i;
}

function numberFollows(s: string, i: number): boolean {
  let k = skipSpacesRight(s, i);
  const c = s.charCodeAt(k);
  if (c === 45 || c === 43) k = skipSpacesRight(s, k + 1);
  return isDigitAt(s, k);
}

// Bounded so that long prose full of numbers costs little: the answer is among the first few.
const MAX_CANDIDATES = 64;

function scan(s: string, h: Hints): Candidate[] {
  const out: Candidate[] = [];
  let limit = 0;
  let firstMarked = -1;
  for (let i = 0; i < s.length; i++) {
    if (!isDigitAt(s, i)) continue;
    let token = readToken(s, i);
    let c = around(s, token, limit, h);
    if (token.spacedFrom >= 0 && (!c || c.marks.length === 0)) {
      // "Sizes 10, 12" and "36. 24" hold no currency to vouch for a set-off fraction.
      token = withoutSpacedFraction(token);
      c = around(s, token, limit, h);
    }
    // A fraction written after the euro sign ("35€99") is part of this candidate.
    i = Math.max(token.end, c ? c.to : 0) - 1;
    limit = c ? c.to : token.end;
    if (!c) continue;
    out.push(c);
    if (firstMarked < 0 && c.marks.length > 0) firstMarked = out.length - 1;
    // One candidate past the first marked one is all `choose` ever looks at.
    if (firstMarked >= 0 && out.length > firstMarked + 1) break;
    if (out.length >= MAX_CANDIDATES) break;
  }
  return out;
}

/** The marks and sign around a number, or null when the number is not a price candidate. */
function around(s: string, token: NumberToken, limit: number, h: Hints): Candidate | null {
  const expected = h.currency;
  let p = token.start;
  const before = s.charCodeAt(p - 1);
  const separatorBefore =
    p - 1 >= limit &&
    (before === DOT || before === COMMA) &&
    !isLetterAt(s, p - 2) &&
    !isDigitAt(s, p - 2);
  // "$.99" is 99 cents; ".5.5" is a fragment of something else.
  const leadingFraction = separatorBefore && token.seps.length === 0;
  const fragment = separatorBefore && !leadingFraction;
  if (leadingFraction) p--;

  // Prefix, read outward from the number: signs may sit anywhere ("-US$1", "€ -1", "-USD $1"), a
  // symbol sits inside a code ("USD $100"); a symbol outside a code ("$ USD 100") is garbage.
  const marks: Mark[] = [];
  let malformed = token.malformed || fragment;
  let sign = 0;
  let pos = p;
  let sawCode = false;
  let sawSymbol = false;
  for (let round = 0; round < 3; round++) {
    let k = skipSpacesLeft(s, pos, limit);
    // A label colon may sit between a currency and its amount ("USD: 1,299.00", "US$:12.99").
    if (round === 0 && k - 1 >= limit && s.charCodeAt(k - 1) === 58 /* : */) {
      const beforeColon = skipSpacesLeft(s, k - 1, limit);
      if (markEndingAt(s, beforeColon, limit, expected)) k = beforeColon;
    }
    const c = k - 1 >= limit ? s.charCodeAt(k - 1) : -1;
    if ((c === 45 || c === 43) && isSign(s, k - 1, limit, expected)) {
      if (sign !== 0) malformed = true;
      sign = c;
      pos = k - 1;
      k = skipSpacesLeft(s, pos, limit);
    }
    const m = markEndingAt(s, k, limit, expected);
    if (!m) break;
    if (m.isCode ? sawCode : sawSymbol || sawCode) {
      malformed = true;
      break;
    }
    if (m.isCode) sawCode = true;
    else sawSymbol = true;
    marks.push(m);
    pos = k - m.text.length;
  }
  if (marks.length === 0 && sign === 0 && isLetterAt(s, p - 1)) return null;
  const from = marks.length > 0 || sign !== 0 ? pos : p;

  // Suffix: symbol then code ("$100 USD", "10 000,00 zł PLN"), after an optional ",-".
  let q = token.end;
  const c0 = s.charCodeAt(q);
  const c1 = s.charCodeAt(q + 1);
  if ((c0 === DOT || c0 === COMMA) && (c1 === 45 || c1 === 0x2013)) q += 2;
  let k = skipSpacesRight(s, q);
  if (s.charCodeAt(k) === 37 /* % */) return null;
  const prefixMarks = marks.length;
  sawCode = false;
  sawSymbol = false;
  let euroFraction: string | null = null;
  for (let round = 0; round < 3; round++) {
    k = skipSpacesRight(s, q);
    const m = markStartingAt(s, k, expected);
    if (!m) break;
    const after = k + m.text.length;
    // French shops put the euro sign where the decimal mark goes: "35€99 TTC" is 35.99 €, not
    // 35 € followed by some 99. Exactly two digits qualify ("1250€600" stays 1250 €); when markup
    // set them apart with a space ("35€ 99"), only if nothing but punctuation or the end follows.
    if (m.text === '€' && k === q && marks.length === 0 && q === token.end) {
      const glued = isDigitAt(s, after);
      const d = glued ? after : s.charCodeAt(after) === SPACE ? after + 1 : -1;
      const c2 = s.charCodeAt(d + 2);
      if (
        d > 0 &&
        isDigitAt(s, d) &&
        isDigitAt(s, d + 1) &&
        !isDigitAt(s, d + 2) &&
        !((c2 === DOT || c2 === COMMA) && isDigitAt(s, d + 3)) &&
        (glued || fractionEnds(s, d + 2))
      ) {
        marks.push(m);
        euroFraction = s.slice(d, d + 2);
        q = d + 2;
        break;
      }
    }
    // "£13.53 £16.99", "Kindle-10 $5": a mark before the next number belongs to it when this
    // number already has one, or when the mark is spaced from this number but glued to the next.
    if (numberFollows(s, after) && (marks.length > 0 || (k > q && !isSpaceAt(s, after)))) {
      break;
    }
    if (m.isCode ? sawCode : sawSymbol || sawCode) {
      if (!numberFollows(s, after)) malformed = true;
      break;
    }
    if (m.isCode) sawCode = true;
    else sawSymbol = true;
    marks.push(m);
    q = after;
  }
  if (marks.length === prefixMarks && isLetterAt(s, token.end)) return null;

  return {
    token,
    leadingFraction,
    from,
    to: marks.length > prefixMarks ? q : token.end,
    marks,
    negative: sign === 45,
    malformed,
    euroFraction,
  };
}

/** Whether the "-" or "+" at `i` is a sign rather than a hyphen or a range dash. */
function isSign(s: string, i: number, limit: number, expected: string | null): boolean {
  if (isDigitAt(s, i - 1)) return false;
  // "Kindle-10" is a hyphen; "CHF-0.50" (Swiss negative) is a sign after a code.
  if (isLetterAt(s, i - 1) && !markEndingAt(s, i, limit, expected)) return false;
  // "$10.99 - $12.99": a dash right after the previous number joins a range.
  return !(limit > 0 && skipSpacesLeft(s, i, limit) === limit);
}

const RANGE_JOINER = /^\s*(?:-|–|—|~|〜|to|bis|à|a|au|até|hasta|tot|till)\s*$/i;

interface Pick {
  readonly chosen: Candidate;
  /** The other end when `chosen` starts a range. */
  readonly partner: Candidate | null;
}

function joined(s: string, a: Candidate, b: Candidate | undefined): b is Candidate {
  return b !== undefined && RANGE_JOINER.test(s.slice(a.to, b.from));
}

function choose(s: string, found: readonly Candidate[], h: Hints): Pick | null {
  if (found.length === 0) return null;
  const m = found.findIndex((c) => c.marks.length > 0);
  const before = found[m - 1];
  const marked = found[m];
  if (before && before.marks.length === 0 && joined(s, before, marked)) {
    // "10 – 12 €" is a range whose low end borrows the currency; "50 - $2.00" (a quantity tier)
    // is not: a bare number above the priced one cannot be the low end of its range.
    const low = read(before, marked, h);
    const high = read(marked, before, h);
    const ascending =
      !low ||
      !high ||
      low.amount.startsWith('-') ||
      high.amount.startsWith('-') ||
      compareDecimals(low.amount, high.amount) <= 0;
    if (ascending) return { chosen: before, partner: marked };
  }
  const i = m < 0 ? 0 : m;
  const chosen = found[i]!;
  const next = found[i + 1];
  return { chosen, partner: joined(s, chosen, next) ? next : null };
}

// ---------------------------------------------------------------------------------------------
// Reading the chosen number

/** Integer and fraction digits of a token, or null when its separators make no sense. */
function interpret(
  token: NumberToken,
  leadingFraction: boolean,
  decimals: number,
  decimalMark: string | null,
  euroFraction: string | null = null,
): { int: string; frac: string } | null {
  const { groups: g, seps } = token;
  const n = seps.length;
  if (euroFraction !== null) {
    // The euro sign took the decimal mark's place, so every separator before it groups thousands.
    if (leadingFraction) return null;
    if (n > 0 && (!seps.every((x) => x === seps[0]) || !grouped(g, seps[0]!))) return null;
    return { int: strip(g.join('')), frac: euroFraction };
  }
  if (n === 0) return leadingFraction ? { int: '0', frac: g[0]! } : { int: strip(g[0]!), frac: '' };
  if (leadingFraction) return null;
  const last = seps[n - 1]!;
  let intGroups: readonly string[];
  let frac: string;
  if (seps.every((x) => x === last)) {
    if (last === '٫') {
      if (n !== 1) return null;
      intGroups = [g[0]!];
      frac = g[1]!;
    } else if (n > 1 || last === ' ' || last === "'" || last === '٬') {
      if (!grouped(g, last)) return null;
      intGroups = g;
      frac = '';
    } else {
      // The one ambiguous shape: "1.234" / "1,234".
      const a = g[0]!;
      const b = g[1]!;
      const decimal =
        b.length !== 3 ||
        !groupLead(a) ||
        (decimals >= 3 && (decimalMark !== null ? decimalMark === last : last === '.'));
      intGroups = decimal ? [a] : g;
      frac = decimal ? b : '';
    }
  } else {
    if (last !== '.' && last !== ',' && last !== '٫') return null;
    const gsep = seps[0]!;
    if (gsep === '٫') return null;
    for (let i = 1; i < n - 1; i++) if (seps[i] !== gsep) return null;
    intGroups = g.slice(0, n);
    if (!grouped(intGroups, gsep)) return null;
    frac = g[n]!;
  }
  const int = strip(intGroups.join(''));
  // More fraction digits than any price shows ("1000.0000", "1,234.567" in dollars) means the
  // string is not what we think it is; sub-unit prices ("$0.0005") are the exception.
  if (frac.length > Math.max(2, decimals) && int !== '0') return null;
  return { int, frac };
}

function strip(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
}

/** Thousands grouping (1,234,567) or Indian lakh/crore grouping (12,34,567). */
function grouped(g: readonly string[], sep: string): boolean {
  if (!groupLead(g[0]!)) return false;
  let standard = true;
  for (let i = 1; i < g.length; i++) if (g[i]!.length !== 3) standard = false;
  if (standard) return true;
  if (sep !== ',' || g.length < 3 || g[0]!.length > 2 || g[g.length - 1]!.length !== 3)
    return false;
  for (let i = 1; i < g.length - 1; i++) if (g[i]!.length !== 2) return false;
  return true;
}

function read(c: Candidate, partner: Candidate | null, h: Hints): ParsedPrice | null {
  if (c.malformed) return null;
  // The low end of "10 – 12 €" takes the currency written after the high end.
  const marks = c.marks.length > 0 ? c.marks : (partner?.marks ?? []);
  const resolved = resolveCurrency(marks, h);
  if (resolved === undefined) return null;
  const currency = resolved ?? h.currency;
  const decimals = currency ? currencyDecimals(currency) : 2;
  const r = interpret(c.token, c.leadingFraction, decimals, h.decimalMark, c.euroFraction);
  if (!r) return null;
  const amount = r.frac ? `${r.int}.${r.frac}` : r.int;
  const zero = r.int === '0' && !/[1-9]/.test(r.frac);
  return { amount: c.negative && !zero ? `-${amount}` : amount, currency };
}

/** Compares two unsigned plain decimals without turning them into floats. */
function compareDecimals(a: string, b: string): number {
  const [ai = '', af = ''] = a.split('.');
  const [bi = '', bf = ''] = b.split('.');
  if (ai.length !== bi.length) return ai.length - bi.length;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const w = Math.max(af.length, bf.length);
  const x = af.padEnd(w, '0');
  const y = bf.padEnd(w, '0');
  return x === y ? 0 : x < y ? -1 : 1;
}
