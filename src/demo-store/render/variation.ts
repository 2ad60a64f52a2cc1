/**
 * A variation parent, after the structure of the saved 2022 amazon.com.br polo shirt page (own
 * template): no size is chosen, so the centre column shows the range of the sizes' prices in
 * `#corePrice_desktop` (an `.a-price-range` of two `.apexPriceToPay`), the twister lists the
 * sizes with their own prices, and the buy box is `#partialStateBuybox` ("To buy, select Size")
 * with a disabled button. There is no price to pay until a size is chosen.
 */
import type { Money } from '../../money/index.js';
import { createRng, mix } from '../prng.js';
import { tr, type Translated } from '../words.js';
import { esc } from './html.js';
import { emptyFeatures, featureDiv } from './filler.js';
import { layoutText } from './layout-text.js';
import { aPrice, priceParts } from './price.js';
import { availabilityBlock, hiddenInputs, money, type PageContext } from './sections.js';

/** The dimension a category's products vary in, and its values. */
const DIMENSIONS: Readonly<Record<string, { name: Translated; values: readonly string[] }>> = {
  electronics: {
    name: ['Capacity', 'Speicherkapazität', '容量'],
    values: ['64 GB', '128 GB', '256 GB', '512 GB'],
  },
  kitchen: { name: ['Size', 'Größe', 'サイズ'], values: ['1 L', '1.5 L', '1.7 L', '2 L'] },
  toys: {
    name: ['Style', 'Stil', 'スタイル'],
    values: ['Classic', 'Deluxe', 'Starter Set', 'Mega Set'],
  },
  tools: {
    name: ['Size', 'Größe', 'サイズ'],
    values: ['Pack of 1', 'Pack of 2', 'Pack of 4', 'Pack of 10'],
  },
  home: { name: ['Size', 'Größe', 'サイズ'], values: ['S', 'M', 'L', 'XL'] },
  sports: { name: ['Size', 'Größe', 'サイズ'], values: ['XS', 'S', 'M', 'L', 'XL', 'XXL'] },
  beauty: { name: ['Size', 'Größe', 'サイズ'], values: ['50 ml', '100 ml', '200 ml', '400 ml'] },
};

function dimensionOf(ctx: PageContext): { name: string; values: readonly string[] } {
  const d = DIMENSIONS[ctx.item.category.key] ?? DIMENSIONS.home;
  if (!d) throw new Error('no variation dimensions');
  return { name: tr(d.name, ctx.mp.language), values: d.values };
}

/** Each size's price, from the cheapest (the range's low end) to the dearest (its high end). */
function sizePrices(ctx: PageContext, count: number): Money[] {
  const { state } = ctx;
  const lo = state.price;
  const hi = state.rangeMax;
  if (!lo || !hi) return [];
  const rng = createRng(mix(ctx.item.seed, 0x512e));
  const out: Money[] = [];
  for (let i = 0; i < count; i++) {
    const minor = i === 0 ? lo.minor : i === count - 1 ? hi.minor : rng.int(lo.minor, hi.minor);
    out.push({ minor, currency: lo.currency });
  }
  return out;
}

/** The centre price: the range, in the wrapper whose start marks where prices begin. */
export function variationPrice(ctx: PageContext): string {
  const { item, state, mp } = ctx;
  let rows = '';
  if (state.price && state.rangeMax && state.availability === 'in_stock') {
    const lo = priceParts(state.price, mp.locale);
    const hi = priceParts(state.rangeMax, mp.locale);
    const opts = {
      classes: 'a-text-price a-size-medium apexPriceToPay',
      size: 'b',
      color: 'price',
      plainDisplay: true,
    };
    rows = `<tr><td class="a-color-secondary a-size-base a-text-right a-nowrap">${esc(mp.text.priceLabel)}</td><td class="a-span12"> <span class="a-price-range"> ${aPrice(lo, opts)} <span aria-hidden="true" class="a-price-dash" data-a-size="l" data-a-color="price">-</span> ${aPrice(hi, opts)} </span> <span class="">
${emptyFeatures(item.asin, ['agsIfdInsidePrice_feature_div', 'regulatoryDeposit_feature_div', 'deliveryPriceBadging_feature_div', 'freeReturns_feature_div'])}</span>
</td></tr>`;
  }
  return `<div id="desktop_unifiedPrice" class="celwidget" data-feature-name="desktop_unifiedPrice">
<div id="unifiedPrice_feature_div" class="celwidget" data-feature-name="unifiedPrice">
<div id="apex_desktop" class="celwidget" data-feature-name="apex_desktop" data-csa-c-asin="">
${featureDiv('corePrice_desktop', item.asin, `<div class="a-section a-spacing-small"> <table class="a-lineitem a-align-top"> ${rows} </table> </div>`)}${emptyFeatures(item.asin, ['tradeInPriceBlock_feature_div', 'quantityPricingTableSummaryInPriceBlock_feature_div'])}</div>
</div>
</div>
`;
}

/** The size selector, nothing chosen; each size shows its own price (decoys for the price). */
export function twister(ctx: PageContext): string {
  const { item, state, mp } = ctx;
  const t = layoutText(mp);
  const dim = dimensionOf(ctx);
  const prices = sizePrices(ctx, dim.values.length);
  const key = 'size_name';
  const options = dim.values
    .map(
      (v, i) =>
        `<option value="${i},${item.asin.slice(0, 6)}${String(i).padStart(4, '0')}" class="dropdownAvailable" data-a-id="${key}_${i}" data-a-css-class="dropdownAvailable" data-a-html-content="${esc(v)}">${esc(v)}</option>`,
    )
    .join('\n');
  const slots = dim.values
    .map((v, i) => {
      const p = prices[i];
      const price =
        p && state.availability === 'in_stock'
          ? `<span class="a-size-mini twisterSwatchPrice"> ${esc(money(p, mp))} </span>`
          : `<span class="a-size-mini a-color-secondary">${esc(mp.text.unavailable)}</span>`;
      return `<li id="${key}_${i}" data-defaultasin="" data-dp-url="/${mp.code}/dp/${item.asin}/ref=twister_${item.asin}?_encoding=UTF8&amp;psc=1" class="swatchAvailable"><span class="a-list-item"><span class="a-button a-button-toggle"><span class="a-button-inner"><button class="a-button-text" type="button"><div class="twisterTextDiv text"><p class="a-text-left a-size-base">${esc(v)}</p></div><div class="twisterSlotDiv">${price}</div></button></span></span></span></li>`;
    })
    .join('\n');
  return featureDiv(
    'twister_feature_div',
    item.asin,
    `<div id="twister" class="a-section a-spacing-small a-spacing-top-small twisterPlus"><div id="variation_${key}" class="a-section a-spacing-small">
<div class="a-row"><label class="a-form-label">${esc(dim.name)}: </label><span class="selection">${esc(t.select)}</span></div>
<span class="a-dropdown-container"><select name="dropdown_selected_${key}" autocomplete="off" id="native_dropdown_selected_${key}" class="a-native-dropdown twisterDropdown"><option value="-1" selected="">${esc(t.select)}</option>
${options}
</select></span>
<ul class="a-unordered-list a-nostyle a-button-list a-declarative a-button-toggle-group a-horizontal a-spacing-top-micro swatches swatchesRectangle">
${slots}
</ul>
</div></div>`,
  );
}

/** The right column: "To buy, select Size" and a disabled button, or the out-of-stock box. */
export function partialBuyBox(ctx: PageContext): string {
  const { item, state, mp } = ctx;
  const t = layoutText(mp);
  const dim = dimensionOf(ctx);
  // The form carries no price: no offer is chosen.
  const inputs = hiddenInputs({ ...ctx, state: { ...state, price: null } });
  let inner: string;
  if (state.availability === 'out_of_stock') {
    inner = `<div id="outOfStock" class="a-box"><div class="a-box-inner"><div class="a-section a-spacing-small a-text-center"> <span class="a-color-price a-text-bold">${esc(mp.text.unavailable)}</span> <br/>${esc(mp.text.unavailableNote)}</div></div></div>
${availabilityBlock(ctx)}`;
  } else if (!state.price) {
    inner = `${availabilityBlock(ctx)}
<div id="buybox-see-all-buying-choices" class="a-button-stack"><span class="a-button a-button-base"><span class="a-button-inner"><a href="/gp/offer-listing/${item.asin}/ref=dp_olp_NEW_mbc" class="a-button-text" role="button">${esc(mp.text.seeAllOptions)}</a></span></span></div>`;
  } else {
    inner = `<div id="partialStateBuybox" class="a-box"><div class="a-box-inner"> <div class="a-section a-spacing-small a-text-center"> <span class="unselectedDims"> ${esc(t.toBuySelect(dim.name))} </span> </div>
<div class="a-button-stack"><span id="submit.add-to-cart" class="a-button a-button-disabled a-spacing-small a-button-primary a-button-icon"><span class="a-button-inner"><i class="a-icon a-icon-cart"></i><input id="add-to-cart-button" name="submit.add-to-cart" title="${esc(mp.text.addToCart)}" disabled="disabled" class="a-button-input" type="submit" value="${esc(mp.text.addToCart)}" aria-labelledby="submit.add-to-cart-announce"><span id="submit.add-to-cart-announce" class="a-button-text" aria-hidden="true">${esc(mp.text.addToCart)}</span></span></span></div>
</div></div>`;
  }
  return `<div id="desktop_buybox" class="celwidget" data-feature-name="desktop_buybox"><div id="buybox">
${featureDiv(
  'partialStateBuyBox_feature_div',
  item.asin,
  `<div class="a-section"><form method="post" id="addToCart" action="/gp/product/handle-buy-box/ref=dp_start-bbf_1_glance" class="a-content">
${inputs}
${inner}
</form></div>`,
)}</div></div>
`;
}
