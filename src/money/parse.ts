import { currencyDecimals, decimalToMinor, isCurrencyCode, type Money } from './money.js';

/** A price read from text: a normalized decimal ("1299.99") and the currency when it could be told. */
export interface ParsedPrice {
  readonly amount: string;
  readonly currency: string | null;
}

export interface ParseHints {
  /** ISO 4217 code to assume when the text names none (the marketplace's currency). */
  readonly currency?: string | undefined;
  /** BCP 47 tag of the page or marketplace ("de-DE"); decides ambiguous separators. */
  readonly locale?: string | undefined;
}

// Placeholder symbol table; a fuller one replaces it.
const SYMBOLS: ReadonlyArray<readonly [string, string]> = [
  ['R$', 'BRL'],
  ['US$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
  ['$', 'USD'],
  ['¥', 'JPY'],
  ['￥', 'JPY'],
  ['₹', 'INR'],
];

/** Parses a displayed price string. Basic version: see parse.test.ts for what it must handle. */
export function parsePrice(text: string, hints: ParseHints = {}): ParsedPrice | null {
  let s = text.normalize('NFKC').trim();
  let currency: string | null = null;
  const code = /\b([A-Z]{3})\b/.exec(s);
  if (code?.[1] && isCurrencyCode(code[1])) currency = code[1];
  if (!currency) {
    for (const [sym, iso] of SYMBOLS) {
      if (s.includes(sym)) {
        currency = iso;
        break;
      }
    }
  }
  currency ??= hints.currency ?? null;
  const num = /\d[\d.,'\s]*/.exec(s);
  if (!num) return null;
  s = num[0].replace(/[\s']/g, '').replace(/[.,]$/, '');
  const lastSep = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  let whole = s;
  let frac = '';
  if (lastSep >= 0) {
    const tail = s.slice(lastSep + 1);
    const decimals = currency ? currencyDecimals(currency) : 2;
    if (tail.length !== 3 || decimals === 3) {
      whole = s.slice(0, lastSep);
      frac = tail;
    }
  }
  whole = whole.replace(/[.,]/g, '') || '0';
  const amount = frac ? `${BigInt(whole).toString()}.${frac}` : BigInt(whole).toString();
  return { amount, currency };
}

/** parsePrice, as Money: null unless both an amount and a currency can be told. */
export function parseMoney(text: string, hints: ParseHints = {}): Money | null {
  const p = parsePrice(text, hints);
  if (!p?.currency) return null;
  const minor = decimalToMinor(p.amount, p.currency);
  return minor === null ? null : { minor, currency: p.currency };
}
