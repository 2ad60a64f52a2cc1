/**
 * What each page layout looks like and what a correct Amazon extractor reads from it. The
 * catalogue says which layout a product has; `expectedReading` says, for a product in a given
 * state, what the observation must be. The admin API publishes both, and the round-trip test
 * holds the real extractor to them.
 */
import type { Money } from '../money/index.js';
import { isKindle, type CatalogueItem, type PageLayout } from './catalogue.js';
import type { ProductState } from './moves.js';

export interface LayoutInfo {
  /** When real pages looked like this. */
  readonly era: string;
  /** Where the price to pay is, as an extractor should find it. */
  readonly reads: string;
  readonly description: string;
  /** Column order: the buy box first (older layouts, split apex) or the centre column first. */
  readonly order: 'right-first' | 'centre-first';
}

export const LAYOUTS: Readonly<Record<PageLayout, LayoutInfo>> = {
  'apex-split': {
    era: '2024-',
    reads: '#corePrice_feature_div .a-offscreen (the centre .priceToPay .a-offscreen is blank)',
    description:
      'buy box first with the price in #corePrice_feature_div; the centre #corePriceDisplay_desktop_feature_div has a blank .priceToPay .a-offscreen and the number only in the aria-hidden parts',
    order: 'right-first',
  },
  apex: {
    era: '2022-',
    reads: '#corePriceDisplay_desktop_feature_div .priceToPay .a-offscreen',
    description:
      'centre column first: .priceToPay with a filled .a-offscreen, basisPrice for the list price, tabular buy box',
    order: 'centre-first',
  },
  'core-table': {
    era: '2021-2023',
    reads: '#corePrice_desktop .apexPriceToPay',
    description:
      'the #corePrice_desktop table ("List Price:" struck, "Price:", "You Save:"), #price_inside_buybox in the buy box, #merchant-info',
    order: 'centre-first',
  },
  'apex-deal': {
    era: '2022-',
    reads: '#corePriceDisplay_desktop_feature_div .priceToPay .a-offscreen',
    description:
      'apex with a filled #dealBadge_feature_div ("Limited time deal"), a savings percentage and the typical/list price as basisPrice',
    order: 'centre-first',
  },
  'legacy-ourprice': {
    era: '2015-2019',
    reads: '#priceblock_ourprice',
    description:
      'buy box first (#buyNewSection "Buy new:" .offer-price, #usedBuySection "Buy used:"), then the centre #price table: struck list price, #priceblock_ourprice, #regularprice_savings; #availability, #merchant-info and #olp_feature_div ("N new from", "N used from") in the centre; EUR prefix format on demo.de',
    order: 'right-first',
  },
  'legacy-saleprice': {
    era: '2019-2021',
    reads: '#priceblock_saleprice (= #price_inside_buybox)',
    description:
      'buy box first with #price_inside_buybox, #availability and #merchant-info; centre #price table with the struck "Was:"/"List Price:" row and #priceblock_saleprice',
    order: 'right-first',
  },
  'legacy-deal': {
    era: '2018-2021',
    reads: '#priceblock_dealprice',
    description:
      'like legacy-saleprice with #priceblock_dealprice ("Deal of the Day:"), #dealprice_savings and a deal timer; #price_inside_buybox in the buy box',
    order: 'right-first',
  },
  'kindle-2017': {
    era: '2017-2020',
    reads: '#buybox tr.kindle-price .a-color-price',
    description:
      'ebook: #ebooksProductTitle, #ebooksImgBlkFront, a #buybox table with a struck "Print List Price:" row, the tr.kindle-price row and "Sold by:"; one-click button; no input#ASIN; a Kindle Unlimited "0.00" box and the other formats (hardcover, paperback) in #tmmSwatches and #MediaMatrix',
    order: 'right-first',
  },
  'kindle-2024': {
    era: '2023-',
    reads: '#kindle-price',
    description:
      'ebook: format swatches first in the right column (Kindle selected, audiobook "0.00 with trial", hardcover, paperback), a Kindle Unlimited "0.00" box, then #buybox with span#kindle-price in tr.kindle-price; one-click button; a series "Total Price" decoy',
    order: 'right-first',
  },
  'variation-parent': {
    era: '2021-',
    reads: 'no price: #corePrice_desktop .a-price-range (two .apexPriceToPay) is a range',
    description:
      'centre column first: a price range ("169,00 € – 199,90 €"), a size twister with nothing chosen, and #partialStateBuybox ("To buy, select Size") instead of an offer',
    order: 'centre-first',
  },
};

/** Which layouts carry which price widgets: the renderers and expectations share these. */
export const hasUsedOffer = (layout: PageLayout): boolean =>
  !isKindle(layout) && layout !== 'variation-parent';

/** The observation a correct extractor makes of a product's page in a state. */
export interface ExpectedReading {
  /** Null where the page names its ASIN only in its canonical URL, which is not Amazon's here. */
  readonly productId: string | null;
  readonly price: Money | null;
  readonly listPrice: Money | null;
  readonly priceRange: { readonly min: Money; readonly max: Money } | null;
  readonly availability: 'in_stock' | 'out_of_stock' | 'unknown';
  /** Present when the page shows an offer and says who sells it. */
  readonly soldByStore?: boolean;
  readonly offers: { readonly new: Money | null; readonly used: Money | null };
}

export function usedPriceOf(item: CatalogueItem, state: ProductState): Money | null {
  if (item.usedPercent === null || !hasUsedOffer(item.layout)) return null;
  const base = state.price ?? item.price;
  return { minor: Math.round((base.minor * item.usedPercent) / 100), currency: base.currency };
}

/** Whether the page shows the strike price next to the price to pay. */
export function showsStrike(item: CatalogueItem, state: ProductState): boolean {
  if (!state.strikePrice) return false;
  // Kindle pages strike only the print list price, never a pre-sale price.
  if (item.layout === 'kindle-2017') return state.strikeKind === 'list';
  return item.layout !== 'kindle-2024' && item.layout !== 'variation-parent';
}

export function expectedReading(item: CatalogueItem, state: ProductState): ExpectedReading {
  const offered = state.price !== null && state.availability === 'in_stock';
  const parent = item.layout === 'variation-parent';
  const price = offered && !parent ? state.price : null;
  const used = usedPriceOf(item, state);
  // Only the 2015-2019 layout lists the lowest new offer ("2 new from $8.99"): the buy box price.
  const fresh = item.layout === 'legacy-ourprice' && price ? price : null;
  let availability: ExpectedReading['availability'];
  if (state.availability === 'out_of_stock') availability = 'out_of_stock';
  else if (!offered || parent) availability = 'unknown';
  else availability = 'in_stock';
  return {
    productId: item.layout === 'kindle-2017' ? null : item.asin,
    price,
    listPrice: price && showsStrike(item, state) ? state.strikePrice : null,
    priceRange:
      offered && parent && state.price && state.rangeMax
        ? { min: state.price, max: state.rangeMax }
        : null,
    availability,
    ...(price ? { soldByStore: item.soldByStore } : {}),
    offers: { new: fresh, used },
  };
}
