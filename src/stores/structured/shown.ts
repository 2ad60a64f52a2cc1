/**
 * What a visitor sees as text, reduced to what tells the buy price apart: product headings, short
 * texts that look like prices (with the markup around them and the label just before them), and
 * stock lines. Fed by the page's single parse (scan.ts).
 */
import type { Availability } from '../types.js';
import { availabilityFromPhrase } from './availability.js';
import { collapseWhitespace } from './text.js';

export interface PriceText {
  readonly text: string;
  /** Offset of the text in the page, to measure distance from the product heading. */
  readonly start: number;
  /** Tag, class, id and itemprop of the holding element and two ancestors, lower case. */
  readonly context: string;
  /** Inside `<del>`, `<s>` or `<strike>`. */
  readonly struck: boolean;
  /** The short text just before it in the same small block ("Was:", "UVP", "Club Preis"). */
  readonly label: string | null;
  /** Followed at once by bare cents in their own element ("$98<sup>99</sup>"): only part of it. */
  readonly glued?: boolean;
}

export interface Heading {
  readonly text: string;
  readonly start: number;
}

export interface StockText {
  readonly availability: Availability;
  readonly start: number;
}

export interface ShownText {
  readonly headings: readonly Heading[];
  readonly priceTexts: readonly PriceText[];
  readonly stockTexts: readonly StockText[];
}

/** Elements whose text a visitor never sees as page text. */
const INVISIBLE_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'head',
  'title',
  'select',
  'option',
  'textarea',
  'iframe',
  'object',
]);
const STRIKE_TAGS = new Set(['del', 's', 'strike']);
const HIDDEN_CLASS = /(?:^|\s)(?:hide|hidden|d-none|is-hidden)(?:\s|$)/i;
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden/i;
const PRICE_WORD = /price/i;

/** A currency symbol, a local abbreviation, or something that may be an ISO code. */
const CURRENCY_SIGN =
  /[$€£¥￥₹₩₽₺₪฿₫₱₦₴₲₡₵]|(?<![A-Za-z])(?:kr|zł|Kč|Ft|lei|Fr\.|[A-Z]{3})(?![A-Za-z])/u;

const MAX_LABEL = 40;
const LABEL_REACH = 600;
const MAX_PRICE_TEXT = 80;
const MAX_BOX_TEXT = 30;
const MAX_PRICE_TEXTS = 5000;
const MAX_STOCK_LINE = 60;
/** Cents in a `<sup>` right after "$98" are at most this far from it in the HTML. */
const GLUE_REACH = 40;

/** An element whose class / id says "price": its whole text is read when it closes. */
interface PriceBox {
  readonly start: number;
  readonly context: string;
  text: string;
  /** Digits from two different text nodes touched ("98" + "99"): the joined text would lie. */
  split: boolean;
  /** A price was already recorded inside it. */
  covered: boolean;
}

interface Frame {
  readonly tag: string;
  /** The element's attributes; described only for the few elements near a price. */
  readonly attrs: Readonly<Record<string, string>>;
  readonly hides: boolean;
  readonly box: PriceBox | undefined;
}

interface Label {
  readonly text: string;
  readonly end: number;
  /** The element holding the label's element; a price must still be inside it. */
  readonly block: Frame | undefined;
}

function describe(tag: string, attrs: Readonly<Record<string, string>>): string {
  const parts = [tag, attrs['class'], attrs['id'], attrs['itemprop']].filter(Boolean);
  return parts.join(' ').replace(/\s+/g, ' ').toLowerCase().slice(0, 200);
}

function mentionsPrice(attrs: Readonly<Record<string, string>>): boolean {
  return (
    PRICE_WORD.test(attrs['class'] ?? '') ||
    PRICE_WORD.test(attrs['id'] ?? '') ||
    PRICE_WORD.test(attrs['itemprop'] ?? '')
  );
}

function hides(tag: string, attrs: Readonly<Record<string, string>>): boolean {
  return (
    INVISIBLE_TAGS.has(tag) ||
    attrs['hidden'] !== undefined ||
    (attrs['style'] !== undefined && HIDDEN_STYLE.test(attrs['style'])) ||
    (attrs['class'] !== undefined && HIDDEN_CLASS.test(attrs['class']))
  );
}

function looksLikePrice(t: string, max: number): boolean {
  return t.length <= max && /\d/.test(t) && CURRENCY_SIGN.test(t);
}

export class ShownTextCollector {
  private readonly headings: Heading[] = [];
  private readonly priceTexts: PriceText[] = [];
  private readonly stockTexts: StockText[] = [];
  private readonly stack: Frame[] = [];
  private readonly boxes: PriceBox[] = [];
  private hidden = 0;
  private heading: { start: number; text: string } | null = null;
  private label: Label | null = null;
  private lastPrice: { index: number; end: number } | null = null;

  onOpen(tag: string, attrs: Readonly<Record<string, string>>, start: number): void {
    const hiding = hides(tag, attrs);
    if (hiding) this.hidden++;
    let box: PriceBox | undefined;
    if (this.hidden === 0 && mentionsPrice(attrs)) {
      box = { start, context: describe(tag, attrs), text: '', split: false, covered: false };
      this.boxes.push(box);
    }
    this.stack.push({ tag, attrs, hides: hiding, box });
    if (tag === 'h1') this.heading = { start, text: '' };
  }

  /** A whole run of text (entity pieces already joined). */
  onText(raw: string, start: number): void {
    if (this.heading) this.heading.text += raw;
    if (this.hidden > 0) return;
    const t = collapseWhitespace(raw);
    if (t) this.visibleText(t, start);
  }

  onClose(tag: string): void {
    const frame = this.stack.pop();
    if (!frame) return;
    if (frame.hides) this.hidden--;
    if (frame.box) {
      this.boxes.pop();
      this.closeBox(frame.box, STRIKE_TAGS.has(frame.tag));
    }
    if (tag === 'h1' && this.heading) {
      const text = collapseWhitespace(this.heading.text);
      if (text) this.headings.push({ text, start: this.heading.start });
      this.heading = null;
    }
  }

  result(): ShownText {
    return { headings: this.headings, priceTexts: this.priceTexts, stockTexts: this.stockTexts };
  }

  private visibleText(t: string, start: number): void {
    this.markGlued(t, start);
    if (t.length <= MAX_STOCK_LINE) {
      const a = availabilityFromPhrase(t);
      if (a) this.stockTexts.push({ availability: a, start });
    }
    for (const b of this.boxes) {
      if (b.text.length > MAX_PRICE_TEXT) continue;
      if (/\d$/.test(b.text) && /^\d/.test(t)) b.split = true;
      b.text += t;
    }
    if (this.heading) return;
    if (looksLikePrice(t, MAX_PRICE_TEXT)) {
      this.addPrice({ text: t, start, ...this.nearContext(3), label: this.labelFor(start) });
    } else if (t.length <= MAX_LABEL) {
      this.extendLabel(t, start);
    }
  }

  /** "$98" then "99" in a `<sup>`: the first text alone would read as $98.00. */
  private markGlued(t: string, start: number): void {
    const last = this.lastPrice;
    this.lastPrice = null;
    const prev = last && this.priceTexts[last.index];
    if (!last || !prev || !/^\d{2}$/.test(t) || !/\d$/.test(prev.text)) return;
    if (start - last.end <= GLUE_REACH) this.priceTexts[last.index] = { ...prev, glued: true };
  }

  private extendLabel(t: string, start: number): void {
    const block = this.stack[this.stack.length - 2];
    const label = this.label;
    // "UVP" "¹" ":" arrive as three texts of one label.
    const text =
      label && label.block === block && label.text.length < MAX_LABEL ? `${label.text} ${t}` : t;
    this.label = { text, end: start + t.length, block };
  }

  private labelFor(start: number): string | null {
    const label = this.label;
    if (!label?.block || start - label.end > LABEL_REACH) return null;
    const at = this.stack.lastIndexOf(label.block);
    return at >= 0 && at >= this.stack.length - 4 ? label.text : null;
  }

  private nearContext(depth: number): { context: string; struck: boolean } {
    const near = this.stack.slice(-depth);
    return {
      context: near.map((f) => describe(f.tag, f.attrs)).join(' | '),
      struck: near.some((f) => STRIKE_TAGS.has(f.tag)),
    };
  }

  private addPrice(p: PriceText): void {
    if (this.priceTexts.length >= MAX_PRICE_TEXTS) return;
    this.priceTexts.push(p);
    this.lastPrice = { index: this.priceTexts.length - 1, end: p.start + p.text.length };
    for (const b of this.boxes) b.covered = true;
    this.label = null;
  }

  /** Split prices ("$" "98" "." "99" in separate spans) are read from their price element whole. */
  private closeBox(box: PriceBox, selfStruck: boolean): void {
    const t = collapseWhitespace(box.text);
    if (box.covered || box.split || !looksLikePrice(t, MAX_BOX_TEXT)) return;
    const outer = this.nearContext(2);
    this.addPrice({
      text: t,
      start: box.start,
      context: `${outer.context} | ${box.context}`,
      struck: selfStruck || outer.struck,
      label: null,
    });
  }
}
