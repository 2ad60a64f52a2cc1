/**
 * The price the page shows a visitor near the product heading, used to break ties between
 * structured sources. Which of the prices there is the price to pay is told from the markup around
 * each one: strike-through and "was" prices become the list price; club / member, outlet, savings,
 * shipping, instalment and unit prices are ignored.
 *
 * Members-only prices (H&M's "Club Preis") are deliberately not the price: an alert must be about a
 * price every watcher can pay, and the store's own structured data states the regular one.
 */
import { decimalToMinor, isCurrencyCode, parsePrice, type Money } from '../../money/index.js';
import type { Availability } from '../types.js';
import { isoCodeIn, textShowsCurrency } from './currency.js';
import type { PageScan } from './scan.js';
import type { Heading, PriceText } from './shown.js';
import { sameTitle } from './text.js';

export type PriceRole = 'price' | 'strike' | 'other';

const SIGN = String.raw`US\$|R\$|[$€£¥￥₹₩₽₺₪฿₫₱₦₴₲₡₵]|(?<![A-Za-z])(?:kr\.?|zł|Kč|Ft|lei|Fr\.|[A-Z]{3})(?![A-Za-z])`;
const NUM = String.raw`\d(?:[\d.,'’\u00a0\u202f ]*\d)?(?:[.,]-)?`;
const PRICE = new RegExp(String.raw`(?:${SIGN})\s?(?:${NUM})|(?:${NUM})\s?(?:${SIGN})`, 'u');

/** Class / id fragments of strike-through and reference prices. */
const STRIKE_WORDS: ReadonlySet<string> = new Set(
  (
    'was old before original orig compare comparison msrp rrp uvp srp reference crossed strike ' +
    'strikethrough linethrough'
  ).split(' '),
);
const STRIKE_JOINED =
  /strike|line-?through|wasprice|oldprice|listprice|originalprice|suggestedretail|compareat/;

/** Class / id fragments of prices that are not the price everyone pays for this product. */
const OTHER_WORDS: ReadonlySet<string> = new Set(
  (
    'club member members membership loyalty outlet openbox saving savings save yousave ' +
    'installment installments instalment monthly financing finance klarna afterpay coupon ' +
    'voucher reward rewards points unitprice baseprice shipping delivery deposit subtotal total ' +
    'cart minicart basket related recommendation recommendations carousel upsell crosssell ' +
    'bundle sponsored used refurbished'
  ).split(' '),
);

const OTHER_LABEL = new RegExp(
  String.raw`(?<!\p{L})(?:club|member|mitglied|outlet|open box|sparen|spare|save|savings|you save|ahorra|économisez|risparmi|shipping|versand|lieferung|delivery|rewards?|points|punkte|monthly|per month|/mo|monatlich|installments?|raten?|total|summe|gesamt|deposit|pfand|coupon|gutschein|unit price|grundpreis|used|refurbished|gebraucht|occasion)(?!\p{L})`,
  'iu',
);
const STRIKE_LABEL = new RegExp(
  String.raw`(?<!\p{L})(?:was|uvp|statt|rrp|msrp|list price|regular price|original price|compare at|avant|prix conseillé|antes|prima|prezzo consigliato|vorher)(?!\p{L})`,
  'iu',
);

/** Each token of a class/id context, also split at "-" and "_" ("price-comparison" → both). */
function contextWords(context: string): Set<string> {
  const out = new Set<string>();
  for (const token of context.split(/[\s|]+/)) {
    if (!token) continue;
    out.add(token.replace(/[-_]/g, ''));
    for (const part of token.split(/[-_]+/)) if (part) out.add(part);
  }
  return out;
}

function hasAny(words: ReadonlySet<string>, wanted: ReadonlySet<string>): boolean {
  for (const w of words) if (wanted.has(w)) return true;
  return false;
}

/** The single price written in a text, or null when there is none or several (a range). */
export function priceIn(text: string): string | null {
  const re = new RegExp(PRICE.source, 'gu');
  const found: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const code = /^[A-Z]{3}|[A-Z]{3}$/.exec(m[0])?.[0];
    if (code && !isCurrencyCode(code)) {
      // "UVP 12,00 €": the letters were no currency; look again just after them.
      re.lastIndex = m.index + (m[0].startsWith(code) ? code.length : 1);
      continue;
    }
    found.push(m[0]);
  }
  return found.length === 1 ? (found[0] ?? null) : null;
}

/** What a price text near the heading is: the price to pay, a reference price, or neither. */
export function classify(p: PriceText): PriceRole {
  const match = priceIn(p.text);
  if (!match || p.glued) return 'other';
  const rest = p.text.replace(match, ' ').trim();
  const words = contextWords(p.context);
  if (p.struck || hasAny(words, STRIKE_WORDS) || STRIKE_JOINED.test(p.context)) return 'strike';
  if (p.label && STRIKE_LABEL.test(p.label)) return 'strike';
  if (STRIKE_LABEL.test(rest)) return 'strike';
  if (hasAny(words, OTHER_WORDS)) return 'other';
  if (p.label && OTHER_LABEL.test(p.label)) return 'other';
  // A price inside a sentence, per unit ("/kg", "/month") or next to a percentage is not it.
  if (rest.length > 25 || /[/%]|\bx\b|\bper\b/i.test(rest) || OTHER_LABEL.test(rest))
    return 'other';
  return 'price';
}

export interface CurrencyHints {
  /** The currency the structured data uses, so that "$" on a CAD store reads as CAD. */
  readonly currency: string | null;
  readonly locale: string | undefined;
}

/** A visible price text as money, with the page's currency settling shared symbols. */
export function visibleMoney(text: string, hints: CurrencyHints): Money | null {
  const match = priceIn(text);
  if (!match) return null;
  const parsed = parsePrice(match, { currency: hints.currency ?? undefined, locale: hints.locale });
  if (!parsed) return null;
  let currency = parsed.currency ?? hints.currency;
  if (
    hints.currency &&
    currency !== hints.currency &&
    !isoCodeIn(match, isCurrencyCode) &&
    textShowsCurrency(match, hints.currency)
  ) {
    currency = hints.currency;
  }
  if (!currency) return null;
  const minor = decimalToMinor(parsed.amount, currency);
  return minor !== null && minor > 0 ? { minor, currency } : null;
}

export interface VisibleReading {
  readonly price: Money | null;
  readonly listPrice: Money | null;
  readonly availability: Availability | null;
}

/** How far after the heading the buy box may be, in characters of HTML, and how many prices. */
const WINDOW = 25_000;
const MAX_CANDIDATES = 12;
/** A strike-through price belongs to the buy price only when it sits right next to it. */
const LIST_REACH = 2_000;

/**
 * Headings that name the product, in page order; when none does, the first heading. A cookie or
 * privacy dialog often has the first `<h1>` of the page.
 */
function anchors(headings: readonly Heading[], titles: readonly string[]): Heading[] {
  const named = headings.filter((h) => titles.some((t) => sameTitle(h.text, t)));
  if (named.length > 0) return named;
  return headings.slice(0, 1);
}

interface ShownPrice {
  readonly price: Money | null;
  readonly listPrice: Money | null;
}

interface Seen {
  readonly text: PriceText;
  readonly role: PriceRole;
}

function readAt(anchor: Heading, scan: PageScan, hints: CurrencyHints): ShownPrice | null {
  const near: Seen[] = scan.priceTexts
    .filter((p) => p.start > anchor.start && p.start - anchor.start <= WINDOW)
    .slice(0, MAX_CANDIDATES)
    .map((text) => ({ text, role: classify(text) }));
  const buy = near.find((s) => s.role === 'price' && visibleMoney(s.text.text, hints));
  if (!buy) return null;
  const price = visibleMoney(buy.text.text, hints);
  const list = near
    .filter((s) => s.role === 'strike' && Math.abs(s.text.start - buy.text.start) <= LIST_REACH)
    .sort(
      (a, b) => Math.abs(a.text.start - buy.text.start) - Math.abs(b.text.start - buy.text.start),
    )
    .map((s) => visibleMoney(s.text.text, { ...hints, currency: price?.currency ?? null }))
    .find((m) => m && price && m.currency === price.currency && m.minor > price.minor);
  return { price, listPrice: list ?? null };
}

function stockAt(anchor: Heading, scan: PageScan): Availability | null {
  const line = scan.stockTexts.find(
    (s) => s.start > anchor.start && s.start - anchor.start <= WINDOW,
  );
  return line?.availability ?? null;
}

export function readVisible(
  scan: PageScan,
  titles: readonly string[],
  hints: CurrencyHints,
): VisibleReading {
  let price: Money | null = null;
  let listPrice: Money | null = null;
  let availability: Availability | null = null;
  for (const anchor of anchors(scan.headings, titles)) {
    availability ??= stockAt(anchor, scan);
    const found: ShownPrice | null = price ? null : readAt(anchor, scan, hints);
    if (found) {
      price = found.price;
      listPrice = found.listPrice;
    }
    if (price && availability) break;
  }
  return { price, listPrice, availability };
}
