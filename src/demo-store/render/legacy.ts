/**
 * The priceblock layouts of 2015-2021 pages (own templates after the structure of the saved pages
 * in the shared corpus: a 2015 amazon.de kettle, 2017 amazon.com/.es pages, a 2021 sale-price
 * page):
 * - the centre `#price` table: an optional struck list or "Was:" row, the price row
 *   (`#priceblock_ourprice`, `#priceblock_saleprice` or `#priceblock_dealprice`) and a savings row;
 * - `legacy-ourprice` (2015-2019): buy box of accordion rows, "Buy new:" `#buyNewSection` with its
 *   `.offer-price` and "Buy used:" `#usedBuySection`; `#availability`, `#merchant-info` and the
 *   `#olp_feature_div` offer links ("2 new from $8.99") in the centre column;
 * - `legacy-saleprice` / `legacy-deal` (2019-2021): `#price_inside_buybox`, `#availability` and
 *   `#merchant-info` in the buy box.
 * Prices read the way those pages printed them: "EUR 1.299,00" on demo.de, "￥ 1,280" on co.jp,
 * a blank `span.currencyINR` (a web-font rupee) before the number on demo.in.
 */
import type { Money } from '../../money/index.js';
import { esc } from './html.js';
import { featureDiv, emptyFeatures, token } from './filler.js';
import { layoutText } from './layout-text.js';
import { legacyPriceHtml } from './price.js';
import {
  availabilityBlock,
  buttons,
  deliveryBlock,
  hiddenInputs,
  quantitySelect,
  strikeLabel,
  usedOffer,
  type PageContext,
} from './sections.js';
import { usedPriceOf } from '../layouts.js';

/** A price in the markup of the time (HTML, escaped). */
const legacy = (m: Money, ctx: PageContext): string => legacyPriceHtml(m, ctx.mp.locale);

const offered = (ctx: PageContext): boolean =>
  ctx.state.price !== null && ctx.state.availability === 'in_stock';

function savings(ctx: PageContext): { amount: Money; pct: number } | null {
  const { price, strikePrice } = ctx.state;
  if (!price || !strikePrice || strikePrice.minor <= price.minor) return null;
  const amount = { minor: strikePrice.minor - price.minor, currency: price.currency };
  return { amount, pct: Math.round((amount.minor * 100) / strikePrice.minor) };
}

/** The centre-column `#price` table. Empty when there is no offer, as on unavailable pages. */
export function legacyPriceBlock(ctx: PageContext): string {
  const { item, state, mp, rng } = ctx;
  const t = layoutText(mp);
  let rows = '';
  let extra = '';
  if (state.price && offered(ctx)) {
    const kind =
      item.layout === 'legacy-deal'
        ? 'dealprice'
        : item.layout === 'legacy-saleprice'
          ? 'saleprice'
          : 'ourprice';
    const old = item.layout === 'legacy-ourprice';
    if (state.strikePrice) {
      const struck = legacy(state.strikePrice, ctx);
      rows += old
        ? `<tr>
<td class="a-color-secondary a-size-base a-text-right a-nowrap">${esc(strikeLabel(ctx))}</td>
<td class="a-span12 a-color-secondary a-size-base"><span class="a-text-strike"> ${struck}</span></td>
</tr>\n`
        : `<tr>
<td class="a-color-secondary a-size-base a-text-right a-nowrap">${esc(strikeLabel(ctx))}</td>
<td class="a-span12 a-color-secondary a-size-base"><span class="priceBlockStrikePriceString a-text-strike">${struck}</span><span id="listPriceLegalMessage"></span></td>
</tr>\n`;
    }
    const label =
      kind === 'dealprice'
        ? t.dealOfTheDay
        : kind === 'saleprice' && state.strikePrice
          ? t.sale
          : mp.text.priceLabel;
    const labelClass = kind === 'ourprice' ? 'a-color-secondary' : 'a-color-price';
    const priceClass =
      kind === 'dealprice'
        ? ' priceBlockDealPriceString'
        : kind === 'saleprice'
          ? ' priceBlockSalePriceString'
          : old
            ? ''
            : ' priceBlockBuyingPriceString';
    rows += `<tr id="priceblock_${kind}_row">
<td id="priceblock_${kind}_lbl" class="${labelClass} a-size-base a-text-right a-nowrap">${esc(label)}</td>
<td class="a-span12">
<span id="priceblock_${kind}" class="a-size-medium a-color-price${priceClass}">${legacy(state.price, ctx)}</span>
<span id="${kind}_shippingmessage"><span id="price-shipping-message" class="a-size-base a-color-base"><i class="a-icon a-icon-prime" aria-label="Free Shipping for Prime Members"><span class="a-icon-alt">Free Shipping for Prime Members</span></i><b>${esc(t.freeShipping)}</b></span></span>
</td>
</tr>\n`;
    const save = savings(ctx);
    if (save) {
      rows += `<tr id="${kind === 'dealprice' ? 'dealprice' : 'regularprice'}_savings">
<td class="a-color-secondary a-size-base a-text-right a-nowrap">${esc(t.youSave)}</td>
<td class="a-span12 a-color-price a-size-base priceBlockSavingsString">${legacy(save.amount, ctx)} (${save.pct}%)</td>
</tr>\n`;
    }
    if (kind === 'dealprice') {
      const claimed = rng.int(8, 95);
      const left = `${String(rng.int(1, 11)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`;
      extra = `<div id="deal_expiry_timer_feature_div" class="feature" data-feature-name="deal_expiry_timer"><span class="a-size-small a-color-secondary">${esc(t.endsIn)} </span><span id="deal_expiry_time_${token(rng, 8)}" class="a-size-small a-color-price">${left}</span></div>
<div id="dealStatusBar" class="a-section a-spacing-mini"><div class="a-meter" role="progressbar" aria-valuenow="${claimed}%"><div class="a-meter-bar" style="width: ${claimed}%;"></div></div><span class="a-size-small a-color-secondary">${esc(t.claimed(claimed))}</span></div>\n`;
    }
  }
  return `<div id="desktop_unifiedPrice" class="feature" data-feature-name="desktop_unifiedPrice">
<div id="unifiedPrice_feature_div" class="feature" data-feature-name="unifiedPrice">
<div id="price" class="a-section a-spacing-small">
<table class="a-lineitem">
${rows}<tr>
<td></td>
<td><span class="a-size-base">${mp.language === 'de' ? 'Alle Preisangaben inkl. MwSt.' : ''}</span></td>
</tr>
</table>
</div>
${extra}</div>
</div>
`;
}

/** "Ships from and sold by Amazon.com." or a third-party seller link, as `#merchant-info`. */
export function merchantInfo(ctx: PageContext): string {
  const { item, mp, rng } = ctx;
  if (!offered(ctx)) return '';
  const text = item.soldByStore
    ? esc(mp.text.shipsAndSoldBy(item.seller))
    : `${esc(mp.text.soldBy)} <a href='/gp/help/seller/at-a-glance.html/ref=dp_merchant_link?ie=UTF8&amp;seller=${token(rng, 14)}&amp;isAmazonFulfilled=1' id='sellerProfileTriggerId'>${esc(item.seller)}</a>. ${esc(mp.text.shipsFrom)} <a href='/gp/help/customer/display.html?ie=UTF8&amp;ref=dp_fulfillment&amp;nodeId=106096011' id='SSOFpopoverLink'>${esc(mp.storeName)}</a>.`;
  return `<div id="merchant-info" class="a-section a-spacing-mini">
    ${text}
    <span class=""></span>
</div>
`;
}

/** "2 new from $8.99 · 3 used from $7.18": links that name their condition in the URL. */
function offerListing(ctx: PageContext): string {
  const { item, state, mp, rng } = ctx;
  const t = layoutText(mp);
  const links: string[] = [];
  if (state.price && offered(ctx)) {
    links.push(
      `<span class="olp-padding-right"><a href="/gp/offer-listing/${item.asin}/ref=dp_olp_new?ie=UTF8&amp;condition=new">${esc(t.newFrom(rng.int(2, 9)))}</a>&nbsp;${esc(t.from)}&nbsp;<span class='a-color-price'>${legacy(state.price, ctx)}</span></span>`,
    );
  }
  const used = usedPriceOf(item, state);
  if (used) {
    links.push(
      `<span class="olp-padding-right"><a href="/gp/offer-listing/${item.asin}/ref=dp_olp_used?ie=UTF8&amp;condition=used">${esc(t.usedFrom(rng.int(2, 9)))}</a>&nbsp;${esc(t.from)}&nbsp;<span class='a-color-price'>${legacy(used, ctx)}</span></span>`,
    );
  }
  return `<div id="olp_feature_div" class="feature" data-feature-name="olp">
<div class="a-section a-spacing-small a-spacing-top-small">
${links.join('\n')}
</div>
</div>
`;
}

/** What the 2015-2019 pages put in the centre column after the price. */
export function legacyCentreExtras(ctx: PageContext): string {
  if (ctx.item.layout !== 'legacy-ourprice') return '';
  return (
    availabilityBlock(ctx) +
    featureDiv('merchantInfo_feature_div', ctx.item.asin, merchantInfo(ctx)) +
    offerListing(ctx)
  );
}

function outOfStockBox(ctx: PageContext): string {
  const { mp } = ctx;
  return `<div id="outOfStock" class="a-box"><div class="a-box-inner"><div class="a-section a-spacing-small a-text-center"> <span class="a-color-price a-text-bold">${esc(mp.text.unavailable)}</span> <br/>${esc(mp.text.unavailableNote)}</div></div></div>\n`;
}

function unqualifiedBox(ctx: PageContext): string {
  const { item, mp } = ctx;
  return `<div id="unqualifiedBuyBox" class="a-box"><div class="a-box-inner"><div class="a-section a-spacing-small a-text-center"><span class="a-color-base">${esc(mp.text.noFeaturedOffer)}</span></div>
<span class="a-button a-button-base"><span class="a-button-inner"><a href="/gp/offer-listing/${item.asin}/ref=dp_olp_all_mbc?ie=UTF8&amp;condition=all" class="a-button-text" role="button">${esc(mp.text.seeAllOptions)}</a></span></span></div></div>\n`;
}

/** The 2015-2019 buy box: "Buy new:" and "Buy used:" accordion rows. */
function buyBox2017(ctx: PageContext): string {
  const { item, state, mp } = ctx;
  let inner: string;
  if (state.availability === 'out_of_stock') inner = outOfStockBox(ctx);
  else if (!state.price) inner = unqualifiedBox(ctx);
  else {
    const used = usedPriceOf(item, state);
    const usedRow = used
      ? `<div class="a-box"><div class="a-box-inner">
<div id="usedBuySection" class="rbbHeader dp-accordion-row">
<i class="a-icon a-icon-radio-inactive"></i>
<a class="a-link-normal rbbHeaderLink" href="/gp/product/${item.asin}?selectObb=used">
<div class="a-row a-grid-vertical-align a-grid-center" style="height:41px;">
<div class="a-column a-span12 a-text-left">
<span class="a-text-bold">${esc(mp.text.buyUsed)} </span>
<div class="a-column a-span7 a-text-right a-span-last">
<span class="a-size-base a-color-secondary offer-price a-text-normal">${legacy(used, ctx)}</span>
</div>
</div>
</div>
</a>
</div>
</div></div>\n`
      : '';
    inner = `<div class="a-box a-accordion-active"><div class="a-box-inner">
<div id="buyNewSection" class="rbbHeader dp-accordion-row">
<i class="a-icon a-icon-radio-active"></i>
<a class="a-link-normal rbbHeaderLink" href="/gp/product/${item.asin}?selectObb=new">
<div class="a-row a-grid-vertical-align a-grid-center" style="height:41px;">
<div class="a-column a-span12 a-text-left">
<span class="a-text-bold">${esc(mp.text.buyNew)} </span>
<div class="a-column a-span7 a-text-right a-span-last">
<span class="a-size-base a-color-price offer-price a-text-normal">${legacy(state.price, ctx)}</span>
</div>
</div>
</div>
</a>
</div>
<div id="buyNewInner" class="rbbContent dp-accordion-inner">
<div id="buyBoxInner" class="a-section a-spacing-base a-spacing-top-small">
${quantitySelect(ctx.rng)}
${buttons(ctx)}
</div>
</div>
</div></div>
${usedRow}`;
  }
  return `<div id="buybox_feature_div" class="feature" data-feature-name="buybox">
<div id="buybox" class="a-row a-spacing-medium">
<div class="a-box-group">
<form method="post" id="addToCart" action="/gp/product/handle-buy-box/ref=dp_start-bbf_1_glance" class="a-content" autocomplete="off">
${hiddenInputs(ctx)}
${inner}</form>
</div>
</div>
</div>
`;
}

/** The 2019-2021 buy box: the price again in `#price_inside_buybox`, stock and seller below it. */
function buyBox2020(ctx: PageContext): string {
  const { item, state } = ctx;
  let inner: string;
  if (state.availability === 'out_of_stock') {
    inner = outOfStockBox(ctx) + availabilityBlock(ctx);
  } else if (!state.price) {
    inner = unqualifiedBox(ctx);
  } else {
    inner = `${featureDiv(
      'priceInsideBuyBox_feature_div',
      item.asin,
      `<div class="a-section">
    <span id="price_inside_buybox" class="a-size-medium a-color-price">
        ${legacy(state.price, ctx)}
    </span>
</div>`,
    )}<div id="desktop_qualifiedBuyBox" class="feature" data-feature-name="desktop_qualifiedBuyBox">
${deliveryBlock(ctx)}${availabilityBlock(ctx)}${quantitySelect(ctx.rng)}
${buttons(ctx)}
<div class="a-section a-spacing-small a-spacing-top-medium">
${merchantInfo(ctx)}</div>
${emptyFeatures(item.asin, ['returnsInfoFeature_feature_div', 'giftWrapInfoFeature_feature_div'])}</div>
`;
  }
  return `<div id="buybox_feature_div" class="feature" data-feature-name="buybox">
<div id="buybox" class="a-row a-spacing-medium">
<div id="qualifiedBuybox" class="a-section a-spacing-none">
<form method="post" id="addToCart" action="/gp/product/handle-buy-box/ref=dp_start-bbf_1_glance" class="a-content" autocomplete="off">
${hiddenInputs(ctx)}
${inner}</form>
</div>
${usedOffer(ctx)}</div>
</div>
`;
}

export function legacyBuyBox(ctx: PageContext): string {
  return ctx.item.layout === 'legacy-ourprice' ? buyBox2017(ctx) : buyBox2020(ctx);
}
