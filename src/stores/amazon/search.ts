/**
 * Amazon search result pages (`/s?k=…`): one entry per result tile, sponsored ones flagged. Each
 * tile is read on its own, between its `s-search-result` marker and the next, so a tile's
 * Subscribe & Save line, unit price or strike price never leaks into its neighbour.
 */
import type { Money } from '../../money/index.js';
import {
  decodeEntities,
  elementEnd,
  elementText,
  hasClass,
  readTag,
  tagsContaining,
  type Tag,
} from './html.js';
import { amazonProductUrl, isAsin } from './identity.js';
import { pageLocale, readHints, resolveMarketplace } from './hints.js';
import { aPriceText, moneyFrom, type MoneyHints } from './prices.js';

export interface AmazonSearchResult {
  readonly asin: string;
  readonly title: string | null;
  /** The product's canonical URL (sponsored tiles link through an ad redirect instead). */
  readonly url: string;
  readonly imageUrl: string | null;
  readonly price: Money | null;
  readonly listPrice: Money | null;
  readonly sponsored: boolean;
}

export interface AmazonSearchPage {
  readonly marketplace: string | null;
  readonly results: AmazonSearchResult[];
}

const MARKER = 'data-component-type="s-search-result"';
/** A tile is a few kilobytes; the last one on the page is cut here rather than at the footer. */
const MAX_TILE = 60_000;

export function extractAmazonSearch(
  html: string,
  ctx: { url?: string | undefined; marketplace?: string | undefined } = {},
): AmazonSearchPage {
  const hints = readHints(html, html.length);
  const marketplace = resolveMarketplace(hints, ctx, html);
  const money: MoneyHints = {
    currency: marketplace?.currency,
    locale: pageLocale(hints.lang) ?? marketplace?.locale,
  };

  const starts: number[] = [];
  for (let at = html.indexOf(MARKER); at >= 0; at = html.indexOf(MARKER, at + MARKER.length)) {
    const lt = html.lastIndexOf('<', at);
    if (lt >= 0) starts.push(lt);
  }

  const results: AmazonSearchResult[] = [];
  starts.forEach((start, k) => {
    const next = starts[k + 1];
    const end = Math.min(next ?? html.length, start + MAX_TILE);
    // A tile runs to the next tile; only the last one needs its closing tag found.
    const tile = readTile(
      html.slice(start, end),
      money,
      marketplace?.id ?? null,
      next === undefined,
    );
    if (tile) results.push(tile);
  });
  return { marketplace: marketplace?.id ?? null, results };
}

function readTile(
  w: string,
  money: MoneyHints,
  marketplace: string | null,
  last: boolean,
): AmazonSearchResult | null {
  const tag = readTag(w, 0);
  const asin = tag?.attrs.get('data-asin')?.trim().toUpperCase() ?? '';
  if (!tag || !isAsin(asin)) return null;
  const end = last ? elementEnd(w, tag) : w.length;
  const sponsored =
    hasClass(tag, 'AdHolder') ||
    w.includes('data-component-type="sp-sponsored-result"') ||
    w.includes('puis-sponsored-label-text');

  const prices = tagsContaining(w, tag.end, end, 'a-price', (t) => hasClass(t, 'a-price'));
  const strike = (t: Tag) => t.attrs.get('data-a-strike') === 'true';
  // `a-text-price` without a strike is a unit price ("(€2.69/kg)") in tiles.
  const current = prices.find((t) => !strike(t) && !hasClass(t, 'a-text-price'));
  const was = prices.find(strike);

  return {
    asin,
    title: tileTitle(w, tag.end, end),
    url: marketplace ? amazonProductUrl(marketplace, asin) : firstProductHref(w, asin),
    imageUrl: tileImage(w, tag.end, end),
    price: current ? moneyFrom(aPriceText(w, current), money) : null,
    listPrice: was ? moneyFrom(aPriceText(w, was), money) : null,
    sponsored,
  };
}

/** The title heading; some layouts put the brand in a heading of its own, so take the longest. */
function tileTitle(w: string, from: number, to: number): string | null {
  let best: string | null = null;
  for (const h2 of tagsContaining(w, from, to, '<h2', (t) => t.name === 'h2', 3)) {
    const text = elementText(w, h2) || decodeEntities(h2.attrs.get('aria-label') ?? '').trim();
    if (text && (!best || text.length > best.length)) best = text;
  }
  return best;
}

function tileImage(w: string, from: number, to: number): string | null {
  const [img] = tagsContaining(
    w,
    from,
    to,
    's-image',
    (t) => t.name === 'img' && hasClass(t, 's-image'),
    1,
  );
  const src = img?.attrs.get('src');
  return src ? decodeEntities(src) : null;
}

function firstProductHref(w: string, asin: string): string {
  const m = new RegExp(`href="([^"]*/dp/${asin}[^"]*)"`).exec(w);
  return m?.[1] ? decodeEntities(m[1]) : `/dp/${asin}`;
}
