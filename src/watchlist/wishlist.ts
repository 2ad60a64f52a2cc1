/**
 * Reading a public wishlist (Amazon's, or the demo store's, which uses Amazon's markup) through
 * the fetcher: the list page and the "show more" pages after it, up to a number of items.
 */
import { FetchError, type Fetcher } from '../acquisition/fetcher.js';
import { parseDemoWishlistUrl } from '../demo-store/index.js';
import { AppError } from '../errors.js';
import {
  extractAmazonWishlist,
  parseAmazonWishlistUrl,
  type AmazonWishlistItem,
} from '../stores/amazon/wishlist.js';
import type { StoreRegistry } from '../stores/index.js';

export interface WishlistRef {
  readonly store: 'amazon' | 'demo';
  /** The list's canonical page. */
  readonly url: string;
}

/** A wishlist URL of an Amazon marketplace, or of the demo store at `demoBaseUrl`. */
export function identifyWishlist(input: string, demoBaseUrl?: string): WishlistRef | null {
  const amazon = parseAmazonWishlistUrl(input);
  if (amazon) return { store: 'amazon', url: amazon.url };
  if (demoBaseUrl) {
    const demo = parseDemoWishlistUrl(input.trim(), demoBaseUrl);
    if (demo) return { store: 'demo', url: demo.canonicalUrl };
  }
  return null;
}

export interface WishlistDeps {
  readonly fetcher: Pick<Fetcher, 'fetch'>;
  readonly stores: Pick<StoreRegistry, 'identify'>;
  readonly identifyWishlist: (url: string) => WishlistRef | null;
}

export interface WishlistRead {
  readonly url: string;
  readonly name: string | null;
  readonly items: readonly AmazonWishlistItem[];
  /** Items were left out: more than `maxItems`, more pages than `maxPages`, or a later page failed. */
  readonly truncated: boolean;
}

const unsupported = () =>
  new AppError(
    'unsupported_wishlist',
    'not a wishlist Pricehawk can read: give the address of a public Amazon wishlist (…/hz/wishlist/ls/…)',
    400,
  );

/** The list a pasted URL names, following a short link (a.co) through the fetcher. */
async function resolveWishlist(deps: WishlistDeps, input: string): Promise<WishlistRef> {
  const direct = deps.identifyWishlist(input);
  if (direct) return direct;
  const found = deps.stores.identify(input);
  if (found.kind !== 'short_link') throw unsupported();
  let landed: string;
  try {
    landed = (await deps.fetcher.fetch({ url: found.url, stopWhen: () => true })).url;
  } catch (cause) {
    throw new AppError('short_link_failed', 'could not follow that short link', 422, { cause });
  }
  const ref = deps.identifyWishlist(landed);
  if (!ref) throw unsupported();
  return ref;
}

export async function readWishlist(
  deps: WishlistDeps,
  input: string,
  opts: { maxItems: number; maxPages: number },
): Promise<WishlistRead> {
  const ref = await resolveWishlist(deps, input);
  const items: AmazonWishlistItem[] = [];
  const seen = new Set<string>();
  let name: string | null = null;
  let next: string | undefined = ref.url;
  let pages = 0;
  let truncated = false;
  while (next !== undefined) {
    if (pages === opts.maxPages || items.length >= opts.maxItems) {
      truncated = true;
      break;
    }
    let page: ReturnType<typeof extractAmazonWishlist>;
    try {
      page = await readPage(deps, next);
    } catch (err) {
      // The first page decides whether there is a list at all; a later page that fails leaves
      // what was read so far, said to be incomplete.
      if (pages === 0) throw err;
      truncated = true;
      break;
    }
    pages++;
    name ??= page.name;
    for (const item of page.items) {
      if (seen.has(item.asin)) continue;
      if (items.length >= opts.maxItems) {
        truncated = true;
        break;
      }
      seen.add(item.asin);
      items.push(item);
    }
    next = page.nextPageUrl;
  }
  return { url: ref.url, name, items, truncated };
}

async function readPage(
  deps: WishlistDeps,
  url: string,
): Promise<ReturnType<typeof extractAmazonWishlist>> {
  let res;
  try {
    res = await deps.fetcher.fetch({ url });
  } catch (cause) {
    if (cause instanceof FetchError && !cause.transient && cause.code !== 'fetch_cooling_down') {
      throw new AppError('unsupported_wishlist', `cannot read this list: ${cause.message}`, 422, {
        cause,
      });
    }
    throw new AppError(
      'wishlist_unreachable',
      'the store could not be reached; try again later',
      502,
      {
        cause,
      },
    );
  }
  if (res.status === 404 || res.status === 410) throw notFound();
  if (res.status === 429) throw blocked();
  const page = extractAmazonWishlist(res.body, { url: res.url });
  if (page.outcome === 'captcha' || page.outcome === 'blocked') throw blocked();
  if (page.outcome === 'not_found') throw notFound();
  if (page.outcome === 'error' || res.status >= 400) {
    throw new AppError(
      'wishlist_unreachable',
      `the store answered ${res.status}; try again later`,
      502,
    );
  }
  return page;
}

const notFound = () =>
  new AppError(
    'wishlist_not_found',
    'no public wishlist at this address (a private list cannot be read)',
    422,
  );

const blocked = () =>
  new AppError(
    'wishlist_blocked',
    'the store refused to show the list just now; try again in a few minutes',
    503,
  );
