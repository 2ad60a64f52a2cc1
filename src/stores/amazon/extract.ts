/**
 * Amazon product pages → observations, in every marketplace and every layout from 2015 on.
 *
 * Budget: about 1 ms of CPU for a 1 MB page. The page is never parsed as a whole: one indexOf
 * walk over its `id` attributes finds the anchors (see page.ts), then each field is read from a
 * bounded window after its anchor. The walk stops at the below-the-fold horizon, which is also
 * what lets the fetcher stop downloading early (`amazonHasEnough`).
 *
 * Decisions worth knowing:
 * - The price is the buy box's price to pay. A variation parent (no size chosen) has a range and
 *   no price; a page with no featured offer (`#unqualifiedBuyBox`, or the 2024- `#fod-cx-box`
 *   without a buy button), or an out-of-stock box, has no price.
 * - Price blocks inside the used and Subscribe & Save accordion rows are never the price, wherever
 *   they stand in the page; a buy box with only a used offer has no price (the offer is in
 *   `offers.used`).
 * - Kindle ebooks: the Kindle price is the price, and a Kindle page with a price and a buy button
 *   is `in_stock` (an ebook that can be bought now is available; there is no stock).
 * - Availability text is read only when structure says nothing, and never on blocked pages.
 */
import type { Money } from '../../money/index.js';
import { emptyObservation, type Availability, type Observation } from '../types.js';
import { classifyAvailabilityText } from './availability.js';
import { classifyNonProductPage } from './blocked.js';
import { collapse, decodeEntities, elementText, hasClass, readTag } from './html.js';
import {
  asinFromHints,
  asinOrNull,
  pageLocale,
  readHints,
  resolveMarketplace,
  type PageHints,
} from './hints.js';
import {
  createEarlyStop,
  hasEnough,
  has,
  indexPage,
  spansOf,
  windowsOf,
  type AnchorId,
  type PageIndex,
  type Window,
} from './page.js';
import {
  aPriceText,
  moneyFrom,
  readClassInside,
  readCoreBlock,
  readKindleRow,
  readOfferLinks,
  readPriceElement,
  readStrikeInside,
  type MoneyHints,
  type PriceRange,
} from './prices.js';
import { soldByStore } from './seller.js';

const STORE = 'amazon';

export interface AmazonExtractContext {
  /** The URL the page was fetched from (after redirects). */
  readonly url?: string | undefined;
  /** The marketplace the product belongs to, when the caller knows it ("amazon.de"). */
  readonly marketplace?: string | undefined;
}

/**
 * True when the HTML received so far already holds everything `extractAmazon` reads, so a
 * streaming fetcher may stop; extracting from that prefix gives the same observation.
 */
export function amazonHasEnough(prefix: string): boolean {
  return hasEnough(prefix);
}

/**
 * The same decision for one streaming download of a UTF-8 page, fed its bytes chunk by chunk
 * before they are decoded; linear in the page size, where calling `amazonHasEnough` on a growing
 * string is not.
 */
export function createAmazonEarlyStop(): (chunk: Uint8Array) => boolean {
  return createEarlyStop();
}

export function extractAmazon(html: string, ctx: AmazonExtractContext = {}): Observation {
  const page = indexPage(html);
  const limit = page.horizon >= 0 ? page.horizon : page.html.length;
  const hints = readHints(page.html, limit);
  const marketplace = resolveMarketplace(hints, ctx, page.html);
  const base = { marketplace: marketplace?.id ?? null };

  if (!isProductPage(page, hints)) {
    return emptyObservation(STORE, classifyNonProductPage(page.html) ?? 'unsupported', base);
  }

  const money: MoneyHints = {
    currency: marketplace?.currency,
    locale: pageLocale(hints.lang) ?? marketplace?.locale,
  };
  const prices = readPrices(page, money);
  const listPrice =
    prices.price && prices.listPrice && isAboveTheBuyBox(prices.listPrice, prices.price)
      ? prices.listPrice
      : null;
  const offers = readOffers(page, money);
  const seller = prices.price ? soldByStore(page) : undefined;

  return {
    ...emptyObservation(STORE, 'ok', base),
    productId: asinFromHints(hints, undefined) ?? inputAsin(page) ?? asinFromHints(hints, ctx.url),
    title: readTitle(page),
    imageUrl: readImage(page),
    price: prices.price,
    listPrice,
    offers,
    ...(seller === undefined ? {} : { soldByStore: seller }),
    priceRange: prices.price ? null : prices.range,
    availability: readAvailability(page, prices.price, prices.range),
  };
}

function isProductPage(page: PageIndex, hints: PageHints): boolean {
  if (has(page, 'productTitle') || has(page, 'ebooksProductTitle') || has(page, 'buybox'))
    return true;
  return /\/(dp|gp\/product)\/[A-Z0-9]{10}/.test(hints.canonicalUrl ?? '');
}

/** A list price only means something above the price to pay, in the same currency. */
function isAboveTheBuyBox(list: Money, price: Money): boolean {
  return list.currency === price.currency && list.minor > price.minor;
}

function inputAsin(page: PageIndex): string | null {
  for (const win of windowsOf(page, 'ASIN', 2_000)) {
    if (win.tag.name === 'input') {
      const v = asinOrNull(win.tag.attrs.get('value'));
      if (v) return v;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// title and image

const TITLE_IDS: readonly AnchorId[] = [
  'productTitle',
  'ebooksProductTitle',
  'btAsinTitle',
  'title',
];

function readTitle(page: PageIndex): string | null {
  for (const id of TITLE_IDS) {
    for (const win of windowsOf(page, id, 6_000)) {
      const text = elementText(win.w, win.tag);
      if (text !== '') return text;
    }
  }
  return titleFromHead(page.html);
}

/** og:title, or the document title without the "Amazon.de:" decorations. */
function titleFromHead(html: string): string | null {
  const head = html.slice(0, 60_000);
  const og = /<meta[^>]+property="og:title"[^>]*>/i.exec(head);
  const ogContent = og ? readTag(og[0], 0)?.attrs.get('content') : undefined;
  if (ogContent) return collapse(decodeEntities(ogContent));
  const t = /<title[^>]*>([^<]*)<\/title>/i.exec(head);
  if (!t?.[1]) return null;
  const text = collapse(decodeEntities(t[1]))
    .replace(/^Amazon\.[a-z.]+\s*:\s*/i, '')
    .replace(/\s*:\s*Amazon\.[a-z.]+.*$/i, '')
    .trim();
  return text === '' ? null : text;
}

const IMAGE_IDS: readonly AnchorId[] = [
  'landingImage',
  'imgBlkFront',
  'ebooksImgBlkFront',
  'main-image',
];

function readImage(page: PageIndex): string | null {
  for (const id of IMAGE_IDS) {
    for (const win of windowsOf(page, id, 8_000)) {
      const url = imageOfTag(win.tag.attrs);
      if (url) return url;
    }
  }
  const og = /<meta[^>]+property="og:image"[^>]*>/i.exec(page.html.slice(0, 60_000));
  const content = og ? readTag(og[0], 0)?.attrs.get('content') : undefined;
  return content ? decodeEntities(content) : null;
}

/** The high-resolution image: `data-old-hires`, else the largest of `data-a-dynamic-image`, else `src`. */
function imageOfTag(attrs: ReadonlyMap<string, string>): string | null {
  const hires = attrs.get('data-old-hires')?.trim();
  if (hires) return decodeEntities(hires);
  const dynamic = attrs.get('data-a-dynamic-image');
  if (dynamic) {
    const best = largestImage(decodeEntities(dynamic));
    if (best) return best;
  }
  const src = attrs.get('src')?.trim();
  return src && /^https?:\/\//.test(src) ? decodeEntities(src) : null;
}

function largestImage(json: string): string | null {
  let sizes: unknown;
  try {
    sizes = JSON.parse(json);
  } catch {
    return null;
  }
  if (!sizes || typeof sizes !== 'object') return null;
  let best: string | null = null;
  let bestArea = -1;
  for (const [url, dims] of Object.entries(sizes as Record<string, unknown>)) {
    const area = Array.isArray(dims) ? Number(dims[0]) * Number(dims[1]) : 0;
    if (area > bestArea) {
      best = url;
      bestArea = area;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// prices

interface PriceReading {
  readonly price: Money | null;
  readonly range: PriceRange | null;
  readonly listPrice: Money | null;
}

/**
 * The centre-column block first: inside the buy box a Subscribe & Save row may come first. The
 * mobile site's blocks last: a desktop page has none, a mobile page only those.
 */
const CORE_BLOCKS: readonly AnchorId[] = [
  'corePriceDisplay_desktop_feature_div',
  'corePrice_desktop',
  'corePrice_feature_div',
  'corePriceDisplay_mobile_feature_div',
  'corePrice_mobile_feature_div',
];

/** Older layouts, most specific first: a deal or sale price replaces "our price". */
const PRICE_ELEMENTS: readonly AnchorId[] = [
  'priceblock_dealprice',
  'priceblock_saleprice',
  'priceblock_ourprice',
  'price_inside_buybox',
  'newBuyBoxPrice',
];

/**
 * The buy box offers used and Subscribe & Save as accordion rows next to the new offer, each with
 * its own price block, and the centre column repeats every row's block (hidden until that row is
 * chosen) inside `#apex_desktop_usedAccordionRow` / `#apex_desktop_snsAccordionRowMiddle`. A block
 * inside one of these rows is never the buy-box price, whichever row comes first in the page.
 */
const ALTERNATIVE_ROWS: readonly AnchorId[] = [
  'usedAccordionRow',
  'snsAccordionRowMiddle',
  'apex_desktop_usedAccordionRow',
  'apex_desktop_snsAccordionRowMiddle',
];

/** Each page's alternative-offer rows, measured once. */
const alternativeRows = new WeakMap<PageIndex, ReadonlyArray<readonly [number, number]>>();

/** Windows of an anchor, less those inside an alternative-offer row. */
function mainWindowsOf(page: PageIndex, id: AnchorId, size?: number): Window[] {
  const wins = windowsOf(page, id, size);
  if (wins.length === 0 || !ALTERNATIVE_ROWS.some((row) => has(page, row))) return wins;
  let rows = alternativeRows.get(page);
  if (!rows) {
    rows = ALTERNATIVE_ROWS.flatMap((row) => spansOf(page, row));
    alternativeRows.set(page, rows);
  }
  return wins.filter((win) => !rows.some(([start, end]) => win.at > start && win.at < end));
}

function readPrices(page: PageIndex, money: MoneyHints): PriceReading {
  let price: Money | null = null;
  let range: PriceRange | null = null;
  let listPrice: Money | null = null;

  for (const id of CORE_BLOCKS) {
    for (const win of mainWindowsOf(page, id)) {
      const r = readCoreBlock(win, money);
      price ??= r.price;
      range ??= r.range;
      listPrice ??= r.listPrice;
    }
  }

  let kindle = false;
  if (!price && !range) {
    const legacy = readLegacyPrice(page, money);
    price = legacy.price;
    range = legacy.range;
    kindle = legacy.kindle;
  }
  listPrice ??= readLegacyListPrice(page, money, kindle);

  // No featured offer, or an out-of-stock box in place of the buy box: nothing can be bought at
  // a price, whatever other blocks on the page show.
  if (noFeaturedOffer(page) || (has(page, 'outOfStock') && !hasBuyButton(page))) {
    return { price: null, range, listPrice: null };
  }
  return { price, range, listPrice };
}

function readLegacyPrice(
  page: PageIndex,
  money: MoneyHints,
): { price: Money | null; range: PriceRange | null; kindle: boolean } {
  for (const id of PRICE_ELEMENTS) {
    for (const win of mainWindowsOf(page, id, 4_000)) {
      const r = readPriceElement(win, money);
      if (r.price || r.range) return { ...r, kindle: false };
    }
  }
  for (const win of windowsOf(page, 'buyNewSection')) {
    const m = readClassInside(win, 'offer-price', money);
    if (m) return { price: m, range: null, kindle: false };
  }
  // Book buy boxes put the price itself on a span#price; elsewhere #price is the block container.
  for (const win of mainWindowsOf(page, 'price', 4_000)) {
    if (win.tag.name === 'span') {
      const r = readPriceElement(win, money);
      if (r.price) return { ...r, kindle: false };
    }
  }
  // The buy box's total-price line, an `a-price` that every layout since about 2021 renders
  // beside its main price block (equal to it until an option such as a warranty is ticked):
  // read only when no price block above is on the page.
  for (const win of mainWindowsOf(page, 'tp_price_block_total_price_ww', 4_000)) {
    if (!hasClass(win.tag, 'a-price')) continue;
    const m = moneyFrom(aPriceText(win.w, win.tag), money);
    if (m) return { price: m, range: null, kindle: false };
  }
  for (const win of windowsOf(page, 'kindle-price', 4_000)) {
    const r = readPriceElement(win, money);
    if (r.price) return { ...r, kindle: true };
  }
  for (const win of windowsOf(page, 'buybox')) {
    const m = readKindleRow(win, money);
    if (m) return { price: m, range: null, kindle: true };
  }
  return { price: null, range: null, kindle: false };
}

function readLegacyListPrice(page: PageIndex, money: MoneyHints, kindle: boolean): Money | null {
  for (const win of windowsOf(page, 'listPrice', 4_000)) {
    const r = readPriceElement(win, money);
    if (r.price) return r.price;
  }
  const containers: AnchorId[] = ['price', 'buyNewInner', 'buyNewSection'];
  // The Kindle buy box shows "Print List Price" struck through; other buy boxes may hold
  // unrelated struck prices (Subscribe & Save), so only Kindle's is read.
  if (kindle) containers.push('buybox');
  for (const id of containers) {
    for (const win of windowsOf(page, id)) {
      const m = readStrikeInside(win, money);
      if (m) return m;
    }
  }
  return null;
}

function readOffers(page: PageIndex, money: MoneyHints): { new: Money | null; used: Money | null } {
  let used: Money | null = null;
  let fresh: Money | null = null;
  const lower = (a: Money | null, b: Money | null) => (!a ? b : !b ? a : b.minor < a.minor ? b : a);

  for (const win of windowsOf(page, 'usedBuySection', 6_000)) {
    used = lower(
      used,
      readClassInside(win, 'offer-price', money) ?? readClassInside(win, 'a-price', money),
    );
  }
  for (const win of windowsOf(page, 'usedAccordionRow', 6_000)) {
    used = lower(
      used,
      readClassInside(win, 'a-price', money) ?? readClassInside(win, 'offer-price', money),
    );
  }
  for (const id of [
    'olp_feature_div',
    'olpLinkWidget_feature_div',
    'moreBuyingChoices_feature_div',
    'mbc',
  ] as const) {
    for (const win of windowsOf(page, id)) {
      const links = readOfferLinks(win, money);
      used = lower(used, links.used);
      fresh = lower(fresh, links.new);
    }
  }
  return { new: fresh, used };
}

// ---------------------------------------------------------------------------------------------
// availability

function hasBuyButton(page: PageIndex): boolean {
  return (
    has(page, 'add-to-cart-button') || has(page, 'buy-now-button') || has(page, 'one-click-button')
  );
}

/**
 * The buy box offers nothing at a featured price. Before 2024 Amazon said so with
 * `#unqualifiedBuyBox` ("See all buying options"); since then with the `#fod-cx-box` message ("No
 * featured offers available", "Price higher than typical", "High price", in every language), next
 * to the lowest other offer's price and a "See all buying options" button. "Price higher than
 * typical" may also be shown while an offer can still be added to the cart, so the message only
 * counts when there is no buy button.
 */
function noFeaturedOffer(page: PageIndex): boolean {
  if (has(page, 'unqualifiedBuyBox')) return true;
  const fod = has(page, 'fod-cx-box') || has(page, 'fod-cx-message-with-learn-more');
  return fod && !hasBuyButton(page);
}

/** A pre-order buy box says so in its button: its title, or the `a-button-preorder` wrapper. */
function preorderButton(page: PageIndex): boolean {
  for (const win of windowsOf(page, 'add-to-cart-button', 2_000)) {
    const label = decodeEntities(win.tag.attrs.get('title') ?? '');
    if (classifyAvailabilityText(label) === 'preorder') return true;
  }
  for (const at of page.anchors.get('add-to-cart-button') ?? []) {
    if (page.html.slice(Math.max(0, at - 400), at).includes('a-button-preorder')) return true;
  }
  return false;
}

function availabilityText(page: PageIndex): string {
  for (const win of mainWindowsOf(page, 'availability', 6_000)) {
    const text = elementText(win.w, win.tag);
    if (text !== '') return text;
  }
  return '';
}

function readAvailability(
  page: PageIndex,
  price: Money | null,
  range: PriceRange | null,
): Availability {
  if (has(page, 'outOfStock')) return 'out_of_stock';
  if (preorderButton(page)) return 'preorder';
  const text = classifyAvailabilityText(availabilityText(page));
  if (text === 'out_of_stock' || text === 'preorder') return text;
  // A variation parent, or no featured offer: the product may well be in stock in some size or
  // from some seller, but this page offers nothing to buy.
  if (!price && (range || has(page, 'partialStateBuybox') || noFeaturedOffer(page)))
    return 'unknown';
  if (text === 'in_stock') return 'in_stock';
  return price && hasBuyButton(page) ? 'in_stock' : 'unknown';
}
