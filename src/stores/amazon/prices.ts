/**
 * Prices from the buy box and its neighbours. Each reader looks only inside the element of one
 * known anchor, which is what keeps the decoys around a price out: sponsored carousels, other
 * formats' swatches, Subscribe & Save, bundle totals, bank offers and delivery fees all live in
 * other elements.
 */
import { parseMoney, type Money } from '../../money/index.js';
import {
  elementEnd,
  elementText,
  findClass,
  findTag,
  findTags,
  hasClass,
  textBetween,
  type Tag,
} from './html.js';
import type { Window } from './page.js';

export interface MoneyHints {
  readonly currency?: string | undefined;
  readonly locale?: string | undefined;
}

export interface PriceRange {
  readonly min: Money;
  readonly max: Money;
}

/** A money amount from displayed text; null for blanks and for text with no digit. */
export function moneyFrom(text: string, hints: MoneyHints): Money | null {
  if (!/\d/.test(text)) return null;
  return parseMoney(text, hints);
}

/** Two amounts joined by a dash ("$10.99 - $19.99"), which is a range and never a price. */
export function rangeFrom(text: string, hints: MoneyHints): PriceRange | null {
  const parts = text.split(/\s+[-–—]\s+/);
  if (parts.length !== 2) return null;
  const [a, b] = parts.map((p) => moneyFrom(p, hints));
  if (!a || !b || a.currency !== b.currency) return null;
  return a.minor <= b.minor ? { min: a, max: b } : { min: b, max: a };
}

/**
 * The amount of an `a-price` element: its screen-reader copy, or, when that copy is blank (some
 * current pages ship it empty), the visible symbol, whole and fraction parts.
 */
export function aPriceText(w: string, tag: Tag): string {
  const end = elementEnd(w, tag);
  const off = findClass(w, tag.end, end, 'a-offscreen');
  const offText = off ? elementText(w, off) : '';
  return offText !== '' ? offText : textBetween(w, tag.end, end);
}

const isAPrice = (t: Tag) => hasClass(t, 'a-price');
const isStrike = (t: Tag) =>
  t.attrs.get('data-a-strike') === 'true' || hasClass(t, 'a-text-strike');

function content(win: Window): [number, number] {
  return [win.tag.end, elementEnd(win.w, win.tag)];
}

export interface CoreReading {
  readonly price: Money | null;
  readonly range: PriceRange | null;
  readonly listPrice: Money | null;
}

/**
 * The current (2021-) price blocks: `priceToPay`/`apexPriceToPay`, or the first non-strike
 * `a-price` of the block; `a-price-range` for variation parents; `basisPrice` or a strike price
 * for the list price.
 */
export function readCoreBlock(win: Window, hints: MoneyHints): CoreReading {
  const { w } = win;
  const [from, to] = content(win);
  const prices = findTags(w, from, to, 'a-price', isAPrice);
  if (prices.length === 0) return { price: null, range: null, listPrice: null };

  let range: PriceRange | null = null;
  const rangeTag = findClass(w, from, to, 'a-price-range');
  if (rangeTag) {
    const inRange = findTags(w, rangeTag.end, elementEnd(w, rangeTag), 'a-price', isAPrice).map(
      (t) => moneyFrom(aPriceText(w, t), hints),
    );
    const [lo, hi] = [inRange[0], inRange[inRange.length - 1]];
    if (lo && hi && lo.currency === hi.currency) range = { min: lo, max: hi };
  }

  const toPay = prices.find((t) => hasClass(t, 'priceToPay') || hasClass(t, 'apexPriceToPay'));
  const chosen = toPay ?? prices.find((t) => !isStrike(t));
  const price = range || !chosen ? null : moneyFrom(aPriceText(w, chosen), hints);

  const basis = findClass(w, from, to, 'basisPrice');
  const basisPrice = basis ? findClass(w, basis.end, elementEnd(w, basis), 'a-price') : null;
  const strike = basisPrice ?? prices.find(isStrike) ?? null;
  const listPrice = strike ? moneyFrom(aPriceText(w, strike), hints) : null;
  return { price, range, listPrice };
}

/** Text of an element that is itself the price (`#priceblock_ourprice`, `#kindle-price`). */
export function readPriceElement(
  win: Window,
  hints: MoneyHints,
): { price: Money | null; range: PriceRange | null } {
  const text = elementText(win.w, win.tag);
  const range = rangeFrom(text, hints);
  return range ? { price: null, range } : { price: moneyFrom(text, hints), range: null };
}

/** The first element with `cls` inside an anchor's element, read as money. */
export function readClassInside(win: Window, cls: string, hints: MoneyHints): Money | null {
  const [from, to] = content(win);
  const t = findClass(win.w, from, to, cls);
  if (!t) return null;
  return moneyFrom(hasClass(t, 'a-price') ? aPriceText(win.w, t) : elementText(win.w, t), hints);
}

/** The first struck-through amount inside an anchor's element (RRP, "De:", print list price). */
export function readStrikeInside(win: Window, hints: MoneyHints): Money | null {
  const [from, to] = content(win);
  const t = findTag(win.w, from, to, 'strike', isStrike);
  if (!t) return null;
  return moneyFrom(hasClass(t, 'a-price') ? aPriceText(win.w, t) : elementText(win.w, t), hints);
}

/**
 * The Kindle price in buy boxes that mark it with a row class rather than an id (2017-2020):
 * the price cell of the `kindle-price` row. Kindle Unlimited's 0.00 and the print formats sit in
 * other rows and other elements.
 */
export function readKindleRow(win: Window, hints: MoneyHints): Money | null {
  const [from, to] = content(win);
  const row = findClass(win.w, from, to, 'kindle-price');
  if (!row) return null;
  const rowEnd = elementEnd(win.w, row);
  const cell = findClass(win.w, row.end, rowEnd, 'a-color-price');
  return moneyFrom(cell ? elementText(win.w, cell) : textBetween(win.w, row.end, rowEnd), hints);
}

const CONDITION = /[?&;]condition=(new|used)\b/i;

/**
 * Lowest offers per condition from the "N new from X / N used from Y" links, which name their
 * condition in the URL (`condition=new|used`) in every language.
 */
export function readOfferLinks(
  win: Window,
  hints: MoneyHints,
): { new: Money | null; used: Money | null } {
  const { w } = win;
  const [from, to] = content(win);
  const links = findTags(
    w,
    from,
    to,
    'condition=',
    (t) => t.name === 'a' && CONDITION.test(t.attrs.get('href') ?? ''),
  );
  const out: { new: Money | null; used: Money | null } = { new: null, used: null };
  for (let k = 0; k < links.length; k++) {
    const link = links[k];
    if (!link) continue;
    const condition = CONDITION.exec(link.attrs.get('href') ?? '')?.[1]?.toLowerCase();
    // The amount sits inside the link (current layout) or right after it (older layouts).
    const next = links[k + 1];
    const segEnd = Math.min(to, next ? next.start : to, link.start + 3_000);
    const m = amountIn(w, link.end, segEnd, hints);
    if (!m) continue;
    if (condition === 'new' && (!out.new || m.minor < out.new.minor)) out.new = m;
    if (condition === 'used' && (!out.used || m.minor < out.used.minor)) out.used = m;
  }
  return out;
}

/**
 * Text that is an amount and nothing else ("$12.48", "EUR 14,99", "66,99 €"), as opposed to a
 * label with a number in it ("New (10) from"), which a loose parser would read as 10.
 */
export function looksLikeAmount(text: string): boolean {
  return /^[^\d()]{0,5}\d[\d.,'\s\u00a0\u202f]*[^\d()]{0,5}$/.test(text.trim());
}

/** The first amount in [from, to): an `a-price`, a price-coloured element, or a bare amount span. */
function amountIn(w: string, from: number, to: number, hints: MoneyHints): Money | null {
  const tags = findTags(
    w,
    from,
    to,
    '',
    (t) => t.name === 'span' || hasClass(t, 'a-price') || hasClass(t, 'a-color-price'),
  );
  const aPrice = tags.find((t) => hasClass(t, 'a-price'));
  if (aPrice) return moneyFrom(aPriceText(w, aPrice), hints);
  for (const t of tags) {
    const text = elementText(w, t);
    if (looksLikeAmount(text)) return moneyFrom(text, hints);
  }
  return null;
}
