/**
 * Where a product page ends for the extractor (the horizon), and the anchors before it.
 *
 * Finding the anchors walks the `id="…"` attributes with indexOf (a page has a few hundred to two
 * thousand above the fold), so it costs about one indexOf sweep; nothing is parsed.
 *
 * The horizon is what makes streaming early stop exact. A desktop product page lays out three
 * columns (images, centre, buy box) in some order, then the below-the-fold sections. The first
 * below-the-fold marker that comes after all three columns have opened is the horizon: every
 * anchor the extractor uses starts before it, and every window it reads ends within SLACK of it.
 * The extractor therefore reads exactly `html.slice(0, horizon + SLACK)`, which a download that
 * has reached that point already holds, so stopping there gives the same observation.
 */
import { elementEnd, readTag, type Tag } from './html.js';

/** Longest window read after an anchor. */
export const WINDOW = 16_000;
/** Bytes past the horizon the extractor may read: the longest window, and a margin. */
export const SLACK = WINDOW + 4_000;
/** Longest start tag the extractor reads back over to find an anchor's `<`. */
const MAX_TAG = 64_000;

const COLUMNS = ['leftCol', 'centerCol', 'rightCol'] as const;

/**
 * Sections that close the top of the page: the end-of-centre-column promo and data containers,
 * descriptions, A+ content, details, reviews and the footer. Only counted once all three columns
 * have opened, so a centre-column marker that precedes the buy box in some layouts cannot cut it.
 */
const BELOW_THE_FOLD = [
  'hqpWrapper',
  'heroQuickPromo_feature_div',
  'bottomRow',
  'ATFCriticalFeaturesDataContainer',
  'twisterJsInitializer_feature_div',
  'productDescription_feature_div',
  'bookDescription_feature_div',
  'aplus_feature_div',
  'detailBullets_feature_div',
  'prodDetails',
  'customerReviews',
  'navFooter',
];

// Regular expressions rather than indexOf: V8 scans for these rare literals several times faster
// than it walks the page's frequent `id="`, and amazonHasEnough runs on every chunk a fetcher
// receives.
const COLUMN_SUFFIX = /Col"/g;
const BELOW_THE_FOLD_ID = new RegExp(`id="(?:${BELOW_THE_FOLD.join('|')})"`, 'g');

/** Every id the extractor reads from; other ids are skipped without a string being made. */
export const ANCHOR_IDS = [
  // identity and title
  'ASIN',
  'productTitle',
  'ebooksProductTitle',
  'btAsinTitle',
  'title',
  // image
  'landingImage',
  'imgBlkFront',
  'ebooksImgBlkFront',
  'main-image',
  // current price blocks, newest first
  'corePriceDisplay_desktop_feature_div',
  'corePrice_desktop',
  'corePrice_feature_div',
  // the same blocks on the mobile site's pages (/gp/aw/d/)
  'corePriceDisplay_mobile_feature_div',
  'corePrice_mobile_feature_div',
  'priceblock_dealprice',
  'priceblock_saleprice',
  'priceblock_ourprice',
  'price_inside_buybox',
  'newBuyBoxPrice',
  'buyNewSection',
  'buyNewInner',
  'price',
  'listPrice',
  'kindle-price',
  'buybox',
  // the buy box's "total price" (the price with no options chosen): a last resort
  'tp_price_block_total_price_ww',
  // other offers
  'usedBuySection',
  'usedAccordionRow',
  // the buy box's alternative-offer rows and their copies in the centre column's price block
  'snsAccordionRowMiddle',
  'apex_desktop_usedAccordionRow',
  'apex_desktop_snsAccordionRowMiddle',
  'olp_feature_div',
  'olpLinkWidget_feature_div',
  'moreBuyingChoices_feature_div',
  'mbc',
  // availability and buying
  'availability',
  'outOfStock',
  'unqualifiedBuyBox',
  'partialStateBuybox',
  // The 2024- "no featured offer" box ("No featured offers available", "Price higher than
  // typical"). Only the box and its message: the `fodcx_feature_div` wrapper is rendered, empty,
  // on every page.
  'fod-cx-box',
  'fod-cx-message-with-learn-more',
  'add-to-cart-button',
  'buy-now-button',
  'one-click-button',
  // seller
  'merchant-info',
  'tabular-buybox',
  'merchantInfoFeature_feature_div',
] as const;

export type AnchorId = (typeof ANCHOR_IDS)[number];

const WANTED: ReadonlySet<string> = new Set<string>(ANCHOR_IDS);
/** A page repeats a few ids (scripts, hidden copies); keep the first few of each. */
const MAX_PER_ID = 4;

export interface PageIndex {
  /** The part of the page the extractor may read (the whole page when there is no horizon). */
  readonly html: string;
  /** Offset of the horizon, or -1 when the page has none (not a product page, or cut short). */
  readonly horizon: number;
  /** Offsets of the `id` attribute of each anchor found before the horizon, in page order. */
  readonly anchors: ReadonlyMap<string, readonly number[]>;
}

function precededBySpace(html: string, i: number): boolean {
  const c = html.charCodeAt(i - 1);
  return c === 32 || c === 10 || c === 9 || c === 13;
}

interface HorizonScan {
  /** Offset of each column's first `id="…"` attribute. */
  readonly columns: Map<string, number>;
  /** Offset of the last of the three to open, once all have. */
  lastColumn: number;
  horizon: number;
}

function newScan(): HorizonScan {
  return { columns: new Map(), lastColumn: -1, horizon: -1 };
}

/**
 * Advances a horizon scan over `text`, which is the page from offset `base` on. Piece by piece
 * or all at once, the result is the same: a match is only accepted with the character before it
 * in `text` (it decides whether this is an attribute), and one that starts at index 0 of a later
 * piece was already complete, and judged, in the piece before (see CARRY).
 */
function advance(scan: HorizonScan, text: string, base: number): void {
  if (scan.horizon >= 0) return;
  if (scan.lastColumn < 0) {
    COLUMN_SUFFIX.lastIndex = 0;
    for (let m = COLUMN_SUFFIX.exec(text); m && scan.lastColumn < 0; m = COLUMN_SUFFIX.exec(text)) {
      for (const col of COLUMNS) {
        // The match is the `Col"` that ends `id="leftCol"`: the attribute starts that far back.
        const at = m.index - 1 - col.length;
        if (at < 1 || scan.columns.has(col)) continue;
        if (text.startsWith(`id="${col}"`, at) && precededBySpace(text, at)) {
          scan.columns.set(col, base + at);
          if (scan.columns.size === COLUMNS.length) scan.lastColumn = base + at;
        }
      }
    }
    if (scan.lastColumn < 0) return;
  }
  BELOW_THE_FOLD_ID.lastIndex = Math.max(0, scan.lastColumn + 1 - base);
  for (let m = BELOW_THE_FOLD_ID.exec(text); m; m = BELOW_THE_FOLD_ID.exec(text)) {
    if (m.index >= 1 && precededBySpace(text, m.index)) {
      scan.horizon = base + m.index;
      return;
    }
  }
}

/**
 * The first below-the-fold section after all three columns have opened, or -1. Depends only on
 * the page up to that section, so a prefix that contains it finds the same horizon as the page.
 */
export function findHorizon(html: string): number {
  const scan = newScan();
  advance(scan, html, 0);
  return scan.horizon;
}

/** The horizon, and the anchors before it. */
export function indexPage(html: string): PageIndex {
  const horizon = findHorizon(html);
  const limit = horizon >= 0 ? horizon : html.length;
  const anchors = new Map<string, number[]>();
  let pos = 0;
  for (;;) {
    const i = html.indexOf('id="', pos);
    if (i < 0 || i >= limit) break;
    const q = html.indexOf('"', i + 4);
    if (q < 0) break;
    pos = q + 1;
    // `data-csa-c-id="…"` and friends end in id=" too; a real id attribute follows whitespace.
    if (q - i > 84 || !precededBySpace(html, i)) continue;
    const id = html.slice(i + 4, q);
    if (!WANTED.has(id)) continue;
    const list = anchors.get(id);
    if (!list) anchors.set(id, [i]);
    else if (list.length < MAX_PER_ID) list.push(i);
  }
  const end = horizon >= 0 ? Math.min(html.length, horizon + SLACK) : html.length;
  return { html: end === html.length ? html : html.slice(0, end), horizon, anchors };
}

/**
 * True once the page received so far holds everything the extractor reads: the horizon and the
 * slack after it. The fetcher may then stop downloading; extracting from this prefix gives the
 * same observation as extracting from the whole page.
 */
export function hasEnough(prefix: string): boolean {
  if (prefix.length < SLACK) return false;
  const horizon = findHorizon(prefix);
  return horizon >= 0 && prefix.length >= horizon + SLACK;
}

/**
 * Characters of one piece kept in front of the next: more than the longest marker and the
 * character before it, so a marker split between two pieces is seen whole.
 */
const CARRY = 64;

/**
 * `hasEnough` for one download of a UTF-8 page, fed the body's bytes chunk by chunk (each chunk
 * once, in order), before anything is decoded. It answers exactly as `hasEnough` would about the
 * text the bytes so far decode to (their complete characters), looking at each byte once.
 *
 * Every marker the horizon scan looks for is ASCII, and in UTF-8 an ASCII byte is always that
 * character (the bytes of longer characters are all 0x80 or above), so the scan runs on each
 * chunk read as Latin-1 (one character per byte, a copy without decoding) and finds the same
 * horizon at its byte offset. What `hasEnough` then counts in characters (SLACK after the
 * horizon) is counted here in UTF-16 code units of complete characters after the horizon's byte:
 * exact for valid UTF-8, and never more than the decoder would make of invalid bytes (each of
 * which it turns into at least one U+FFFD), so a download never stops too soon.
 */
export function createEarlyStop(): (chunk: Uint8Array) => boolean {
  const scan = newScan();
  const units = newUnitCount();
  let offset = 0;
  let carry = '';
  return (chunk) => {
    const piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    if (scan.horizon < 0) {
      const text = carry + piece;
      const base = offset - carry.length;
      advance(scan, text, base);
      carry = text.length > CARRY ? text.slice(-CARRY) : text;
      // The horizon may lie in the carry (a marker split between chunks): count from there.
      if (scan.horizon >= 0) countUnits(units, text, scan.horizon - base);
    } else {
      countUnits(units, piece, 0);
    }
    offset += piece.length;
    return scan.horizon >= 0 && units.n >= SLACK;
  };
}

interface UnitCount {
  /** UTF-16 code units of the complete characters counted so far. */
  n: number;
  /** Continuation bytes the character being read still needs. */
  need: number;
  /** Code units that character will make (2 for a four-byte sequence). */
  pending: number;
}

function newUnitCount(): UnitCount {
  return { n: 0, need: 0, pending: 0 };
}

/** Adds the UTF-16 length of the UTF-8 bytes in `bytes` (one per character) from `from` on. */
function countUnits(u: UnitCount, bytes: string, from: number): void {
  for (let i = from; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    if (b < 0x80) {
      u.n++;
      u.need = 0;
    } else if (b >= 0xc0) {
      u.need = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : 1;
      u.pending = b >= 0xf0 ? 2 : 1;
    } else if (u.need > 0 && --u.need === 0) {
      u.n += u.pending;
    }
  }
}

/** A window of the page starting at the tag that carries an anchor's id attribute. */
export interface Window {
  readonly w: string;
  /** The anchor's own start tag, at offset 0 of `w`. */
  readonly tag: Tag;
  /** Offset of `w` (the tag's `<`) in the page. */
  readonly at: number;
}

/** Windows of every occurrence of an anchor (usually one), in page order. */
export function windowsOf(page: PageIndex, id: AnchorId, size = WINDOW): Window[] {
  const out: Window[] = [];
  for (const at of page.anchors.get(id) ?? []) {
    const lt = page.html.lastIndexOf('<', at);
    // Inline base64 images put tens of kilobytes between `<img` and its id.
    if (lt < 0 || at - lt > MAX_TAG) continue;
    const w = page.html.slice(lt, at + Math.min(size, WINDOW));
    const tag = readTag(w, 0);
    if (tag && tag.attrs.get('id') === id) out.push({ w, tag, at: lt });
  }
  return out;
}

/** Longest element whose end `spansOf` looks for. */
const MAX_SPAN = 200_000;

/**
 * Where each element carrying an anchor starts (its `<`) and ends (its closing tag) in the page.
 * An element that does not close within MAX_SPAN, or before the readable part of the page ends,
 * is taken to run that far: only a cut-short page has one.
 */
export function spansOf(page: PageIndex, id: AnchorId): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  for (const at of page.anchors.get(id) ?? []) {
    const lt = page.html.lastIndexOf('<', at);
    if (lt < 0 || at - lt > MAX_TAG) continue;
    const w = page.html.slice(lt, lt + MAX_SPAN);
    const tag = readTag(w, 0);
    if (tag && tag.attrs.get('id') === id) out.push([lt, lt + elementEnd(w, tag)]);
  }
  return out;
}

export function has(page: PageIndex, id: AnchorId): boolean {
  return page.anchors.has(id);
}
