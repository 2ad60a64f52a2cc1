/**
 * A public wishlist (`/hz/wishlist/ls/{ID}`) in Amazon's list markup (own template after the
 * structure of saved public lists): `input#listId`, `span#profile-list-name`, and one
 * `li.g-item-sortable[data-itemid]` per entry carrying `data-price` ("-Infinity" when there is no
 * offer) and the ASIN in `data-reposition-action-params`; inside it `a[id^=itemName_]` with the
 * title in `title` and a `/dp/{ASIN}` link, and `span[id^=itemPrice_]` as an `.a-price` whose
 * `.a-offscreen` holds the price. A product on sale shows "Price dropped N%" with the old price;
 * one out of stock says so; a variation parent offers "See all buying options" instead of a price.
 */
import type { Money } from '../../money/index.js';
import { minorToDecimal } from '../../money/index.js';
import type { ProductState } from '../moves.js';
import type { Wishlist, WishlistEntry } from '../wishlists.js';
import { createRng, hashString } from '../prng.js';
import { siteCss } from './filler.js';
import { esc, jsonAttr } from './html.js';
import { layoutText } from './layout-text.js';
import { priceDisplaySpans, priceParts } from './price.js';
import { imageUrl, navBar, productPath, ratingText } from './sections.js';

export interface WishlistRow {
  readonly entry: WishlistEntry;
  readonly state: ProductState;
}

function priceSpan(id: string, m: Money, locale: string): string {
  const p = priceParts(m, locale);
  return `<span id="itemPrice_${id}" class="a-price" data-a-size="m" data-a-color="base"><span class="a-offscreen">${esc(p.text)}</span><span aria-hidden="true">${priceDisplaySpans(p)}</span></span>`;
}

function row(list: Wishlist, r: WishlistRow, pos: number, origin: string): string {
  const { entry, state } = r;
  const { item } = entry;
  const mp = list.marketplace;
  const t = layoutText(mp);
  const id = entry.itemId;
  const parent = item.layout === 'variation-parent';
  const offered = state.price !== null && state.availability === 'in_stock' && !parent;
  const href = `${productPath(mp.code, item.asin)}/?coliid=${id}&amp;colid=${list.id}&amp;psc=1&amp;ref_=list_c_wl_lv_ov_lig_dp_it`;
  const dataPrice =
    offered && state.price ? minorToDecimal(state.price.minor, state.price.currency) : '-Infinity';
  const rating = ratingText(item.rating, mp);
  let priceBlock: string;
  let action: string;
  if (offered && state.price) {
    const drop =
      state.strikePrice && state.strikeKind === 'was'
        ? `<div class="a-row itemPriceDrop a-size-small"><span class="a-text-bold">${esc(t.priceDropped(Math.round(((state.strikePrice.minor - state.price.minor) * 100) / state.strikePrice.minor)))}</span><span class="a-letter-space"></span><span>${esc(t.wasPrice)}</span><span class="a-letter-space"></span><span>${esc(priceParts(state.strikePrice, mp.locale).text)}</span></div>`
        : '';
    priceBlock = `<div class="a-row a-spacing-small a-size-small"><div class="a-row">${priceSpan(id, state.price, mp.locale)}</div>${drop}</div>`;
    action = `<span id="pab-${id}" class="a-button a-button-normal a-button-primary wl-info-aa_add_to_cart"><span class="a-button-inner"><a href="/gp/item-dispatch?registryID.1=${list.id}&amp;registryItemID.1=${id}&amp;offeringID.1=${hashString(item.asin).toString(16)}&amp;session-id=000-0000000-0000000&amp;submit.addToCart=1" class="a-button-text a-text-center">${esc(t.addToCart)}</a></span></span>`;
  } else if (state.availability === 'out_of_stock') {
    priceBlock = `<div class="a-row a-spacing-small a-size-small"><span class="a-color-price itemAvailMessage">${esc(mp.text.unavailable)}</span></div>`;
    action = '';
  } else {
    priceBlock = '';
    action = `<span class="a-declarative" data-action="see-all-buying-options" id="pab-declarative-${id}"><span id="pab-${id}" class="a-button a-button-normal a-button-base wl-info-aa_buying_options_button"><span class="a-button-inner"><a href="/gp/offer-listing/${item.asin}/?condition=all&amp;colid=${list.id}&amp;coliid=${id}&amp;ref_=list_c_wl_lv_ov_lig_pab" class="a-button-text a-text-center">${esc(t.seeAllBuyingOptions)}</a></span></span></span>`;
  }
  const params = jsonAttr({
    hasComparisonTable: false,
    listType: 'WishList',
    itemExternalId: `ASIN:${item.asin}|${mp.id}`,
    sid: '000-0000000-0000000',
  });
  return `<li data-id="${list.id}" data-itemid="${id}" data-price="${dataPrice}" data-reposition-action-params="${params}" class="a-spacing-none g-item-sortable"><span class="a-list-item">
<hr aria-hidden="true" class="a-spacing-none a-divider-normal">
<div id="item_${id}" data-csa-c-content-id="list-desktop-wishlist-item-info-default-unpurchased-${pos}" data-csa-c-type="widget" class="a-section">
<div class="a-fixed-left-grid a-spacing-none"><div class="a-fixed-left-grid-inner" style="padding-left:220px">
<div class="a-fixed-left-grid-col a-col-left" style="width:220px;margin-left:-220px;float:left;"><div id="itemImage_${id}" class="a-text-center a-fixed-left-grid-col g-itemImage wl-has-overlay g-item-sortable-padding a-col-right"><a class="a-link-normal" title="${esc(item.title)}" href="${href}"><img alt="${esc(item.title)}" src="${esc(imageUrl(origin, item.asin))}?w=135" height="135" width="135"></a></div></div>
<div id="itemMain_${id}" class="a-text-left a-fixed-left-grid-col g-item-sortable-padding a-col-right" style="padding-left:0%;float:left;">
<div class="a-fixed-right-grid"><div class="a-fixed-right-grid-inner" style="padding-right:220px">
<div id="itemInfo_${id}" class="a-fixed-right-grid-col g-item-details a-col-left" style="padding-right:10%;float:left;">
<div class="a-row"><div class="a-column a-span12 g-span12when-narrow g-span7when-wide">
<div class="a-row a-size-small"><h2 class="a-size-base"><a id="itemName_${id}" class="a-link-normal" title="${esc(item.title)}" href="${href}">${esc(item.title)}</a></h2>
<span id="item-byline-${id}" class="a-size-base">${esc(t.byline(item.brand))}</span></div>
<div data-csa-c-item-id="${item.asin}" data-csa-c-item-type="asin" data-csa-c-posy="${pos}" data-csa-c-type="item" class="a-row a-spacing-small a-size-small">
<div class="a-row"><a aria-label="${esc(rating)}" class="a-link-normal g-visible-no-js" href="/product-reviews/${item.asin}/?colid=${list.id}&amp;coliid=${id}&amp;showViewpoints=1&amp;ref_=list_c_wl_lv_ov_lig_pr_rc"><i class="a-icon a-icon-star-small a-star-small-${Math.floor(item.rating / 10)}"><span class="a-icon-alt">${esc(rating)}</span></i></a> <a id="review_count_${id}" aria-label="${item.reviewCount}" class="a-size-base a-link-normal" href="/product-reviews/${item.asin}/?colid=${list.id}&amp;coliid=${id}">${item.reviewCount}</a></div>
</div>
${priceBlock}
</div>
<div class="a-column a-span12 g-span12when-narrow g-span5when-wide g-item-comment a-span-last"><div class="a-row g-item-comment-row"><span id="itemPriorityRow_${id}" class="a-size-small">Priority: <span id="itemPriorityLabel_${id}" class="a-size-small dropdown-priority item-priority-${entry.priority}">${entry.priority}</span><span id="itemPriority_${id}" class="a-hidden">${entry.priority === 'high' ? 1 : entry.priority === 'low' ? -1 : 0}</span></span> <span id="itemQuantityRow_${id}" class="a-size-small"><span id="itemRequested_${id}">${entry.requested}</span> <span id="itemPurchased_${id}">0</span></span></div></div>
</div>
</div>
<div id="itemAction_${id}" data-csa-c-item-id="${item.asin}" data-csa-c-item-type="listItem" class="a-fixed-right-grid-col dateAddedText a-col-right" style="width:220px;margin-right:-220px;float:left;">
<span id="itemAddedDate_${id}" class="a-size-small">${esc(t.itemAdded(entry.added))}</span>
<div class="a-button-stack a-spacing-top-small">${action}</div>
</div>
</div></div>
</div>
</div></div>
</div>
</span></li>
`;
}

export function renderWishlistPage(
  list: Wishlist,
  rows: readonly WishlistRow[],
  origin: string,
): string {
  const mp = list.marketplace;
  const t = layoutText(mp);
  const rng = createRng(hashString(list.id));
  const items = rows.map((r, i) => row(list, r, i + 1, origin)).join('');
  return `<!doctype html><html lang="${mp.htmlLang}" class="a-no-js" data-19ax5a9jf="dingo"><head><meta charset="utf-8"/>
<title>${esc(mp.storeName)}: ${esc(list.name)}</title>
<link rel="canonical" href="${esc(`${origin}/hz/wishlist/ls/${list.id}`)}"/>
${siteCss()}</head>
<body class="a-m-${mp.code.replace('.', '-')} a-aui_72554-c wishlist">
<div id="a-page">
${navBar(mp, rng)}
<div id="wishlist-page" class="a-tab-container"><input type="hidden" name="" value="${list.id}" id="listId">
<div id="my-lists-tab" class="a-box a-box-tab a-tab-content"><div class="a-box-inner">
<div id="content-right" class="a-fixed-left-grid-col a-col-right">
<div class="a-section a-spacing-none list-header-container"><div id="list-header" class="a-section a-spacing-small"><div id="wl-list-info" class="a-row a-spacing-small"><span id="profile-list-name" aria-level="2" class="a-size-medium a-text-bold" role="heading">${esc(list.name)}</span> <span class="a-size-small a-color-secondary">${esc(t.wishList)} · ${esc(mp.name)}</span></div></div></div>
<script type="a-state" data-a-state="{&quot;key&quot;:&quot;rememberState&quot;}">{"listId":"${list.id}","listType":"WishList","isSharedWL":true}</script>
<div id="wl-item-view" class="a-section a-spacing-none"><div id="item-page-wrapper" class="a-section a-spacing-none">
<ul id="g-items" class="a-unordered-list a-nostyle a-vertical a-spacing-none g-items-section ui-sortable">
${items}</ul>
<div id="endOfListMarker" class="a-section a-spacing-none"><span class="a-size-small a-color-secondary">End of list</span></div>
<input type="hidden" name="showMoreUrl" value="">
</div></div>
</div>
</div></div>
</div>
</div>
</body></html>
`;
}
