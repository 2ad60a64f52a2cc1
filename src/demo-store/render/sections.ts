/**
 * The widgets of a product page, each a small pure function of the product, its state and the
 * request origin. Markup follows the current apex layout of real pages (ids and classes the
 * extractor reads), with the decoy prices real pages carry near the buy box.
 */
import type { Money } from '../../money/index.js';
import { isKindle, type CatalogueItem } from '../catalogue.js';
import type { DemoMarketplace } from '../marketplaces.js';
import type { ProductState } from '../moves.js';
import { type Rng } from '../prng.js';
import { REVIEW_WORDS, tr } from '../words.js';
import { esc, jsonAttr, jsonScript } from './html.js';
import { featureDiv, emptyFeatures, hexId, lowerId, requestId, token } from './filler.js';
import { aPrice, priceDisplaySpans, priceParts } from './price.js';
import { layoutText } from './layout-text.js';

export interface PageContext {
  readonly item: CatalogueItem;
  readonly state: ProductState;
  readonly origin: string;
  readonly mp: DemoMarketplace;
  readonly rng: Rng;
}

export const productPath = (mpCode: string, asin: string): string => `/${mpCode}/dp/${asin}`;
export const imageUrl = (origin: string, asin: string): string => `${origin}/images/${asin}.svg`;

export const money = (m: Money, mp: DemoMarketplace): string => priceParts(m, mp.locale).text;

/** Decimal with a dot and the currency's places, as the JSON blobs of real pages carry it. */
export function jsonAmount(m: Money): string {
  const places = m.currency === 'JPY' ? 0 : 2;
  const s = String(m.minor).padStart(places + 1, '0');
  return places === 0 ? s : `${s.slice(0, -places)}.${s.slice(-places)}`;
}

export function groupedInt(n: number, mp: DemoMarketplace): string {
  return new Intl.NumberFormat(mp.locale).format(n);
}

export function ratingText(rating: number, mp: DemoMarketplace): string {
  const r = `${Math.floor(rating / 10)}${mp.locale.startsWith('de') ? ',' : '.'}${rating % 10}`;
  if (mp.language === 'de') return `${r} von 5 Sternen`;
  if (mp.language === 'ja') return `5つ星のうち${r}`;
  return `${r} out of 5 stars`;
}

function starClass(rating: number): string {
  const whole = Math.floor(rating / 10);
  return rating % 10 >= 5 ? `a-star-small-${whole}-5` : `a-star-small-${whole}`;
}

// ---- navigation and page head of the body ------------------------------------------------------

export function navBar(mp: DemoMarketplace, rng: Rng): string {
  const departments = [
    'electronics',
    'kitchen',
    'books',
    'toys',
    'tools',
    'home',
    'sports',
    'beauty',
  ]
    .map(
      (d, i) =>
        `<option value="search-alias=${d}"${i === 0 ? ' selected="selected"' : ''}>${esc(d)}</option>`,
    )
    .join('\n');
  const links: string[] = [];
  for (let i = 0; i < 40; i++) {
    const id = lowerId(rng, 6);
    links.push(
      `<a href="/gp/browse.html?node=${rng.int(100000, 999999999)}&amp;ref_=nav_em_${id}" class="nav-a" data-csa-c-type="link" data-csa-c-slot-id="nav_em_${i}" data-csa-c-content-id="${id}">${esc(rng.pick(['Today\u2019s Deals', 'Customer Service', 'Registry', 'Gift Cards', 'Sell', 'Prime Video', 'Music', 'Fashion', 'Books', 'Kindle']))}</a>`,
    );
  }
  return `<header id="navbar-main" class="nav-opt-sprite nav-flex nav-locale-${mp.code} nav-lang-${mp.htmlLang.slice(0, 2)} nav-ssl nav-unrec">
<div id="navbar" cel_widget_id="Navigation-desktop-navbar" role="navigation" class="nav-sprite-v1 celwidget nav-bluebeacon nav-a11y-t1 layout2 nav-flex layout3 layout3-alt nav-packard-glow hamburger using-mouse">
<div id="nav-belt">
<div class="nav-left"><div id="nav-logo"><a href="/" id="nav-logo-sprites" class="nav-logo-link nav-progressive-attribute" aria-label="${esc(mp.storeName)}"><span class="nav-sprite nav-logo-base"></span><span class="nav-logo-locale">.${mp.code}</span></a></div></div>
<div class="nav-fill" id="nav-fill-search"><div id="nav-search"><form id="nav-search-bar-form" accept-charset="utf-8" action="/s" class="nav-searchbar nav-progressive-attribute" method="GET" name="site-search" role="search">
<input type="hidden" name="mp" value="${mp.code}"/>
<div class="nav-left"><select aria-describedby="searchDropdownDescription" class="nav-search-dropdown searchSelect nav-progressive-attrubute" data-nav-digest="${hexId(rng, 24)}" id="searchDropdownBox" name="url" tabindex="0" title="Search in">
${departments}
</select></div>
<div class="nav-fill"><div class="nav-search-field"><input type="text" id="twotabsearchtextbox" value="" name="k" autocomplete="off" placeholder="Search ${esc(mp.name)}" class="nav-input nav-progressive-attribute" dir="auto" tabindex="0" aria-label="Search ${esc(mp.name)}" spellcheck="false"></div></div>
<div class="nav-right"><div class="nav-search-submit nav-sprite"><span id="nav-search-submit-text" class="nav-search-submit-text nav-sprite nav-progressive-attribute" aria-label="Go"><input id="nav-search-submit-button" type="submit" class="nav-input nav-progressive-attribute" value="Go" tabindex="0"></span></div></div>
</form></div></div>
<div class="nav-right"><div id="nav-tools" class="layoutToolbarPadding"><a href="/gp/cart/view.html?ref_=nav_cart" aria-label="0 items in cart" class="nav-a nav-a-2 nav-truncate" id="nav-cart"><div id="nav-cart-count-container"><span id="nav-cart-count" aria-hidden="true" class="nav-cart-count nav-cart-0 nav-progressive-attribute nav-progressive-content">0</span><span class="nav-cart-icon nav-sprite"></span></div></a></div></div>
</div>
<div id="nav-main" class="nav-sprite"><div class="nav-fill" id="nav-xshop-container"><div id="nav-xshop" class="nav-progressive-content">
${links.join('\n')}
</div></div></div>
<div id="pricehawk-demo-notice" class="a-section a-spacing-none a-text-center" style="background:#fff3cd;color:#664d03;padding:4px">Pricehawk demo store (${esc(mp.name)}): simulated products and prices, not Amazon.</div>
</div>
</header>
`;
}

export function canonicalAndTitle(ctx: PageContext): string {
  const { item, origin, mp } = ctx;
  const pageTitle = `${item.title} : ${mp.storeName}: ${tr(item.category.names, mp.language)}`;
  return `<!-- sp:feature:host-atf -->
<link rel="canonical" href="${esc(origin + productPath(mp.code, item.asin))}"/><meta name="title" content="${esc(pageTitle)}"/><title>${esc(pageTitle)}</title>
<meta name="description" content="${esc(item.bullets[0] ?? item.title)}"/>
`;
}

export function breadcrumbs(ctx: PageContext): string {
  const { item, mp } = ctx;
  const name = tr(item.category.names, mp.language);
  const inner = `<div id="wayfinding-breadcrumbs_container" class="a-section a-spacing-none a-padding-medium"><ul class="a-unordered-list a-horizontal a-size-small"><li><span class="a-list-item"><a class="a-link-normal a-color-tertiary" href="/s?k=${encodeURIComponent(item.category.key)}&amp;mp=${mp.code}">${esc(name)}</a></span></li><li class="a-breadcrumb-divider"><span class="a-list-item a-color-tertiary">&rsaquo;</span></li><li><span class="a-list-item"><a class="a-link-normal a-color-tertiary" href="/s?k=${encodeURIComponent(item.brand)}&amp;mp=${mp.code}">${esc(item.brand)}</a></span></li></ul></div>`;
  return featureDiv('wayfinding-breadcrumbs_feature_div', item.asin, inner);
}

// ---- left column: image block ------------------------------------------------------------------

export function imageBlock(ctx: PageContext): string {
  const { item, origin, rng } = ctx;
  const big = imageUrl(origin, item.asin);
  const small = `${big}?w=300`;
  const thumbs: string[] = [];
  const gallery: unknown[] = [];
  for (let i = 0; i < 7; i++) {
    const u = `${big}?view=${i}`;
    thumbs.push(
      `<li class="a-spacing-small item imageThumbnail a-declarative" data-ux-click="" data-thumb-action="{&quot;index&quot;:&quot;${i}&quot;,&quot;type&quot;:&quot;image&quot;}"><span class="a-list-item"><span class="a-button a-button-thumbnail a-button-toggle${i === 0 ? ' a-button-selected' : ''}" id="a-autoid-${i + 10}"><span class="a-button-inner"><input class="a-button-input" type="submit" aria-labelledby="a-autoid-${i + 10}-announce"><span class="a-button-text" aria-hidden="true" id="a-autoid-${i + 10}-announce"><img alt="" src="${esc(u)}&amp;w=40" height="40" width="40"></span></span></span></span></li>`,
    );
    gallery.push({
      hiRes: u,
      thumb: `${u}&w=40`,
      large: `${u}&w=500`,
      main: { [`${u}&w=355`]: [355, 355], [`${u}&w=450`]: [450, 450], [`${u}&w=679`]: [679, 679] },
      variant: i === 0 ? 'MAIN' : `PT0${i}`,
      lowRes: null,
      shoppableScene: null,
      imageId: token(rng, 11),
    });
  }
  const dyn = jsonAttr({ [small]: [300, 300], [`${big}?w=500`]: [500, 500], [big]: [1500, 1500] });
  const inner = `<div id="imageBlock" class="a-section imageBlockRearch"><div class="a-fixed-left-grid"><div class="a-fixed-left-grid-inner" style="padding-left:40px">
<div id="altImages" class="a-fixed-left-grid-col a-col-left" style="width:40px;margin-left:-40px;float:left;"><ul class="a-unordered-list a-nostyle a-button-list a-vertical a-spacing-top-micro regularAltImageViewLayout">
${thumbs.join('\n')}
</ul></div>
<div class="a-fixed-left-grid-col a-col-right" style="padding-left:3.5%;float:left;"><div id="main-image-container" class="a-dynamic-image-container"><ul class="a-unordered-list a-nostyle a-horizontal list maintain-height"><li class="image item itemNo0 selected maintain-height"><span class="a-list-item"><span class="a-declarative" data-action="main-image-click" data-main-image-click="{}" data-ux-click=""><div id="imgTagWrapperId" class="imgTagWrapper">
<img alt="${esc(item.title)}" src="${esc(small)}" data-old-hires="${esc(big)}" onload="markFeatureRenderForImageBlock(); this.onload='';setCSMReq('af');" data-a-image-name="landingImage" class="a-dynamic-image a-stretch-vertical" id="landingImage" data-a-dynamic-image="${dyn}" style="max-width:500px;max-height:500px;"/>
</div></span></span></li></ul></div></div>
</div></div></div>
<script type="text/javascript">
P.when('A').register("ImageBlockATF", function(A){
    var data = ${jsonScript({ colorImages: { initial: gallery }, colorToAsin: { initial: {} }, holderRatio: 1.0, holderMaxHeight: 700, heroImage: { initial: [] }, heroVideo: { initial: [] }, spin360ColorData: { initial: {} }, spin360ColorEnabled: { initial: 0 }, spin360ConfigEnabled: false, spin360LazyLoadEnabled: false, dimensionIngressEnabled: false, playVideoInImmersiveView: true, useTabbedImmersiveView: true, totalVideoCount: '0', videoIngressATFSlateThumbURL: '', mediaTypeCount: 0, atfEnhancedHoverOverlay: true, winningAsin: item.asin, weblabs: {}, aibExp3Layout: 1, aibRuleName: 'frank-powered', acEnabled: true, dp60VideoPosition: 0, dp60VariantList: '', dp60VideoThumb: '', dp60MainImage: big, imageBlockRenderingStartTime: Date.UTC(2025, 0, 1), additionalNumberOfImageAlts: 0, isDPXFeatureEnabled: true })};
    A.trigger('P.AboveTheFold');
    return data;
});
</script>`;
  return featureDiv('imageBlock_feature_div', item.asin, inner);
}

// ---- centre column: title, byline, ratings, price ------------------------------------------------

/**
 * Title, byline and ratings. Ebook pages of 2017-2020 carry the title in `#ebooksProductTitle`
 * and, like every Kindle page, show the format ("Kindle Edition") under it.
 */
export function titleBlock(ctx: PageContext, titleId = 'productTitle'): string {
  const { item, mp } = ctx;
  const edition = isKindle(item.layout)
    ? ` <span id="productSubtitle" class="a-size-large a-color-secondary">${esc(layoutText(mp).kindleEdition)}</span>`
    : '';
  const title = featureDiv(
    'title_feature_div',
    item.asin,
    `<style type="text/css">
    .product-title-word-break {
        word-break: break-word;
    }
</style>
 <div id="titleSection" class="a-section a-spacing-none"> <h1 id="title" class="a-size-large a-spacing-none"> <span id="${titleId}" class="a-size-large product-title-word-break">        ${esc(item.title)}       </span>${edition}  </h1> <div id="expandTitleToggle" class="a-section a-spacing-none expand aok-hidden"></div>  </div>`,
  );
  const byline =
    item.category.kind === 'book'
      ? `<div id="bylineInfo" class="a-section a-spacing-micro bylineHidden feature"><span class="author notFaded" data-width=""><a class="a-link-normal" href="/s?k=${encodeURIComponent(item.brand)}&amp;mp=${mp.code}">${esc(item.brand)}</a> <span class="contribution" spacing="none"><span class="a-color-secondary">(Author)</span></span></span></div>`
      : `<a id="bylineInfo" class="a-link-normal" href="/s?k=${encodeURIComponent(item.brand)}&amp;mp=${mp.code}">${esc(mp.language === 'de' ? `Besuche den ${item.brand}-Store` : mp.language === 'ja' ? `ブランド: ${item.brand}` : `Visit the ${item.brand} Store`)}</a>`;
  const rating = ratingText(item.rating, mp);
  const reviews = featureDiv(
    'averageCustomerReviews_feature_div',
    item.asin,
    `<div id="averageCustomerReviews" class="a-spacing-none" data-asin="${item.asin}" data-ref="dpx_acr_pop_"><span class="a-declarative" data-action="acrStarsLink-click-metrics" data-csa-c-type="widget"><span id="acrPopover" class="reviewCountTextLinkedHistogram noUnderline" title="${esc(rating)}"><span class="a-declarative" data-action="a-popover" data-a-popover="{&quot;max-width&quot;:&quot;700&quot;,&quot;closeButton&quot;:&quot;false&quot;,&quot;position&quot;:&quot;triggerBottom&quot;,&quot;url&quot;:&quot;/gp/customer-reviews/widgets/average-customer-review/popover/ref=dpx_acr_pop_?contextId=dpx&amp;asin=${item.asin}&quot;}"><a href="javascript:void(0)" role="button" class="a-popover-trigger a-declarative"><span class="a-size-base a-color-base">${esc(rating.match(/\d[.,]\d/)?.[0] ?? '')}</span><i class="a-icon a-icon-star a-star-${Math.floor(item.rating / 10)} cm-cr-review-stars-spacing-big"><span class="a-icon-alt">${esc(rating)}</span></i><i class="a-icon a-icon-popover"></i></a></span></span></span><span class="a-letter-space"></span><span class="a-declarative" data-action="acrLink-click-metrics"><a id="acrCustomerReviewLink" class="a-link-normal" href="#customerReviews"><span id="acrCustomerReviewText" class="a-size-base">${groupedInt(item.reviewCount, mp)} ${esc(mp.text.ratings)}</span></a></span></div>`,
  );
  return (
    title +
    featureDiv('bylineInfo_feature_div', item.asin, byline) +
    featureDiv('cmrsSummary_feature_div', item.asin, '') +
    reviews +
    emptyFeatures(item.asin, [
      'ask_feature_div',
      'acBadge_feature_div',
      'zeitgeistBadge_feature_div',
      'socialProofingBadge_feature_div',
    ])
  );
}

function savingsBadge(ctx: PageContext): string {
  const { state } = ctx;
  if (!state.price || !state.strikePrice) return '';
  const pct = Math.round(
    ((state.strikePrice.minor - state.price.minor) * 100) / state.strikePrice.minor,
  );
  if (pct <= 0) return '';
  return `<span class="aok-offscreen">   ${esc(money(state.price, ctx.mp))} with ${pct} percent savings    </span>  <span aria-hidden="true" class="a-size-large a-color-price savingPriceOverride aok-align-center reinventPriceSavingsPercentageMargin savingsPercentage">-${pct}%</span>  `;
}

export function strikeLabel(ctx: PageContext): string {
  return ctx.state.strikeKind === 'was' ? ctx.mp.text.wasPrice : ctx.mp.text.listPrice;
}

function basisPrice(ctx: PageContext): string {
  const { state, mp } = ctx;
  if (!state.strikePrice) return '';
  const p = priceParts(state.strikePrice, mp.locale);
  const label = strikeLabel(ctx);
  return `<span class="aok-relative"><span class="a-size-small aok-offscreen"> ${esc(label)} ${esc(p.text)} </span><span aria-hidden="true" class="a-size-small a-color-secondary aok-align-center basisPrice">${esc(label)}  ${aPrice(p, { classes: 'a-text-price', size: 's', strike: true, color: 'secondary', plainDisplay: true })}   </span></span>`;
}

const LEGAL_POPOVER = `<span class="a-size-small aok-align-center basisPriceLegalMessage">  <style type="text/css">
    .reinventPrice_legalMessage_icon {
        width: 12px;
        fill: #969696;
        vertical-align: middle;
        padding-bottom: 2px;
    }
    .reinventPrice_legalMessage_icon:hover {
        fill: #555555;
    }
</style>  </span>`;

/** `#corePriceDisplay_desktop_feature_div`: the centre-column price of the apex layouts. */
export function corePriceDisplay(ctx: PageContext, blankOffscreen: boolean): string {
  const { state, mp, item } = ctx;
  let inner = `<style type="text/css">
    .savingPriceOverride {
        color:#CC0C39!important;
        font-weight: 300!important;
    }
</style>
`;
  if (state.price && state.availability === 'in_stock') {
    const p = priceParts(state.price, mp.locale);
    inner += `  <div class="a-section a-spacing-none aok-align-center aok-relative"> ${savingsBadge(ctx)}<span class="a-price aok-align-center reinventPricePriceToPayMargin priceToPay" data-a-size="xl" data-a-color="base"><span class="a-offscreen">${blankOffscreen ? ' ' : esc(p.text)}</span><span aria-hidden="true">${priceDisplaySpans(p)}</span></span>  <span id="taxInclusiveMessage" class="a-size-mini a-color-base aok-align-center aok-nowrap">  </span>  </div>   <div class="a-section a-spacing-small aok-align-center">  <span> ${basisPrice(ctx)}  ${LEGAL_POPOVER} </span> </div>`;
  }
  return featureDiv('corePriceDisplay_desktop_feature_div', item.asin, inner);
}

/** `#corePrice_desktop`: the table layout with `.apexPriceToPay` and a struck list price row. */
export function corePriceTable(ctx: PageContext): string {
  const { state, mp, item } = ctx;
  let rows = '';
  if (state.price && state.availability === 'in_stock') {
    const p = priceParts(state.price, mp.locale);
    if (state.strikePrice) {
      const s = priceParts(state.strikePrice, mp.locale);
      rows += `<tr><td class="a-color-secondary a-size-base a-text-right a-nowrap">${esc(strikeLabel(ctx))}</td><td class="a-span12 a-color-secondary a-size-base">  ${aPrice(s, { classes: 'a-text-price a-size-base', size: 'b', strike: true, color: 'secondary', plainDisplay: true })}  <span id="listPriceLegalMessage_feature_div" class="celwidget" data-feature-name="listPriceLegalMessage"></span>
</td></tr>`;
    }
    rows += `<tr><td class="a-color-secondary a-size-base a-text-right a-nowrap">${esc(mp.text.priceLabel)}</td><td class="a-span12">  ${aPrice(p, { classes: 'a-text-price a-size-medium apexPriceToPay', size: 'b', color: 'price', plainDisplay: true })}  <span class="a-size-small a-color-secondary aok-align-center">  </span>
</td></tr>`;
    if (state.strikePrice) {
      const save: Money = {
        minor: state.strikePrice.minor - state.price.minor,
        currency: state.price.currency,
      };
      const pct = Math.round((save.minor * 100) / state.strikePrice.minor);
      rows += `<tr><td class="a-color-secondary a-size-base a-text-right a-nowrap">${mp.language === 'de' ? 'Du sparst:' : mp.language === 'ja' ? 'OFF:' : 'You Save:'}</td><td class="a-span12 a-color-price a-size-base"><span class="a-price a-text-price a-size-base" data-a-size="b" data-a-color="price"><span class="a-offscreen">${esc(money(save, mp))}</span><span aria-hidden="true">${esc(money(save, mp))}</span></span> (${pct}%)</td></tr>`;
    }
  }
  const inner = `<div class="a-section a-spacing-small">  <table class="a-lineitem a-align-top">  ${rows}  </table>  </div>`;
  return featureDiv('corePrice_desktop', item.asin, inner);
}

/** The "Limited time deal" badge of apex deal pages; empty when nothing is struck to save on. */
function dealBadge(ctx: PageContext): string {
  const { item, state, mp } = ctx;
  const on = state.price && state.strikePrice && state.availability === 'in_stock';
  const inner = on
    ? `<div class="a-section a-spacing-none aok-relative"><span class="a-size-small dealBadge" id="dealBadgeSupportingText"><span class="a-badge-label" data-a-badge-color="sx-lightning-deal-red"><span class="a-badge-label-inner a-text-ellipsis"><span class="a-badge-text" data-a-badge-color="sx-cloud">${esc(layoutText(mp).limitedTimeDeal)}</span></span></span></span></div>`
    : '';
  return featureDiv('dealBadge_feature_div', item.asin, inner);
}

/** The centre-column price widget for the product's layout. */
export function centrePrice(ctx: PageContext): string {
  const { item } = ctx;
  const price =
    item.layout === 'core-table'
      ? corePriceTable(ctx)
      : corePriceDisplay(ctx, item.layout === 'apex-split');
  const around =
    (item.layout === 'apex-deal'
      ? dealBadge(ctx)
      : emptyFeatures(item.asin, ['dealBadge_feature_div'])) +
    emptyFeatures(item.asin, [
      'delightPricingBadge_feature_div',
      'almRedWithPrimeBadge_feature_div',
    ]);
  const after = emptyFeatures(item.asin, [
    'omnibusPrice_feature_div',
    'jewelryPriceBreakup_feature_div',
    'agsIfdInsidePrice_feature_div',
    'regulatoryDeposit_feature_div',
    'deliveryPriceBadging_feature_div',
    'freeShippingPriceBadging_feature_div',
    'freeReturns_feature_div',
    'installmentPaymentPrice_feature_div',
    'points_feature_div',
    'rebates_feature_div',
  ]);
  return `<div id="desktop_unifiedPrice" class="celwidget" data-feature-name="desktop_unifiedPrice">
<div id="unifiedPrice_feature_div" class="celwidget" data-feature-name="unifiedPrice">
<div id="apex_desktop" class="celwidget" data-feature-name="apex_desktop" data-csa-c-asin="${item.asin}">
<div data-csa-c-type="widget" data-csa-c-slot-id="apex_dp_center_column" data-csa-c-content-id="apex">
${around}${price}${after}</div>
</div>
</div>
</div>
`;
}

export function featureBullets(ctx: PageContext): string {
  const { item, mp } = ctx;
  const lis = item.bullets
    .map((b) => `<li class="a-spacing-mini"><span class="a-list-item"> ${esc(b)} </span></li>`)
    .join('\n');
  return featureDiv(
    'featurebullets_feature_div',
    item.asin,
    `<div id="feature-bullets" class="a-section a-spacing-medium a-spacing-top-small"> <h1 class="a-size-base-plus a-text-bold"> ${esc(mp.text.aboutThisItem)} </h1> <ul class="a-unordered-list a-vertical a-spacing-mini">
${lis}
</ul> </div>`,
  );
}

// ---- right column: the buy box ------------------------------------------------------------------

export function hiddenInputs(ctx: PageContext): string {
  const { item, rng, state } = ctx;
  const merchantId = token(rng, 13);
  const inputs: Array<[string, string]> = [
    [
      'CSRF',
      `${token(rng, 40, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}=`,
    ],
    ['anti-csrftoken-a2z', `hG${token(rng, 60)}`],
    ['items[0.base][customerVisiblePrice][amount]', state.price ? jsonAmount(state.price) : ''],
    ['items[0.base][customerVisiblePrice][currencyCode]', item.price.currency],
    ['pageLoadTimestampUTC', '2025-01-31T12:03:07.874829064Z'],
    ['offerListingID', token(rng, 120)],
    [
      'session-id',
      `${rng.int(100, 999)}-${rng.int(1000000, 9999999)}-${rng.int(1000000, 9999999)}`,
    ],
    ['ASIN', item.asin],
    ['isMerchantExclusive', '0'],
    ['merchantID', merchantId],
    ['isAddon', '0'],
    ['nodeID', ''],
    ['sellingCustomerID', ''],
    ['qid', ''],
    ['sr', ''],
    ['storeID', item.category.key],
    ['tagActionCode', ''],
    ['viewID', 'glance'],
    ['rebateId', ''],
    ['ctaDeviceType', 'desktop'],
    ['ctaPageType', 'detail'],
    ['usePrimeHandler', '0'],
    ['smokeTestEnabled', 'false'],
    ['rsid', `${rng.int(100, 999)}-${rng.int(1000000, 9999999)}-${rng.int(1000000, 9999999)}`],
  ];
  return inputs
    .map(([name, value]) =>
      name.includes('[')
        ? `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`
        : `<input type="hidden" id="${name}" name="${name}" value="${esc(value)}">`,
    )
    .join('\n              ');
}

export function availabilityBlock(ctx: PageContext): string {
  const { state, mp, item } = ctx;
  let inner: string;
  if (state.availability === 'out_of_stock') {
    inner = `<div id="availability" class="a-section a-spacing-base a-spacing-top-micro }">  <span class="a-size-medium a-color-price"> ${esc(mp.text.unavailable)} </span> <br/>${esc(mp.text.unavailableNote)}  </div>`;
  } else if (!state.price) {
    inner = `<div id="availability" class="a-section a-spacing-base a-spacing-top-micro }">  <span class="a-size-medium a-color-price"> ${esc(mp.text.noFeaturedOffer)} </span>  <br/>  </div>`;
  } else {
    inner = `<div id="availability" class="a-section a-spacing-base a-spacing-top-micro }">  <span class="a-size-medium a-color-success"> ${esc(mp.text.inStock)} </span>  <br/>  </div>  <div class="a-section a-spacing-none">  </div>  <div class="a-section a-spacing-mini">    </div>   <style>
    .availabilityMoreDetailsIcon {
        width: 12px;
        vertical-align: baseline;
        fill: #969696;
    }
</style>`;
  }
  return featureDiv('availability_feature_div', item.asin, inner);
}

export function deliveryBlock(ctx: PageContext): string {
  const { rng, mp, item } = ctx;
  const day = rng.pick(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);
  const date = `${day}, ${rng.int(1, 28)} ${rng.pick(['March', 'April', 'May', 'June'])}`;
  const inner = `<div class="a-spacing-base" id="mir-layout-DELIVERY_BLOCK"><div id="mir-layout-DELIVERY_BLOCK-slot-PRIMARY_DELIVERY_MESSAGE_LARGE" class="a-spacing-base"><span data-csa-c-type="element" data-csa-c-content-id="DEXUnifiedCXPDM" data-csa-c-delivery-price="FREE" data-csa-c-value-proposition="" data-csa-c-delivery-type="delivery" data-csa-c-delivery-time="${esc(date)}" data-csa-c-delivery-destination="" data-csa-c-delivery-condition="" data-csa-c-pickup-location="" data-csa-c-distance="" data-csa-c-delivery-cutoff="" data-csa-c-mir-view="CONSOLIDATED_CX" data-csa-c-mir-type="DELIVERY" data-csa-c-mir-sub-type="" data-csa-c-mir-variant="DEFAULT" delivery-message-mir-id="${lowerId(rng, 12)}"> FREE delivery <span class="a-text-bold">${esc(date)}</span>. </span></div></div>
<div id="contextualIngressPt" class="a-row"><span class="a-size-small">${esc(mp.text.deliverTo)} ${esc(rng.pick(['London W1D', 'Berlin 10115', 'Seattle 98109', '東京都 150-0002', 'Mumbai 400001']))}</span></div>`;
  return featureDiv('deliveryBlock_feature_div', item.asin, inner);
}

export function quantitySelect(rng: Rng): string {
  const opts: string[] = [];
  for (let i = 1; i <= 30; i++)
    opts.push(`<option value="${i}"${i === 1 ? ' selected' : ''}>${i}</option>`);
  return `<div id="selectQuantity" class="a-section a-spacing-none a-padding-none"><span class="a-dropdown-container"><label for="quantity" class="a-native-dropdown">Quantity:</label><select name="quantity" autocomplete="off" id="quantity" tabindex="0" data-action="a-dropdown-select" class="a-native-dropdown a-declarative" data-digest="${hexId(rng, 16)}">
${opts.join('\n')}
</select></span></div>`;
}

export function buttons(ctx: PageContext): string {
  const { mp } = ctx;
  return `<div id="addToCart_feature_div" class="celwidget" data-feature-name="addToCart"><div class="a-button-stack"><span class="a-button a-spacing-small a-button-primary a-button-icon natc-enabled" id="a-autoid-1"><span class="a-button-inner"><i class="a-icon a-icon-cart"></i><input id="add-to-cart-button" name="submit.add-to-cart" title="${esc(mp.text.addToCart)}" data-hover="Select &lt;b&gt;__dims__ &lt;/b&gt;from the left&lt;br&gt; to add to Shopping Cart" class="a-button-input" type="submit" value="${esc(mp.text.addToCart)}" aria-labelledby="submit.add-to-cart-announce"><span id="submit.add-to-cart-announce" class="a-button-text" aria-hidden="true">${esc(mp.text.addToCart)}</span></span></span></div></div>
<div id="buyNow_feature_div" class="celwidget" data-feature-name="buyNow"><span class="a-button a-button-oneclick a-button-icon onml-buy-now-button" id="a-autoid-2"><span class="a-button-inner"><input id="buy-now-button" name="submit.buy-now" title="${esc(mp.text.buyNow)}" class="a-button-input" type="submit" value="${esc(mp.text.buyNow)}"><span id="submit.buy-now-announce" class="a-button-text" aria-hidden="true">${esc(mp.text.buyNow)}</span></span></span></div>`;
}

export function soldBy(ctx: PageContext): string {
  const { item, mp, rng } = ctx;
  const sellerHtml = item.soldByStore
    ? `<span class="a-size-small offer-display-feature-text-message">${esc(item.seller)}</span>`
    : `<span class="a-size-small offer-display-feature-text-message"><a href="/gp/help/seller/at-a-glance.html/ref=dp_merchant_link?ie=UTF8&amp;seller=${token(rng, 13)}&amp;asin=${item.asin}&amp;isAmazonFulfilled=1" id="sellerProfileTriggerId">${esc(item.seller)}</a></span>`;
  if (item.layout === 'apex' || item.layout === 'apex-deal') {
    const row = (label: string, value: string): string =>
      `<div class="tabular-buybox-label" tabular-attribute-name="${esc(label)}">
<div class="a-spacing-none"><span class="a-size-small a-color-tertiary">${esc(label)}</span></div>
</div>
<div class="tabular-buybox-text" tabular-attribute-name="${esc(label)}">
<div class="tabular-buybox-text a-spacing-none">${value}</div>
</div>`;
    return featureDiv(
      'tabular_feature_div',
      item.asin,
      `<div id="tabular-buybox" class="a-section a-spacing-base tabular-buybox"><div class="tabular-buybox-container">
${row(mp.text.shipsFrom, `<span class="a-size-small">${esc(mp.storeName)}</span>`)}
${row(mp.text.soldBy, sellerHtml)}
${row(mp.text.returns.split(' ')[0] ?? 'Returns', `<span class="a-size-small">${esc(mp.text.returns)}</span>`)}
${row(mp.text.payment, `<span class="a-size-small">${esc(mp.text.securePayment)}</span>`)}
</div></div>`,
    );
  }
  if (item.layout === 'core-table') {
    const text = item.soldByStore
      ? esc(mp.text.shipsAndSoldBy(item.seller))
      : `${esc(mp.text.soldBy)} <a id="sellerProfileTriggerId" href="/gp/help/seller/at-a-glance.html/ref=dp_merchant_link?ie=UTF8&amp;seller=${token(rng, 13)}">${esc(item.seller)}</a> / ${esc(mp.text.shipsFrom)} ${esc(mp.storeName)}.`;
    return featureDiv(
      'merchant-info_feature_div',
      item.asin,
      `<div id="merchant-info" class="a-section a-spacing-mini">    ${text}    </div>`,
    );
  }
  const odf = (feature: string, label: string, value: string): string =>
    featureDiv(
      `${feature}_feature_div`,
      item.asin,
      `<div class="offer-display-feature-label celwidget" offer-display-feature-name="desktop-${feature}"><div class="a-spacing-none"><span class="a-size-small a-color-tertiary">${esc(label)}</span> </div></div>
<div class="offer-display-feature-text" offer-display-feature-name="desktop-${feature}"><div class="offer-display-feature-text a-spacing-none odf-truncation-popover">${value}</div></div>`,
    );
  return (
    odf(
      'fulfillerInfoFeature',
      mp.text.shipsFrom,
      `<span class="a-size-small offer-display-feature-text-message">${esc(mp.storeName)}</span>`,
    ) + odf('merchantInfoFeature', mp.text.soldBy, sellerHtml)
  );
}

function subscribeAndSave(ctx: PageContext): string {
  const { item, state, mp } = ctx;
  if (!item.category.subscribable || !state.price || state.availability !== 'in_stock') return '';
  const sns: Money = {
    minor: Math.round((state.price.minor * 95) / 100),
    currency: state.price.currency,
  };
  const p = priceParts(sns, mp.locale);
  return featureDiv(
    'snsAccordionRowMiddle_feature_div',
    item.asin,
    `<div id="snsAccordionRowMiddle" class="a-box-group a-accordion a-spacing-base"><div class="a-box a-accordion-row-container"><div class="a-box-inner a-accordion-row-a11y"><a data-action="a-accordion" class="a-accordion-row a-declarative accordion-header" href="#"><i class="a-icon a-accordion-radio a-icon-radio-inactive"></i><h5><span class="a-text-bold">${esc(mp.text.subscribeSave)}</span> <span id="sns-base-price" class="a-size-base a-color-price">${aPrice(p, { size: 'l', color: 'price' })}</span></h5></a><div class="a-accordion-inner"><span class="a-size-small">5% off with 1 subscription, up to 15% off with 5 or more.</span></div></div></div></div>`,
  );
}

export function usedOffer(ctx: PageContext): string {
  const { item, state, mp, rng } = ctx;
  if (item.usedPercent === null) return '';
  const base = state.price ?? item.price;
  const used: Money = {
    minor: Math.round((base.minor * item.usedPercent) / 100),
    currency: base.currency,
  };
  const p = priceParts(used, mp.locale);
  if (state.availability === 'out_of_stock' || !state.price) {
    const [before, after] = mp.text.usedFrom(rng.int(2, 9));
    return featureDiv(
      'olpLinkWidget_feature_div',
      item.asin,
      `<div class="a-section a-spacing-small a-spacing-top-small"><span class="a-declarative" data-action="show-all-offers-display"><a class="a-link-normal" href="/gp/offer-listing/${item.asin}/ref=dp_olp_USED_mbc?ie=UTF8&amp;condition=USED"><span class="a-color-base">${esc(before)}</span> <span class="a-size-base a-color-price">${esc(p.text)}</span>${after ? `<span class="a-color-base">${esc(after)}</span>` : ''}</a></span></div>`,
    );
  }
  return featureDiv(
    'usedAccordionRow_feature_div',
    item.asin,
    `<div id="usedAccordionRow" class="a-box-group a-accordion"><div class="a-box a-accordion-row-container"><div class="a-box-inner a-accordion-row-a11y"><a data-action="a-accordion" class="a-accordion-row a-declarative accordion-header" href="#"><i class="a-icon a-accordion-radio a-icon-radio-inactive"></i><h5><div class="a-row"><div class="a-column a-span4 a-text-left"><span class="a-text-bold">${esc(mp.text.buyUsed)}</span></div><div class="a-column a-span8 a-text-right a-span-last"><span id="usedPrice" class="a-size-base a-color-price">${esc(p.text)}</span></div></div></h5></a><div class="a-accordion-inner"><div id="usedBuySection" class="a-section a-spacing-none">${aPrice(p, { size: 'l', color: 'price' })} <span class="a-size-small a-color-secondary">Used - Very Good</span></div></div></div></div></div>`,
  );
}

/** The price data block later twister scripts read; real pages carry it beside the buy box. */
function priceData(ctx: PageContext): string {
  const { state, mp, item, rng } = ctx;
  if (!state.price || state.availability !== 'in_stock') return '';
  const p = priceParts(state.price, mp.locale);
  const data = {
    desktop_buybox_group_1: [
      {
        displayPrice: p.text,
        priceAmount: Number(jsonAmount(state.price)),
        currencySymbol: p.symbol,
        integerValue: p.whole,
        decimalSeparator: p.decimal || null,
        fractionalValue: p.fraction || null,
        symbolPosition: p.symbolAfter ? 'right' : 'left',
        hasSpace: p.text.includes('\u00a0'),
        showFractionalPartIfEmpty: true,
        offerListingId: token(rng, 60),
        locale: mp.locale.replace('-', '_'),
        buyingOptionType: 'NEW',
        aapiBuyingOptionIndex: 0,
      },
    ],
  };
  return `<div class="a-section aok-hidden twister-plus-buying-options-price-data">${jsonScript(data)}</div>
<input type="hidden" id="attach-base-product-price" value="${jsonAmount(state.price)}"/>
<input type="hidden" id="attach-base-product-currency-symbol" value="${esc(p.symbol)}"/>
<input type="hidden" id="attach-baseAsin" value="${item.asin}"/>`;
}

/** The price inside the buy box (`#corePrice_feature_div` in apex pages). */
function buyBoxPrice(ctx: PageContext): string {
  const { item, state, mp } = ctx;
  if (!state.price || state.availability !== 'in_stock') {
    return featureDiv('corePrice_feature_div', item.asin, '');
  }
  const p = priceParts(state.price, mp.locale);
  if (item.layout === 'core-table') {
    return featureDiv(
      'price_inside_buybox_feature_div',
      item.asin,
      `<span id="price_inside_buybox" class="a-size-medium a-color-price">  ${esc(p.text)}  </span>`,
    );
  }
  return `<div data-csa-c-type="widget" data-csa-c-slot-id="apex_dp_offer_display" data-csa-c-content-id="apex">
${featureDiv('corePrice_feature_div', item.asin, `<div data-csa-c-type="widget" data-csa-c-slot-id="apex_dp_offer_display" data-csa-c-content-id="apex_with_rio_cx"><div class="a-section a-spacing-micro">  ${aPrice(p, { classes: 'aok-align-center' })}  <span id="taxInclusiveMessage" class="a-size-mini a-color-base aok-align-center aok-nowrap">  </span>  </div></div>`)}</div>`;
}

export function buyBox(ctx: PageContext): string {
  const { item, state, mp } = ctx;
  const sellable = state.price !== null && state.availability === 'in_stock';
  let offer: string;
  if (state.availability === 'out_of_stock') {
    offer = `<div id="outOfStock" class="a-box"><div class="a-box-inner"><div class="a-section a-spacing-small a-text-center"> <span class="a-color-price a-text-bold">${esc(mp.text.unavailable)}</span> <br/>${esc(mp.text.unavailableNote)}</div></div></div>
${availabilityBlock(ctx)}`;
  } else if (!state.price) {
    offer = `${availabilityBlock(ctx)}
<div id="buybox-see-all-buying-choices" class="a-button-stack"><span class="a-button a-button-base"><span class="a-button-inner"><a href="/gp/offer-listing/${item.asin}/ref=dp_olp_NEW_mbc" class="a-button-text" role="button">${esc(mp.text.seeAllOptions)}</a></span></span></div>`;
  } else {
    offer = [
      subscribeAndSave(ctx),
      emptyFeatures(item.asin, [
        'dealProgress_feature_div',
        'invitePlatform_feature_div',
        'promotionMessageInsideBuyBox_feature_div',
        'pointsInsideBuyBox_feature_div',
        'shippingMessageInsideBuyBox_feature_div',
      ]),
      deliveryBlock(ctx),
      availabilityBlock(ctx),
      quantitySelect(ctx.rng),
      buttons(ctx),
      soldBy(ctx),
      emptyFeatures(item.asin, [
        'returnsInfoFeature_feature_div',
        'secureTransactionFeature_feature_div',
        'giftWrapInfoFeature_feature_div',
      ]),
    ].join('\n');
  }
  return `<div id="desktop_buybox" class="celwidget" data-feature-name="desktop_buybox"><div id="buybox" class="a-section a-spacing-none">
<div id="qualifiedBuybox" class="a-section a-spacing-none">
<form method="post" id="addToCart" action="/gp/product/handle-buy-box/ref=dp_start-bbf_1_glance" class="a-content" autocomplete="off">
              ${hiddenInputs(ctx)}
<div id="apex_offerDisplay_desktop" class="celwidget" data-feature-name="apex_offerDisplay_desktop">
${buyBoxPrice(ctx)}
</div>
${sellable ? priceData(ctx) : ''}
${offer}
</form>
</div>
${usedOffer(ctx)}
</div></div>
`;
}

// ---- below the fold --------------------------------------------------------------------------

export function productDetails(ctx: PageContext): string {
  const { item, mp, rng } = ctx;
  const rows: Array<[string, string]> = [
    ['ASIN', item.asin],
    [item.category.kind === 'book' ? 'Author' : 'Brand', item.brand],
    ['Item Weight', `${rng.int(1, 40) * 50} g`],
    ['Product Dimensions', `${rng.int(5, 60)} x ${rng.int(5, 60)} x ${rng.int(2, 30)} cm`],
    ['Item model number', `${item.brand.slice(0, 3).toUpperCase()}-${rng.int(100, 9999)}`],
    [
      'Date First Available',
      `${rng.int(1, 28)} ${rng.pick(['January', 'June', 'October'])} ${rng.int(2016, 2024)}`,
    ],
    [
      'Best Sellers Rank',
      `#${groupedInt(rng.int(1, 90000), mp)} in ${tr(item.category.names, mp.language)}`,
    ],
    ['Customer Reviews', ratingText(item.rating, mp)],
  ];
  const trs = rows
    .map(
      ([k, v]) =>
        `<tr><th class="a-color-secondary a-size-base prodDetSectionEntry"> ${esc(k)} </th><td class="a-size-base prodDetAttrValue"> ${esc(v)} </td></tr>`,
    )
    .join('\n');
  return featureDiv(
    'productDetails_feature_div',
    item.asin,
    `<div id="prodDetails" class="a-section"><h2>Product information</h2><div class="a-row a-spacing-top-base"><div class="a-column a-span6"><table id="productDetails_techSpec_section_1" class="a-keyvalue prodDetTable" role="presentation">
${trs}
</table></div></div></div>`,
  );
}

/** A card of another product in a carousel: its price is a decoy for this page. */
function carouselCard(
  other: CatalogueItem,
  ctx: PageContext,
  index: number,
  total: number,
  style: 'sponsored' | 'sims',
): string {
  const { mp, origin, rng } = ctx;
  const p = priceParts(other.price, mp.locale);
  const href = `${productPath(mp.code, other.asin)}?ref=${style === 'sponsored' ? 'sspa_dk_detail' : 'pd_sim'}_${index}&amp;pd_rd_w=${token(rng, 5)}&amp;pf_rd_r=${requestId(rng)}`;
  const img = `<img alt="${esc(other.title)}" src="${esc(imageUrl(origin, other.asin))}?w=160" class="a-dynamic-image" height="160" width="160"/>`;
  const stars = `<i class="a-icon a-icon-star-small ${starClass(other.rating)} aok-align-top"><span class="a-icon-alt">${esc(ratingText(other.rating, mp))}</span></i><span class="a-size-small a-color-secondary">${groupedInt(other.reviewCount, mp)}</span>`;
  if (style === 'sponsored') {
    return `<li class="a-carousel-card" role="listitem" aria-setsize="${total}" aria-posinset="${index}"><div class="a-section sp_offerVertical p13n-asin sp_ltr_offer" data-asin="${other.asin}" data-adfeedbackdetails="${jsonAttr({ asin: other.asin, title: other.title, priceAmount: Number(jsonAmount(other.price)), currencyCode: other.price.currency })}"><a class="a-link-normal" target="_top" rel="noopener" title="${esc(other.title)}" href="${href}">${img}<div class="sponsored-products-truncator-truncate" aria-hidden="true">${esc(other.title)}</div></a><div class="a-row">${stars}</div><div class="a-row a-color-price"><span class="a-size-medium a-color-price">${esc(p.text)}</span></div><div class="a-row"><span class="a-size-small a-color-secondary">${esc(mp.text.sponsored)}</span></div></div></li>`;
  }
  return `<li class="a-carousel-card" role="listitem" aria-setsize="${total}" aria-posinset="${index}"><div class="p13n-sc-uncoverable-faceout" id="${other.asin}" data-asin="${other.asin}" data-currencyCode="${other.price.currency}" data-price="${jsonAmount(other.price)}" data-reviewCount="${other.reviewCount}"><a class="a-link-normal aok-block" href="${href}">${img}<div class="p13n-sc-truncate-desktop-type2 p13n-sc-truncated" aria-hidden="true" data-rows="2">${esc(other.title)}</div></a><div class="a-row a-size-small">${stars}</div><div class="a-row"><span class="a-size-base a-color-price"><span class="p13n-sc-price">${esc(p.text)}</span></span></div><div class="a-section a-spacing-mini">${aPrice(p, { size: 'medium_plus' })}</div></div></li>`;
}

export function carousel(
  ctx: PageContext,
  others: readonly CatalogueItem[],
  style: 'sponsored' | 'sims',
): string {
  const { item, mp, rng } = ctx;
  const cards = others.map((o, i) => carouselCard(o, ctx, i + 1, others.length, style)).join('\n');
  const heading = style === 'sponsored' ? mp.text.related : mp.text.alsoBought;
  const options = jsonAttr({
    name: `${style}-${item.asin}`,
    set_size: others.length,
    minimum_gutter_width: 20,
    ajax: {
      id_list: others.map((o) => o.asin),
      url: `/${style}/ajax`,
      params: { asin: item.asin },
    },
    request_id: requestId(rng),
  });
  const body = `<div class="a-carousel-container a-carousel-display-swap a-carousel-transition-swap" data-a-carousel-options="${options}"><div class="a-row a-carousel-header-row a-size-large"><div class="a-column a-span8"><h2 class="a-carousel-heading">${esc(heading)}</h2></div><div class="a-column a-span4 a-span-last a-text-right"><span class="a-carousel-pagination a-size-base"><span class="a-carousel-page-count">Page <span class="a-carousel-page-current">1</span> of <span class="a-carousel-page-max">${Math.ceil(others.length / 5)}</span></span></span></div></div>
<div class="a-row a-carousel-controller a-carousel-row a-carousel-has-buttons"><div class="a-carousel-row-inner"><div class="a-carousel-col a-carousel-center"><div class="a-carousel-viewport" role="group"><ol class="a-carousel" role="list">
${cards}
</ol></div></div></div></div></div>`;
  if (style === 'sponsored') {
    return featureDiv(
      'sp_detail_feature_div',
      item.asin,
      `<div cel_widget_id='sp_detail' class='celwidget'>${body}</div>`,
    );
  }
  return featureDiv('sims-consolidated-2_feature_div', item.asin, body);
}

export function reviews(ctx: PageContext, count: number): string {
  const { item, mp, rng } = ctx;
  const blocks: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `R${token(rng, 13)}`;
    const stars = rng.int(1, 5);
    const words: string[] = [];
    const n = rng.int(25, 120);
    for (let w = 0; w < n; w++) words.push(rng.pick(REVIEW_WORDS));
    const text = words.join(' ');
    blocks.push(`<div id="${id}" data-hook="review" class="a-section review aok-relative"><div class="a-section celwidget" id="customer_review-${id}"><div data-hook="genome-widget" class="a-row a-spacing-mini"><a href="/gp/profile/amzn1.account.${token(rng, 28)}/ref=cm_cr_dp_d_gw_tr" class="a-profile" data-a-size="small"><div aria-hidden="true" class="a-profile-avatar-wrapper"><div class="a-profile-avatar"><img src="${ctx.origin}/images/avatar.svg" class="" alt=""></div></div><div class="a-profile-content"><span class="a-profile-name">${esc(rng.pick(['Alex', 'Sam', 'Kim', 'Jo', 'Taylor', 'Robin', 'Chris']))} ${String.fromCharCode(65 + rng.int(0, 25))}.</span></div></a></div>
<div class="a-row"><a class="a-link-normal" title="${stars}.0 out of 5 stars" href="/gp/customer-reviews/${id}/ref=cm_cr_dp_d_rvw_ttl?ie=UTF8&amp;ASIN=${item.asin}"><i data-hook="review-star-rating" class="a-icon a-icon-star a-star-${stars} review-rating"><span class="a-icon-alt">${stars}.0 out of 5 stars</span></i></a><span class="a-letter-space"></span><a data-hook="review-title" class="a-size-base a-link-normal review-title a-color-base review-title-content a-text-bold" href="/gp/customer-reviews/${id}"><span>${esc(words.slice(0, 5).join(' '))}</span></a></div>
<span data-hook="review-date" class="a-size-base a-color-secondary review-date">Reviewed in ${esc(mp.name)} on ${rng.int(1, 28)} ${rng.pick(['January', 'March', 'July', 'November'])} ${rng.int(2019, 2025)}</span>
<div class="a-row a-spacing-small review-data"><span data-hook="review-body" class="a-size-base review-text"><div data-a-expander-name="review_text_read_more" data-a-expander-collapsed-height="300" class="a-expander-collapsed-height a-row a-expander-container a-expander-partial-collapse-container" style="max-height:300px"><div data-hook="review-collapsed" aria-expanded="false" class="a-expander-content reviewText review-text-content a-expander-partial-collapse-content"><span>${esc(text)}</span></div></div></span></div>
<div class="a-row a-spacing-small"><span data-hook="helpful-vote-statement" class="a-size-base a-color-tertiary cr-vote-text">${rng.int(2, 400)} people found this helpful</span></div></div></div>`);
  }
  return featureDiv(
    'customerReviews_feature_div',
    item.asin,
    `<div id="customerReviews" class="a-section"><div id="cm-cr-dp-review-list" class="a-section review-views celwidget">
${blocks.join('\n')}
</div></div>`,
  );
}

export function footer(mp: DemoMarketplace): string {
  const cols = [
    ['Get to Know Us', 'Careers', 'Blog', 'About', 'Investor Relations', 'Devices', 'Science'],
    [
      'Make Money with Us',
      'Sell products',
      'Sell apps',
      'Supply to us',
      'Protect your brand',
      'Become an Affiliate',
      'Advertise Your Products',
      'Self-Publish',
    ],
    [
      'Payment Products',
      'Business Card',
      'Shop with Points',
      'Reload Your Balance',
      'Currency Converter',
    ],
    [
      'Let Us Help You',
      'Your Account',
      'Your Orders',
      'Shipping Rates & Policies',
      'Returns & Replacements',
      'Manage Your Content and Devices',
      'Help',
    ],
  ];
  const html = cols
    .map(
      ([head, ...links]) =>
        `<div class="navFooterLinkCol navAccessibility"><div class="navFooterColHead">${esc(head ?? '')}</div><ul>${links.map((l) => `<li class="nav_first"><a href="/gp/help/customer/display.html?nodeId=${encodeURIComponent(l)}" class="nav_a">${esc(l)}</a></li>`).join('')}</ul></div><div class="navFooterColSpacerInner navAccessibility"></div>`,
    )
    .join('\n');
  return `<div id="navFooter" class="navLeftFooter nav-sprite-v1" role="contentinfo"><a href="javascript:void(0)" id="navBackToTop" aria-label="Back to top"><div class="navFooterBackToTop"><span class="navFooterBackToTopText">Back to top</span></div></a>
<div class="navFooterVerticalColumn navAccessibility" role="presentation"><div class="navFooterVerticalRow navAccessibility" style="display: table-row;">
${html}
</div></div>
<div class="navFooterLine navFooterLinkLine navFooterPadItemLine"><span><div class="navFooterLine navFooterLogoLine"><a aria-label="${esc(mp.storeName)}" href="/"><div class="nav-logo-base nav-sprite"></div></a></div></span></div>
<div class="navFooterLine navFooterLinkLine navFooterDescLine" role="navigation"><span class="navFooterDescItem">Pricehawk demo store. Not affiliated with Amazon; markup imitates its product pages for offline testing.</span></div>
</div>
`;
}
