/**
 * Character-level groundwork for the price parser: one normalisation pass that folds the many ways
 * pages spell the same digit, space or symbol into one form, and cheap character classes.
 */

// Pages hand us scraped text that sometimes still holds entities (feeds, JSON fields, alt text).
const ENTITY = /&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi;
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  nbsp: '\u00a0',
  thinsp: '\u2009',
  ensp: ' ',
  emsp: ' ',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  dollar: '$',
  curren: '¤',
  amp: '&',
  apos: "'",
  rsquo: "'",
  minus: '-',
  ndash: '–',
  mdash: '—',
};

function decodeEntity(whole: string, body: string): string {
  if (body.charCodeAt(0) !== 35 /* # */) return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88;
  const cp = Number.parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10);
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
}

// Everything outside ASCII that changes meaning-neutral spelling: exotic spaces, bidi and
// zero-width marks (Intl wraps Arabic prices in them), the decimal digits of every script (Intl
// itself writes bn, mr, ne, my and ar prices in native digits), full-width forms, typographic
// apostrophes used as Swiss grouping, and the Unicode minus.
const FOLD =
  /[\u00a0\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u061c\ufeff\uff01-\uff5e\uffe0-\uffe6\u2212\ufe63\u2019\u02bc]|(?![0-9])\p{Nd}/gu;

const ND = /^\p{Nd}$/u;

function isNonAsciiDigit(cp: number): boolean {
  return cp > 127 && ND.test(String.fromCodePoint(cp));
}

/**
 * The value of a decimal digit of any script. Unicode encodes every decimal digit in runs of ten
 * that start at zero, and a contiguous stretch of digits is always whole runs, so the distance to
 * the stretch's start, modulo ten, is the value: no per-script table to keep up to date.
 */
function digitValue(cp: number): number {
  let zero = cp;
  while (isNonAsciiDigit(zero - 1)) zero--;
  return (cp - zero) % 10;
}

function fold(ch: string): string {
  const c = ch.charCodeAt(0);
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
  const cp = ch.codePointAt(0) ?? c;
  if (isNonAsciiDigit(cp)) return String.fromCharCode(48 + digitValue(cp));
  switch (c) {
    case 0xffe0:
      return '¢';
    case 0xffe1:
      return '£';
    case 0xffe5:
      return '¥';
    case 0xffe6:
      return '₩';
    case 0xffe2:
    case 0xffe3:
    case 0xffe4:
      return ch;
    case 0x2212:
    case 0xfe63:
      return '-';
    case 0x2019:
    case 0x02bc:
      return "'";
    case 0x00a0:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return ' ';
    default:
      // U+2000–U+200A are spaces; the rest of the class is invisible formatting.
      return c >= 0x2000 && c <= 0x200a ? ' ' : '';
  }
}

const NEEDS_WORK = /[\u0080-\uffff]|&/;

/** Folds a displayed price string into the alphabet the parser reads. Pure ASCII passes untouched. */
export function normalizeText(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  let s = text;
  if (s.includes('&')) s = s.replace(ENTITY, decodeEntity);
  return s.replace(FOLD, fold);
}

const NON_ASCII_LETTER = /[\p{L}\p{M}]/u;

export function isLetterAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return NON_ASCII_LETTER.test(s.charAt(i));
}

export function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Whitespace allowed between a number and its currency mark or sign. */
export function isSpaceAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c === 32 || c === 9 || c === 10 || c === 13;
}
