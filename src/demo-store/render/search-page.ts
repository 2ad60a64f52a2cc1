/**
 * Search results (`/s?k=…`) in Amazon's search markup: one `div[data-component-type=
 * "s-search-result"]` per product with `data-asin`, the title under `h2 a span` and the price in
 * `.a-price .a-offscreen`. Plus the store's home page, a plain list for people.
 */
import type { CatalogueItem } from '../catalogue.js';
import type { DemoMarketplace } from '../marketplaces.js';
import type { ProductState } from '../moves.js';
import type { Wishlist } from '../wishlists.js';
import { createRng, hashString } from '../prng.js';
import { minorToDecimal } from '../../money/index.js';
import { requestId, siteCss } from './filler.js';
import { esc } from './html.js';
import { aPrice, priceParts } from './price.js';
import { imageUrl, navBar, productPath } from './sections.js';

export interface ListedProduct {
  readonly item: CatalogueItem;
  readonly state: ProductState;
}

function stars(rating: number): string {
  const whole = Math.floor(rating / 10);
  const cls = rating % 10 >= 5 ? `a-star-small-${whole}-5` : `a-star-small-${whole}`;
  const text = `${whole}.${rating % 10} out of 5 stars`;
  return `<span aria-label="${text}"><i class="a-icon a-icon-star-small ${cls} aok-align-bottom"><span class="a-icon-alt">${text}</span></i></span>`;
}

function resultItem(p: ListedProduct, index: number, origin: string, mp: DemoMarketplace): string {
  const { item, state } = p;
  const href = `${productPath(item.marketplace.code, item.asin)}?ref=sr_1_${index}&amp;qid=1700000000&amp;sr=8-${index}`;
  let price: string;
  if (state.price && state.availability === 'in_stock') {
    const pp = priceParts(state.price, item.marketplace.locale);
    const strike = state.strikePrice
      ? ` <div class="a-section aok-inline-block"><span class="a-size-base a-color-secondary">${esc(state.strikeKind === 'was' ? mp.text.wasPrice : mp.text.listPrice)} </span>${aPrice(priceParts(state.strikePrice, item.marketplace.locale), { classes: 'a-text-price', size: 'b', strike: true, color: 'secondary', plainDisplay: true })}</div>`
      : '';
    price = `<div class="a-row a-size-base a-color-base"><a class="a-size-base a-link-normal s-underline-text s-underline-link-text s-link-style a-text-normal" href="${href}">${aPrice(pp)}${strike}</a></div>`;
  } else {
    price = `<div class="a-row a-size-base a-color-secondary"><span class="a-color-price">${esc(item.marketplace.text.unavailable)}</span></div>`;
  }
  return `<div data-asin="${item.asin}" data-index="${index}" data-uuid="${requestId(createRng(hashString(item.asin)))}" data-component-type="s-search-result" class="sg-col-4-of-12 s-result-item s-asin sg-col-4-of-16 sg-col s-widget-spacing-small sg-col-4-of-20">
<div class="sg-col-inner"><div cel_widget_id="MAIN-SEARCH_RESULTS-${index}" class="s-widget-container s-spacing-small s-widget-container-height-small celwidget slot=MAIN template=SEARCH_RESULTS widgetId=search-results_${index}" data-csa-c-item-id="amzn1.asin.1.${item.asin}" data-csa-c-type="item">
<div class="s-card-container s-overflow-hidden aok-relative puis-include-content-margin puis s-latency-cf-section s-card-border"><div class="a-section a-spacing-base">
<div class="s-product-image-container aok-relative s-text-center s-image-overlay-grey"><span data-component-type="s-product-image" class="rush-component"><a class="a-link-normal s-no-outline" href="${href}"><div class="a-section aok-relative s-image-square-aspect"><img class="s-image" src="${esc(imageUrl(origin, item.asin))}?w=320" alt="${esc(item.title)}" data-image-index="${index}"/></div></a></span></div>
<div class="a-section a-spacing-small puis-padding-left-small puis-padding-right-small">
<div class="a-section a-spacing-none a-spacing-top-small s-title-instructions-style"><h2 class="a-size-mini a-spacing-none a-color-base s-line-clamp-4"><a class="a-link-normal s-underline-text s-underline-link-text s-link-style a-text-normal" href="${href}"><span class="a-size-base-plus a-color-base a-text-normal">${esc(item.title)}</span></a></h2></div>
<div class="a-section a-spacing-none a-spacing-top-micro"><div class="a-row a-size-small">${stars(item.rating)}<span aria-label="${item.reviewCount}"><a class="a-link-normal s-underline-text s-underline-link-text s-link-style" href="${href}#customerReviews"><span class="a-size-base s-underline-text">${item.reviewCount}</span></a></span></div></div>
<div class="a-section a-spacing-none a-spacing-top-small s-price-instructions-style">${price}</div>
</div></div></div></div></div>
</div>
`;
}

export function renderSearchPage(
  query: string,
  results: readonly ListedProduct[],
  origin: string,
  mp: DemoMarketplace,
): string {
  const rng = createRng(hashString(query));
  const items = results.map((r, i) => resultItem(r, i + 1, origin, mp)).join('');
  return `<!doctype html><html lang="${mp.htmlLang}" class="a-no-js" data-19ax5a9jf="dingo"><head><meta charset="utf-8"/>
<title>${esc(mp.storeName)} : ${esc(query)}</title>
${siteCss()}</head>
<body class="a-m-${mp.code.replace('.', '-')} a-aui_72554-c search">
<div id="a-page">
${navBar(mp, rng)}
<div id="search"><span class="rush-component s-latency-cf-section" data-component-type="s-search-results">
<div class="s-main-slot s-result-list s-search-results sg-row">
<div class="a-section a-spacing-small a-spacing-top-small"><span>${esc(mp.text.results(results.length, query))}</span></div>
${items}</div>
</span></div>
</div>
</body></html>
`;
}

/**
 * The store's front page: the products with their current prices, by marketplace (the first
 * `listed` of `total`), and the public wishlists.
 */
export function renderHomePage(
  listed: readonly ListedProduct[],
  marketplaces: readonly DemoMarketplace[],
  total = listed.length,
  wishlists: readonly Wishlist[] = [],
): string {
  const sections = marketplaces
    .map((mp) => {
      const rows = listed
        .filter((p) => p.item.marketplace.id === mp.id)
        .map(({ item, state }) => {
          const price = !(state.price && state.availability === 'in_stock')
            ? esc(mp.text.unavailable)
            : state.rangeMax
              ? `${esc(priceParts(state.price, mp.locale).text)} – ${esc(priceParts(state.rangeMax, mp.locale).text)}`
              : esc(priceParts(state.price, mp.locale).text);
          return `<tr><td><a href="${productPath(mp.code, item.asin)}">${esc(item.title)}</a></td><td>${esc(item.category.key)}</td><td data-amount="${state.price ? minorToDecimal(state.price.minor, state.price.currency) : ''}">${price}</td></tr>`;
        })
        .join('\n');
      return `<h2 id="mp-${mp.code}">${esc(mp.name)} (${mp.id}, ${mp.currency})</h2>
<table><thead><tr><th>Product</th><th>Category</th><th>Price</th></tr></thead><tbody>
${rows}
</tbody></table>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"/><title>Pricehawk demo store</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}td{padding:2px 8px}h2{margin-top:1.5em}</style></head>
<body><h1>Pricehawk demo store</h1>
<p>Simulated products in Amazon's page markup, for trying Pricehawk offline. Not affiliated with Amazon.</p>
<form action="/s" method="get"><input name="k" placeholder="Search products"/> <button>Search</button></form>
<p>${marketplaces.map((m) => `<a href="#mp-${m.code}">${esc(m.name)}</a>`).join(' · ')}</p>
${total > listed.length ? `<p>Showing the first ${listed.length} of ${total} products; <a href="/_admin/products?offset=0&amp;limit=100">/_admin/products</a> pages through all of them.</p>` : ''}
${wishlists.length > 0 ? `<h2>Wishlists</h2><ul>${wishlists.map((w) => `<li><a href="/hz/wishlist/ls/${w.id}">${esc(w.name)}</a> (${esc(w.marketplace.id)}, ${w.entries.length} items)</li>`).join('')}</ul>` : ''}
${sections}
</body></html>
`;
}
