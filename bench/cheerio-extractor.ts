/**
 * The comparison the extraction budget names: what a competent engineer writes with cheerio to get
 * the same fields from an Amazon product page (title, buy-box price, availability, image). It uses
 * the product's own money parser, availability classifier and marketplace table, so the two
 * extractors differ only in how they reach the page's elements: a DOM plus CSS selectors here,
 * indexOf anchors and bounded windows in src/stores/amazon.
 */
import * as cheerio from 'cheerio';
import { parseMoney, type Money } from '../src/money/index.js';
import { classifyAvailabilityText } from '../src/stores/amazon/availability.js';
import { pageLocale } from '../src/stores/amazon/hints.js';
import { marketplaceForHost } from '../src/stores/amazon/marketplaces.js';
import type { Availability } from '../src/stores/types.js';

export interface CheerioReading {
  readonly title: string | null;
  readonly price: Money | null;
  readonly availability: Availability;
  readonly imageUrl: string | null;
}

/** Buy-box price elements, most specific first: current apex/corePrice layouts, then legacy. */
const PRICE_SELECTORS = [
  '#corePriceDisplay_desktop_feature_div .priceToPay .a-offscreen',
  '#corePriceDisplay_desktop_feature_div .apexPriceToPay .a-offscreen',
  '#corePrice_desktop .apexPriceToPay .a-offscreen',
  '#corePrice_desktop .priceToPay .a-offscreen',
  '#corePrice_feature_div .a-price .a-offscreen',
  '#priceblock_dealprice',
  '#priceblock_saleprice',
  '#priceblock_ourprice',
  '#price_inside_buybox',
  '#newBuyBoxPrice',
  '#buyNewSection .offer-price',
  'span#price',
  '#kindle-price',
  '#buybox .kindle-price',
];

const TITLE_SELECTORS = ['#productTitle', '#ebooksProductTitle', '#btAsinTitle', '#title'];
const IMAGE_SELECTORS = ['#landingImage', '#imgBlkFront', '#ebooksImgBlkFront', '#main-image'];

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

export function extractWithCheerio(html: string): CheerioReading {
  const $ = cheerio.load(html);

  const canonical = $('link[rel="canonical"]').attr('href');
  let host: string | undefined;
  try {
    host = canonical ? new URL(canonical).hostname : undefined;
  } catch {
    host = undefined;
  }
  const marketplace = host ? marketplaceForHost(host) : undefined;
  const hints = {
    currency: marketplace?.currency,
    locale: pageLocale($('html').attr('lang') ?? null) ?? marketplace?.locale,
  };

  let title: string | null = null;
  for (const sel of TITLE_SELECTORS) {
    const t = collapse($(sel).first().text());
    if (t) {
      title = t;
      break;
    }
  }
  title ??= $('meta[property="og:title"]').attr('content') ?? null;

  let price: Money | null = null;
  let range = false;
  for (const sel of PRICE_SELECTORS) {
    const el = $(sel).first();
    const text = collapse(el.text());
    if (!/\d/.test(text)) continue;
    // A variation parent shows "R$169,00 - R$199,90": a range is never a price.
    if (el.closest('.a-price-range').length > 0 || /\s[-–—]\s/.test(text)) {
      range = true;
      break;
    }
    price = parseMoney(text, hints);
    if (price) break;
  }
  const hasBuyButton = $('#add-to-cart-button, #buy-now-button, #one-click-button').length > 0;
  const outOfStock = $('#outOfStock').length > 0;
  if ($('#unqualifiedBuyBox').length > 0 || (outOfStock && !hasBuyButton)) price = null;

  let availability: Availability;
  if (outOfStock) availability = 'out_of_stock';
  else {
    const text = classifyAvailabilityText(collapse($('#availability').first().text()));
    availability =
      range && !price
        ? 'unknown'
        : text !== 'unknown'
          ? text
          : price && hasBuyButton
            ? 'in_stock'
            : 'unknown';
  }

  let imageUrl: string | null = null;
  for (const sel of IMAGE_SELECTORS) {
    const img = $(sel).first();
    if (img.length === 0) continue;
    imageUrl = img.attr('data-old-hires')?.trim() || largestImage(img.attr('data-a-dynamic-image'));
    imageUrl ||= img.attr('src') ?? null;
    if (imageUrl) break;
  }

  return { title, price, availability, imageUrl };
}

function largestImage(json: string | undefined): string | null {
  if (!json) return null;
  try {
    const sizes = JSON.parse(json) as Record<string, [number, number]>;
    let best: string | null = null;
    let area = -1;
    for (const [url, [w, h]] of Object.entries(sizes)) {
      if (w * h > area) {
        best = url;
        area = w * h;
      }
    }
    return best;
  } catch {
    return null;
  }
}
