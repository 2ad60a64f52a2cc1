/**
 * Kindle ebook pages, after the structure of the saved 2017, 2020 and 2024 Kindle pages in the
 * shared corpus (own templates):
 * - `kindle-2017`: `#ebooksImgBlkFront`, `#ebooksProductTitle`, a `#buybox` table with a struck
 *   "Print List Price:" row, the `tr.kindle-price` row (price in its `.a-color-price` cell) and a
 *   "Sold by:" row; the other formats in `#tmmSwatches` and the `#MediaMatrix` table of the centre
 *   column; no `input#ASIN` (the page names its ASIN in the canonical link and `ASIN.0`);
 * - `kindle-2024`: the format swatches at the top of the right column, then `#buybox` (twice, the
 *   outer wrapper and the box) with `span#kindle-price` inside `tr.kindle-price`, a series bundle
 *   "Total Price" and the wish-list form carrying `input#ASIN`.
 * Both carry Kindle Unlimited's "0.00" and the audiobook's "0.00 with trial" as decoys; there is
 * no used offer and no stock: a Kindle price with a 1-Click button is in stock.
 */
import type { Money } from '../../money/index.js';
import { priceAbove } from '../catalogue.js';
import { createRng, mix } from '../prng.js';
import { esc, jsonAttr } from './html.js';
import { featureDiv, token } from './filler.js';
import { layoutText } from './layout-text.js';
import { imageUrl, jsonAmount, money, type PageContext } from './sections.js';

interface Formats {
  readonly hardcover: Money;
  readonly paperback: Money;
  readonly usedHardcover: Money;
  /** Kindle Unlimited title: a "0.00" to read it with a subscription. */
  readonly unlimited: boolean;
  readonly seriesBooks: number;
}

/** The other formats of the book: fixed per product, whatever the Kindle price does. */
function formatsOf(ctx: PageContext): Formats {
  const { item } = ctx;
  const rng = createRng(mix(item.seed, 0xb00c));
  const hardcover = priceAbove(item.price, rng.int(160, 220) * 10, item.priceEnding);
  return {
    hardcover,
    paperback: priceAbove(item.price, rng.int(110, 140) * 10, item.priceEnding),
    usedHardcover: {
      minor: Math.round((hardcover.minor * 55) / 100),
      currency: hardcover.currency,
    },
    unlimited: rng.chance(0.5),
    seriesBooks: rng.int(2, 5),
  };
}

/** The whole series at this volume's price, 5% off: the "Total Price" decoy of 2024 pages. */
function seriesTotal(price: Money, books: number): number {
  return Math.round((price.minor * books * 95) / 100);
}

const offered = (ctx: PageContext): boolean =>
  ctx.state.price !== null && ctx.state.availability === 'in_stock';

/** The 2017-2020 cover image: `#ebooksImgBlkFront`, its sizes in `data-a-dynamic-image`. */
export function ebooksImageBlock(ctx: PageContext): string {
  const { item, origin } = ctx;
  const big = imageUrl(origin, item.asin);
  const dyn = jsonAttr({
    [`${big}?w=260`]: [260, 346],
    [`${big}?w=500`]: [500, 666],
    [big]: [1200, 1600],
  });
  return featureDiv(
    'ebooksImageBlock_feature_div',
    item.asin,
    `<div id="ebooksImageBlockContainer" class="a-section a-spacing-none"><div id="ebooksImageBlock" class="a-section a-spacing-none"><div id="ebooks-img-canvas" class="a-row a-spacing-none"><img alt="${esc(item.title)}" src="${esc(big)}?w=260" data-a-dynamic-image="${dyn}" id="ebooksImgBlkFront" class="a-dynamic-image frontImage" style="max-width:260px;max-height:346px;"/></div><div id="ebooks-img-look-inside" class="a-row a-spacing-none"><span class="a-size-small a-color-secondary">Look inside</span></div></div></div>`,
  );
}

function swatch(
  id: string,
  label: string,
  priceHtml: string,
  extra: string,
  selected: boolean,
  href: string,
): string {
  return `<div id="tmm-grid-swatch-${id}" class="a-column a-span6 a-text-left swatchElement ${selected ? 'selected' : 'unselected'} celwidget"><span class="a-button ${selected ? 'a-button-selected ' : ''}a-spacing-none a-button-toggle format"><span class="a-button-inner"><a href="${href}" class="a-button-text a-text-left"><span class="slot-title"><span>${esc(label)}</span> <br></span><span class="slot-price">${priceHtml}</span><br><span class="slot-extraMessage">${extra}</span></a></span></span></div>`;
}

/** The format swatches: Kindle (selected), audiobook, hardcover, paperback. */
function tmmSwatches(ctx: PageContext, f: Formats): string {
  const { item, state, mp, rng } = ctx;
  const t = layoutText(mp);
  const zero: Money = { minor: 0, currency: item.price.currency };
  const kindle = state.price
    ? `<span class="a-size-base a-color-price a-color-price ebook-price-value"> ${esc(money(state.price, mp))} </span>`
    : '<span class="a-size-base a-color-secondary">—</span>';
  const related = (code: string): string =>
    `/${mp.code}/dp/${token(rng, 10, '0123456789')}/ref=tmm_${code}_swatch_0?_encoding=UTF8&amp;qid=&amp;sr=`;
  return `<div id="formats" class="a-section a-spacing-none MMGridLayout"><div id="tmmSwatches" class="a-section a-spacing-none nonJSFormats"><div class="a-row formatsRow a-ws-row">
${swatch('KINDLE', t.formats.kindle, kindle, `<span class="a-size-small a-text-normal">${esc(t.availableInstantly)}</span>`, true, 'javascript:void(0)')}
${swatch('AUDIO_DOWNLOAD', t.formats.audiobook, `<span class="audible_mm_price"><span> ${esc(money(zero, mp))} </span></span>`, `<span class="a-size-small a-text-normal"><span> ${esc(t.withTrial)} </span></span>`, false, related('aud'))}
</div><div class="a-row formatsRow a-ws-row">
${swatch('HARDCOVER', t.formats.hardcover, `<span class="a-size-base a-color-secondary"> ${esc(money(f.hardcover, mp))} </span>`, '', false, related('hrd'))}
${swatch('PAPERBACK', t.formats.paperback, `<span class="a-size-base a-color-secondary"> ${esc(money(f.paperback, mp))} </span>`, '', false, related('pap'))}
</div></div></div>
`;
}

/**
 * The 2017-2020 formats table under the swatches: each print format with its price and links to
 * its new and used offers, which name their condition like the product's own offer links do.
 */
function mediaMatrix(ctx: PageContext, f: Formats): string {
  const { mp, rng } = ctx;
  const t = layoutText(mp);
  const other = token(rng, 10, '0123456789');
  return `<div id="MediaMatrix" class="a-section a-spacing-none"><div id="formats" class="a-section a-spacing-none"><table class="a-normal a-spacing-none title-text"><tr>
<td class="dp-title-col"><a class="a-link-normal" href="/${mp.code}/dp/${other}/ref=tmm_hrd_title_0?_encoding=UTF8"><span class="a-size-small a-color-base">${esc(t.formats.hardcover)}</span></a></td>
<td class="a-text-right dp-price-col"><a class="a-link-normal" href="/${mp.code}/dp/${other}/ref=tmm_hrd_title_0?_encoding=UTF8"><span class="a-size-small a-color-price">${esc(money(f.hardcover, mp))} </span></a></td>
<td class="a-text-right dp-new-col"><a class="a-link-normal" href="/gp/offer-listing/${other}/ref=tmm_hrd_new_olp_0?ie=UTF8&amp;condition=new"><span>${esc(money(f.hardcover, mp))}</span></a></td>
<td class="a-text-right dp-used-col"><a class="a-link-normal" href="/gp/offer-listing/${other}/ref=tmm_hrd_used_olp_0?ie=UTF8&amp;condition=used"><span>${esc(money(f.usedHardcover, mp))}</span></a></td>
</tr></table></div></div>
`;
}

/** "Read for Free": Kindle Unlimited's 0.00, for titles in the subscription. */
function unlimitedBox(ctx: PageContext, f: Formats): string {
  const { item, mp } = ctx;
  if (!f.unlimited) return '';
  const t = layoutText(mp);
  const zero: Money = { minor: 0, currency: item.price.currency };
  return featureDiv(
    'kindleUnlimitedBuyBox_feature_div',
    item.asin,
    `<div class="a-box a-spacing-small a-color-alternate-background"><div class="a-box-inner a-padding-base"><div class="a-row"><i class="a-icon a-icon-kindle-unlimited" role="img" aria-label="Kindle Unlimited"></i> <span class="a-size-base a-color-price a-text-bold">${esc(money(zero, mp))}</span></div><div class="a-row a-size-small">${esc(t.kindleUnlimitedPitch)}</div><span class="a-button a-button-primary a-spacing-top-small"><span class="a-button-inner"><input id="borrow-button" class="a-button-input" type="submit" value="${esc(t.readForFree)}"><span class="a-button-text" aria-hidden="true">${esc(t.readForFree)}</span></span></span></div></div>`,
  );
}

function soldByRow(ctx: PageContext): string {
  const { item, mp } = ctx;
  const t = layoutText(mp);
  const name = item.soldByStore ? `${mp.storeName} Services LLC` : item.seller;
  return `<tr class="print-sold-by">
<td class="a-span1 a-color-secondary a-text-left a-nowrap">${esc(mp.text.soldBy)}:</td>
<td><span class="a-color-base">${esc(name)}</span><br><span class="a-size-small a-color-tertiary a-text-italic">${esc(t.priceSetBySeller)}</span></td>
</tr>`;
}

function oneClickForm(ctx: PageContext): string {
  const { item, state, mp, rng } = ctx;
  const t = layoutText(mp);
  if (!state.price) return '';
  return `<form method="post" id="buyOneClick" action="/gp/digital/fiona/buy.html/ref=dbs_p_ebk_r00_pbcb_cv1c00" spacing="none">
<input type="hidden" name="ASIN.0" value="${item.asin}">
<input type="hidden" name="offerListingID.0" value="${token(rng, 96)}">
<input type="hidden" name="t" value="fiona">
<input type="hidden" name="itemCount" value="1">
<input type="hidden" name="displayedPrice" value="${jsonAmount(state.price)}">
<input type="hidden" name="displayedPriceCurrencyCode" value="${item.price.currency}">
<input type="hidden" name="isPreorder" value="0">
<div class="a-button-stack"><span id="checkoutButtonId" class="a-button a-button-normal a-spacing-none a-button-oneclick a-button-icon"><span class="a-button-inner"><i class="a-icon a-icon-1click"></i><input id="one-click-button" name="submit.one-click-order.x" class="a-button-input" type="submit" value="${esc(t.buyWithOneClick)}" aria-labelledby="checkoutButtonId-announce"><span id="checkoutButtonId-announce" class="a-button-text a-text-center" aria-hidden="true">${esc(t.buyWithOneClick)}</span></span></span></div>
<div class="a-section a-spacing-small a-text-center"><span class="a-size-small">${esc(t.deliverToKindle)}</span></div>
</form>`;
}

/** What the buy box says instead of a price: unavailable, or not for sale at all. */
function noOffer(ctx: PageContext): string {
  const { state, mp } = ctx;
  if (state.availability === 'out_of_stock') {
    return `<div id="availability" class="a-section a-spacing-small"><span class="a-size-medium a-color-price">${esc(mp.text.unavailable)}</span></div>`;
  }
  return `<div class="a-section a-spacing-small a-text-center"><span class="a-color-secondary">${esc(layoutText(mp).notForSale)}</span></div>`;
}

/** The 2017-2020 right column: Kindle Unlimited, then the price table and the 1-Click button. */
function rightColumn2017(ctx: PageContext, f: Formats): string {
  const { state, mp } = ctx;
  const t = layoutText(mp);
  let rows = '';
  if (state.price && offered(ctx)) {
    if (state.strikePrice && state.strikeKind === 'list') {
      rows += `<tr class="print-list-price">
<td class="a-span1 a-color-secondary a-text-left a-nowrap">${esc(t.printListPrice)}</td>
<td class="a-color-base a-align-bottom a-text-strike">${esc(money(state.strikePrice, mp))}</td>
</tr>\n`;
    }
    rows += `<tr class="kindle-price">
<td class="a-span1 a-color-secondary a-text-left a-align-center a-nowrap">${esc(t.kindlePrice)}</td>
<td class="a-color-price a-size-medium a-align-bottom">${esc(money(state.price, mp))} </td>
</tr>
${soldByRow(ctx)}\n`;
  }
  return `${unlimitedBox(ctx, f)}<div id="buybox_feature_div" class="feature" data-feature-name="buybox">
<div id="buybox" class="a-box a-spacing-micro"><div class="a-box-inner a-padding-base">
<table class="a-lineitem a-spacing-micro">
${rows}</table>
${offered(ctx) ? oneClickForm(ctx) : noOffer(ctx)}
</div></div>
</div>
`;
}

/** The 2024 right column: swatches, Kindle Unlimited, the buy box, a series bundle, the wish list. */
function rightColumn2024(ctx: PageContext, f: Formats): string {
  const { item, state, mp, rng } = ctx;
  const t = layoutText(mp);
  let table = '';
  if (state.price && offered(ctx)) {
    table = `<table id="Ebooks-desktop-KINDLE_ALC-prices" class="a-lineitem a-spacing-micro celwidget"><tbody><tr id="Ebooks-desktop-KINDLE_ALC-prices-kindlePrice" class="celwidget kindle-price"> <td class="a-span1 a-color-secondary a-text-left a-align-center kindlePriceLabel a-nowrap"> ${esc(t.kindlePrice)} </td> <td id="kindle-price-column" class="a-color-price a-size-medium a-align-bottom"> <span id="kindle-price" class="a-size-medium a-color-price"> ${esc(money(state.price, mp))} </span> </td> </tr>
${soldByRow(ctx)}</tbody></table>`;
  }
  const series = state.price
    ? featureDiv(
        'bulkAcquireFeature_feature_div',
        item.asin,
        `<div class="a-box a-spacing-base"><div class="a-box-inner"><div class="a-row a-spacing-mini"><span class="a-size-base a-text-bold">${esc(t.seriesTotal(f.seriesBooks))}</span></div><div class="a-row a-spacing-mini"><span id="bulkAcquire-buybox__total__price" data-tabindex="0" class="a-size-base-plus a-color-base" tabindex="0">${esc(t.totalPrice)}</span> <span id="bulkAcquire-buybox__cop__price" data-tabindex="0" class="a-size-base-plus a-color-price" tabindex="0">${esc(money({ minor: seriesTotal(state.price, f.seriesBooks), currency: state.price.currency }, mp))}</span></div></div></div>`,
      )
    : '';
  return `<div id="Northstar-Buybox" class="celwidget" data-feature-name="Northstar-Buybox">
${featureDiv('mediamatrix_feature_div', item.asin, tmmSwatches(ctx, f))}${unlimitedBox(ctx, f)}<div id="desktop_buybox" class="celwidget" data-feature-name="desktop_buybox">
<div id="buybox">
<div id="kindleALC_singleOfferDisplay_Desktop" class="celwidget" data-feature-name="kindleALC_singleOfferDisplay_Desktop"><div id="CombinedBuybox">
<div id="combinedBuyBox" class="a-section a-spacing-medium"> <div id="buybox" class="a-box a-spacing-micro"><div class="a-box-inner a-padding-base">
${table}
${offered(ctx) ? oneClickForm(ctx) : noOffer(ctx)}
</div></div></div>
</div></div>
</div>
</div>
${series}${featureDiv(
    'giftingModule_feature_div',
    item.asin,
    `<form method="post" id="addToWishListForm" action="/gp/product/handle-buy-box" class="a-content">
<input type="hidden" id="session-id" name="session-id" value="${rng.int(100, 999)}-${rng.int(1000000, 9999999)}-${rng.int(1000000, 9999999)}">
<input type="hidden" id="ASIN" name="ASIN" value="${item.asin}">
<input type="hidden" id="sourceCustomerOrgListID" name="sourceCustomerOrgListID" value="">
</form>`,
  )}</div>
`;
}

export function kindleRightColumn(ctx: PageContext): string {
  const f = formatsOf(ctx);
  return ctx.item.layout === 'kindle-2017' ? rightColumn2017(ctx, f) : rightColumn2024(ctx, f);
}

/** The centre column's formats (2017-2020: swatches and the formats table). */
export function kindleCentreFormats(ctx: PageContext): string {
  if (ctx.item.layout !== 'kindle-2017') return '';
  const f = formatsOf(ctx);
  return featureDiv(
    'MediaMatrix_feature_div',
    ctx.item.asin,
    tmmSwatches(ctx, f) + mediaMatrix(ctx, f),
  );
}

/** The book description, which ends the top of an ebook page. */
export function bookDescription(ctx: PageContext): string {
  const { item } = ctx;
  return featureDiv(
    'bookDescription_feature_div',
    item.asin,
    `<div id="bookDescription_feature_div_inner" class="a-expander-container a-expander-extend-container"><div class="a-expander-content a-expander-extend-content"><span>${item.bullets.map(esc).join(' ')}</span></div></div>`,
  );
}
