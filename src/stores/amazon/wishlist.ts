/**
 * Amazon wishlists: the public list page (`/hz/wishlist/ls/{ID}`) and the "show more" pages it
 * loads (`/hz/wishlist/slv/items?…paginationToken=…`), which carry the same entries as a bare
 * fragment. One entry per `li[data-itemid]` (Amazon writes `data-itemId`), read on its own between
 * its start tag and the next entry's, so a neighbour's price never leaks into it:
 * - the ASIN from the `/dp/{ASIN}` link of `a[id^="itemName_"]`, else from the entry's
 *   `itemExternalId` ("ASIN:B0…|marketplace") or its `data-csa-c-item-id`;
 * - the title from that link's `title` attribute (its text is cut with "…" on long titles);
 * - the price from `span[id^="itemPrice_"]`, else the entry's first `.a-price` that is not struck
 *   through (both read through `.a-offscreen`), else the entry's `data-price` decimal.
 * Nothing here builds a DOM: entries are found with indexOf and read in bounded windows.
 */
import { decimalToMinor, type Money } from '../../money/index.js';
import { classifyNonProductPage } from './blocked.js';
import {
  decodeEntities,
  elementEnd,
  elementText,
  hasClass,
  readTag,
  tagsContaining,
  type Tag,
} from './html.js';
import { pageLocale, readHints, resolveMarketplace } from './hints.js';
import { amazonProductUrl, isAsin } from './identity.js';
import { marketplaceForHost } from './marketplaces.js';
import { aPriceText, moneyFrom, type MoneyHints } from './prices.js';

export interface AmazonWishlistItem {
  /** The list entry's own id ("I2WF7234C0ZXFV"); null when the page does not give one. */
  readonly itemId: string | null;
  readonly asin: string;
  readonly title: string | null;
  /**
   * The product's URL: the canonical `https://www.amazon.…/dp/{ASIN}` when the marketplace is
   * known, else the entry's link resolved against the page's URL without its list parameters.
   */
  readonly url: string;
  /** The price the list shows now; null when it shows none (out of stock, several offers). */
  readonly price: Money | null;
}

export interface AmazonWishlistPage {
  /** `ok` for a list page (even an empty one); otherwise what the page is instead. */
  readonly outcome: 'ok' | 'captcha' | 'blocked' | 'error' | 'not_found';
  /** Amazon marketplace id ("amazon.de") when the page or its URL tells; null otherwise. */
  readonly marketplace: string | null;
  readonly listId: string | null;
  readonly name: string | null;
  readonly items: AmazonWishlistItem[];
  /** The next page of entries (absolute when `ctx.url` was given); absent on the last page. */
  readonly nextPageUrl?: string;
}

export interface AmazonWishlistRef {
  readonly marketplace: string;
  readonly id: string;
  /** `https://www.amazon.…/hz/wishlist/ls/{ID}`. */
  readonly url: string;
}

const LIST_PATH =
  /^(?:\/-\/[a-z]{2}(?:_[a-z]{2})?)?\/(?:hz\/wishlist\/(?:ls|genericItemsPage)|gp\/registry\/wishlist|registry\/wishlist|wishlist\/ls)\/([0-9A-Za-z]{8,20})(?:\/[^?#]*)?$/;

/** A public Amazon wishlist URL of any marketplace (the list forms Amazon has used). */
export function parseAmazonWishlistUrl(url: string): AmazonWishlistRef | null {
  let u: URL;
  try {
    u = new URL(/^https?:\/\//i.test(url.trim()) ? url.trim() : `https://${url.trim()}`);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  const m = marketplaceForHost(host);
  // Storefront hosts only: www., smile., m. or none (never aws.amazon.com and the like).
  if (!m || !['', 'www.', 'smile.', 'm.'].includes(host.slice(0, host.length - m.id.length)))
    return null;
  const id = LIST_PATH.exec(u.pathname)?.[1]?.toUpperCase();
  return id ? { marketplace: m.id, id, url: `https://${m.host}/hz/wishlist/ls/${id}` } : null;
}

/** An entry is a few kilobytes; past this its window is cut (the last entry's end is searched). */
const MAX_ENTRY = 40_000;
const ENTRY_MARKER = 'data-item';

export function extractAmazonWishlist(
  html: string,
  ctx: { url?: string | undefined; marketplace?: string | undefined } = {},
): AmazonWishlistPage {
  const starts = entryStarts(html);
  // The list's header (id, name) and the page's hints come before the first entry, the "show
  // more" link after the last: each search covers its own part of the page only.
  const head = starts[0] ?? html.length;
  const tail = starts.at(-1) ?? 0;
  const top = head < html.length ? html.slice(0, head) : html;
  const hints = readHints(top, top.length);
  const marketplace = resolveMarketplace(hints, ctx, top);
  const money: MoneyHints = {
    currency: marketplace?.currency,
    locale: pageLocale(hints.lang) ?? marketplace?.locale,
  };

  const items: AmazonWishlistItem[] = [];
  const seen = new Set<string>();
  starts.forEach((start, k) => {
    const next = starts[k + 1];
    const w = html.slice(start, Math.min(next ?? html.length, start + MAX_ENTRY));
    const item = readEntry(w, next === undefined, money, marketplace?.id ?? null, ctx.url);
    // A list holds a product once; a repeated entry (a page overlap) is dropped.
    if (item && !seen.has(item.asin)) {
      seen.add(item.asin);
      items.push(item);
    }
  });

  const nextPageUrl = showMoreUrl(html, tail, ctx.url);
  const outcome = items.length > 0 || isListPage(top) ? 'ok' : nonListOutcome(html);
  return {
    outcome,
    marketplace: marketplace?.id ?? null,
    listId: inputValue(top, 'id="listId"', top.length, true),
    name: listName(top),
    items,
    ...(nextPageUrl && outcome === 'ok' ? { nextPageUrl } : {}),
  };
}

/**
 * Start (`<`) of every `li` whose start tag carries `data-itemid` in any letter case, outside
 * scripts (pages carry entry templates in JavaScript strings). One pass: the script ranges are
 * found as the search moves forward.
 */
function entryStarts(html: string): number[] {
  const starts: number[] = [];
  let last = -1;
  let scriptOpen = html.indexOf('<script');
  let scriptClose = scriptOpen < 0 ? -1 : html.indexOf('</script', scriptOpen);
  const inScript = (at: number): boolean => {
    while (scriptOpen >= 0 && scriptClose >= 0 && scriptClose < at) {
      scriptOpen = html.indexOf('<script', scriptClose);
      scriptClose = scriptOpen < 0 ? -1 : html.indexOf('</script', scriptOpen);
    }
    return scriptOpen >= 0 && at > scriptOpen && (scriptClose < 0 || at < scriptClose);
  };
  for (
    let at = html.indexOf(ENTRY_MARKER);
    at >= 0;
    at = html.indexOf(ENTRY_MARKER, at + ENTRY_MARKER.length)
  ) {
    const after = html.slice(at + ENTRY_MARKER.length, at + ENTRY_MARKER.length + 3);
    if (!/^id\s?=/i.test(after)) continue;
    const lt = html.lastIndexOf('<', at);
    if (lt <= last || at - lt > 4_000 || inScript(at)) continue;
    // Only the entry's own start tag, not `data-itemid` on some other element.
    const tag = readTag(html.slice(lt, lt + 6_000), 0);
    if (!tag || tag.name !== 'li' || tag.end <= at - lt) continue;
    starts.push(lt);
    last = lt;
  }
  return starts;
}

function readEntry(
  w: string,
  last: boolean,
  money: MoneyHints,
  marketplace: string | null,
  pageUrl: string | undefined,
): AmazonWishlistItem | null {
  const li = readTag(w, 0);
  if (!li) return null;
  const end = last ? elementEnd(w, li) : w.length;

  const name = tagWithIdPrefix(w, li.end, end, 'itemName_');
  const href = name?.attrs.get('href');
  const hrefAsin = href ? asinOfHref(decodeEntities(href)) : null;
  const asin = hrefAsin ?? asinOfParams(li) ?? csaAsin(w, li.end, end);
  if (!asin) return null;

  const titleAttr = name ? decodeEntities(name.attrs.get('title') ?? '').trim() : '';
  const title = titleAttr || (name ? elementText(w, name) : '') || null;

  return {
    itemId: li.attrs.get('data-itemid')?.trim() || null,
    asin,
    title,
    url: productUrl(asin, marketplace, href ? decodeEntities(href) : null, pageUrl),
    price: entryPrice(w, li, end, money),
  };
}

/** The first start tag in [from, to) whose id begins with `prefix`. */
function tagWithIdPrefix(w: string, from: number, to: number, prefix: string): Tag | null {
  const [tag] = tagsContaining(
    w,
    from,
    to,
    `id="${prefix}`,
    (t) => t.attrs.get('id')?.startsWith(prefix) === true,
    1,
  );
  return tag ?? null;
}

const HREF_ASIN =
  /\/(?:dp|gp\/product|gp\/aw\/d|exec\/obidos\/ASIN)\/([0-9A-Za-z]{10})(?=[/?#&]|$)/;

function asinOfHref(href: string): string | null {
  const a = HREF_ASIN.exec(href)?.[1]?.toUpperCase();
  return a && isAsin(a) ? a : null;
}

/** `data-reposition-action-params` holds `"itemExternalId":"ASIN:B0…|A1PA6795UKMFR9"`. */
function asinOfParams(li: Tag): string | null {
  const params = decodeEntities(li.attrs.get('data-reposition-action-params') ?? '');
  const a = /ASIN:([0-9A-Z]{10})/.exec(params)?.[1];
  return a && isAsin(a) ? a : null;
}

function csaAsin(w: string, from: number, to: number): string | null {
  const [tag] = tagsContaining(
    w,
    from,
    to,
    'data-csa-c-item-type="asin"',
    (t) => t.attrs.get('data-csa-c-item-type') === 'asin',
    1,
  );
  const a = tag?.attrs.get('data-csa-c-item-id')?.trim().toUpperCase();
  return a && isAsin(a) ? a : null;
}

const isStrike = (t: Tag) =>
  t.attrs.get('data-a-strike') === 'true' || hasClass(t, 'a-text-strike');

function entryPrice(w: string, li: Tag, end: number, money: MoneyHints): Money | null {
  const own = tagWithIdPrefix(w, li.end, end, 'itemPrice_');
  if (own) {
    const m = moneyFrom(aPriceText(w, own), money);
    if (m) return m;
  }
  const [shown] = tagsContaining(
    w,
    li.end,
    end,
    'a-price',
    (t) => hasClass(t, 'a-price') && !isStrike(t) && !hasClass(t, 'a-text-price'),
    1,
  );
  if (shown) {
    const m = moneyFrom(aPriceText(w, shown), money);
    if (m) return m;
  }
  // `data-price` is a plain decimal ("19.99"; "-Infinity" without an offer): usable only when
  // the marketplace says which currency it is in.
  const data = li.attrs.get('data-price')?.trim() ?? '';
  if (money.currency && /^\d{1,12}(\.\d{1,4})?$/.test(data)) {
    const minor = decimalToMinor(data, money.currency);
    if (minor !== null && minor > 0) return { minor, currency: money.currency };
  }
  return null;
}

function productUrl(
  asin: string,
  marketplace: string | null,
  href: string | null,
  pageUrl: string | undefined,
): string {
  // The list's own site decides: an Amazon list links to Amazon products, and a look-alike list
  // (the demo store's, which imitates a marketplace's markup) to its own.
  const pageHost = hostOf(pageUrl);
  const pageMarketplace = pageHost ? marketplaceForHost(pageHost)?.id : undefined;
  if (pageMarketplace) return amazonProductUrl(pageMarketplace, asin);
  if (marketplace && !pageUrl) return amazonProductUrl(marketplace, asin);
  if (href && pageUrl) {
    try {
      const u = new URL(href, pageUrl);
      u.search = '';
      u.hash = '';
      u.pathname = u.pathname.replace(/(\/dp\/[0-9A-Za-z]{10})\/$/, '$1');
      return u.toString();
    } catch {
      /* an unusable link: fall through */
    }
  }
  return `/dp/${asin}`;
}

function hostOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

/** `value` of the input tag holding `marker`, searched from `from` (backwards when `back`). */
function inputValue(html: string, marker: string, from: number, back = false): string | null {
  const at = back ? html.lastIndexOf(marker, from) : html.indexOf(marker, from);
  if (at < 0) return null;
  const lt = html.lastIndexOf('<', at);
  if (lt < 0 || at - lt > 2_000) return null;
  const v = readTag(html.slice(lt, lt + 4_000), 0)?.attrs.get('value');
  return v === undefined ? null : decodeEntities(v).trim() || null;
}

function listName(html: string): string | null {
  // Just above the entries: searched backwards from them.
  const at = html.lastIndexOf('id="profile-list-name"');
  if (at < 0) return null;
  const lt = html.lastIndexOf('<', at);
  const w = html.slice(lt, lt + 4_000);
  const tag = readTag(w, 0);
  return tag ? elementText(w, tag) || null : null;
}

function showMoreUrl(html: string, from: number, pageUrl: string | undefined): string | undefined {
  const value = inputValue(html, 'name="showMoreUrl"', from);
  if (!value) return undefined;
  if (!pageUrl) return value;
  try {
    const next = new URL(value, pageUrl);
    // The next page stays on the list's own site: a link elsewhere is not followed.
    return next.origin === new URL(pageUrl).origin ? next.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** A list page with no entries yet (an empty list) still has its list id or its item list. */
function isListPage(html: string): boolean {
  return (
    html.includes('id="listId"') || html.includes('id="g-items"') || html.includes('wl-item-view')
  );
}

function nonListOutcome(html: string): AmazonWishlistPage['outcome'] {
  const kind = classifyNonProductPage(html);
  if (kind === 'captcha' || kind === 'blocked' || kind === 'error' || kind === 'not_found')
    return kind;
  // A sign-in page (a private list) or anything else: there is no list here to read.
  return 'not_found';
}
