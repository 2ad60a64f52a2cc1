import { parsePrice, type ParsedPrice } from '../../money/index.js';

/**
 * Amounts from machine-readable fields (JSON-LD `price`, microdata `content`, `product:price:amount`).
 * JSON numbers reach here as their decimal text (see jsonld.ts), so no amount is ever a float.
 * A plain decimal is taken as is: schema.org fixes "." as the decimal mark, so "1.299" must not be
 * reread as a thousands group by a locale rule (only the currency's precision may do that, once the
 * currency is known: see minorUnits in offers.ts). Anything else ("48,00", "29,98 €", "$1,299.00")
 * is a displayed price and goes through the shared parser with the page's locale.
 */
export function readAmount(
  raw: unknown,
  currency: string | null,
  locale: string | undefined,
): ParsedPrice | null {
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  // "1e+21" is what String() makes of a huge JSON number: never a price.
  if (!text || text.length > 40 || /\d[eE][+-]?\d/.test(text)) return null;
  let parsed: ParsedPrice | null;
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    parsed = { amount: text, currency };
  } else {
    if (!/\d/.test(text)) return null;
    const p = parsePrice(text, { currency: currency ?? undefined, locale });
    // An explicit priceCurrency beats whatever symbol the parser read from the text.
    parsed = p && { amount: p.amount, currency: currency ?? p.currency };
  }
  return parsed && isPositive(parsed.amount) ? parsed : null;
}

/** Zero is how many shops say "no price" ("price": "0.00" on a discontinued item). */
function isPositive(amount: string): boolean {
  return /[1-9]/.test(amount) && !amount.startsWith('-');
}

/** A priceCurrency value: ISO codes in any case; a bare symbol ("€") as the parser reads it. */
export function readCurrency(raw: unknown, isCode: (c: string) => boolean): string | null {
  if (typeof raw !== 'string') return null;
  const t = raw.trim();
  if (/^[a-z]{3}$/i.test(t)) return isCode(t.toUpperCase()) ? t.toUpperCase() : null;
  if (!t || t.length > 4) return null;
  return parsePrice(`1 ${t}`)?.currency ?? null;
}
