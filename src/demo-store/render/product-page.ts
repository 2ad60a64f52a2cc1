/**
 * A whole product page: the widgets of sections.ts in the order of the product's layout, wrapped in
 * the weight real pages carry (inline CSS and scripts) so that the page is 0.8–1.2 MB with the
 * first price 21–29% of the way in, as on amazon.* today.
 */
import type { CatalogueItem } from '../catalogue.js';
import { LAYOUTS } from '../layouts.js';
import type { ProductState } from '../moves.js';
import { createRng, mix, type Rng } from '../prng.js';
import { bootScripts, cssText, lowerId, requestId, scripts, siteCss } from './filler.js';
import { esc, jsonScript } from './html.js';
import {
  bookDescription,
  ebooksImageBlock,
  kindleCentreFormats,
  kindleRightColumn,
} from './kindle.js';
import { legacyBuyBox, legacyCentreExtras, legacyPriceBlock } from './legacy.js';
import {
  breadcrumbs,
  buyBox,
  canonicalAndTitle,
  carousel,
  centrePrice,
  featureBullets,
  footer,
  imageBlock,
  navBar,
  productDetails,
  reviews,
  titleBlock,
  type PageContext,
} from './sections.js';
import { markShared } from './shared-parts.js';
import { partialBuyBox, twister, variationPrice } from './variation.js';

export interface ProductPageInput {
  readonly item: CatalogueItem;
  readonly state: ProductState;
  /** Origin the request came to ("http://127.0.0.1:3001"): canonical and image URLs use it. */
  readonly origin: string;
  /** Other products of the same marketplace, shown in the carousels. */
  readonly neighbours: readonly CatalogueItem[];
}

// Section salts: each part of the page draws from its own stream so that a price change re-renders
// the buy box without reshuffling the filler around it.
const SALT = {
  layout: 1,
  nav: 2,
  image: 3,
  buybox: 4,
  centre: 5,
  details: 6,
  sponsored: 7,
  sims: 8,
  reviews: 9,
  headPad: 10,
  midPad: 11,
  tailPad: 12,
  state: 13,
} as const;

interface Tier {
  readonly css: Buffer[];
  readonly js: Buffer[];
  /** Bytes of padding still to fill above which this tier's blocks are used. */
  readonly above: number;
}

let pool: Tier[] | undefined;

/**
 * Filler blocks shared by all pages, kept UTF-8 encoded and marked shared: each is compressed
 * once (shared-parts.ts) and every page's gzip body points at the same compressed bytes. Pages
 * pick their own sequence from the pools, so each page differs from the next while rendering
 * costs a list of references. Compressed alone, a block loses the matches deflate would have
 * found in the block before it: 48 KB chunks lose little, 3 KB blocks about half their ratio, so
 * paddings are filled with the biggest blocks that fit and finished with smaller ones.
 */
function pools(): Tier[] {
  if (!pool) {
    const rng = createRng(0xf111e5);
    const make = (n: number, f: () => string): Buffer[] =>
      Array.from({ length: n }, () => markShared(Buffer.from(f())));
    const tier = (n: number, size: number, above: number): Tier => ({
      css: make(Math.ceil(n * 0.4), () => `<style>${cssText(rng, size)}</style>\n`),
      js: make(n, () => scripts(rng, size)),
      above,
    });
    pool = [tier(20, 48_000, 48_000), tier(24, 12_000, 12_000), tier(48, 2_800, 0)];
  }
  return pool;
}

function padding(rng: Rng, bytes: number, cssShare: number): Buffer[] {
  const out: Buffer[] = [];
  let size = 0;
  for (const t of pools()) {
    while (size < bytes && bytes - size > t.above) {
      const block = rng.chance(cssShare) ? rng.pick(t.css) : rng.pick(t.js);
      out.push(block);
      size += block.length;
    }
  }
  return out;
}

/** Widget state scripts (`type="a-state"`) of the kind real pages end with. */
function stateScripts(ctx: PageContext, count: number): string {
  const { item, rng } = ctx;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const key = rng.pick([
      'dp-fast-track-state',
      'acrPopover-state',
      'twister-js-init-dpx-data',
      'rhf-shoveler-state',
      'aplus-module-state',
      'nav-flyout-state',
    ]);
    const entries: Record<string, unknown> = {};
    const n = rng.int(8, 40);
    for (let e = 0; e < n; e++) {
      entries[`${rng.pick(['asin', 'slot', 'widget', 'weblab', 'metric', 'page'])}${e}`] =
        rng.chance(0.5) ? `${item.asin}:${lowerId(rng, rng.int(4, 16))}` : rng.int(0, 100000);
    }
    out.push(
      `<script type="a-state" data-a-state="{&quot;key&quot;:&quot;${key}&quot;}">${jsonScript({ requestId: requestId(rng), asin: item.asin, entries })}</script>\n`,
    );
  }
  return out.join('');
}

function pickSome<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const out: T[] = [];
  if (items.length === 0) return out;
  const start = rng.int(0, items.length - 1);
  for (let i = 0; i < Math.min(count, items.length); i++) {
    out.push(items[(start + i * 7) % items.length] as T);
  }
  return out;
}

/**
 * The page as a list of UTF-8 parts. Most parts are the shared filler buffers themselves, so a
 * cached page costs only its own markup (~0.2 MB) and the server writes it without copying.
 */
export function renderProductPageParts(input: ProductPageInput): Buffer[] {
  const { item, state, origin, neighbours } = input;
  const mp = item.marketplace;
  const ctxFor = (salt: number): PageContext => ({
    item,
    state,
    origin,
    mp,
    rng: createRng(mix(item.seed, salt)),
  });

  const layoutRng = ctxFor(SALT.layout).rng;
  const targetTotal = layoutRng.int(820_000, 1_180_000);
  const priceAt = layoutRng.int(210, 290) / 1000;

  const headStart: Part[] = [
    `<!doctype html><html lang="${mp.htmlLang}" class="a-no-js" data-19ax5a9jf="dingo"><!-- sp:feature:head-start -->
<head><script>var aPageStart = (new Date()).getTime();</script><meta charset="utf-8"/>
<!-- sp:end-feature:head-start -->
`,
    sharedHead().boot,
    `<meta http-equiv='x-dns-prefetch-control' content='on'>
<link rel="dns-prefetch" href="${esc(origin)}">
`,
    sharedHead().css,
  ];
  const bodyStart = `</head>
<body class="a-m-${mp.code.replace('.', '-')} a-aui_72554-c a-aui_a11y_6_837773-c a-aui_killswitch_csa_logger_372963-c dp">
<div id="a-page">
${navBar(mp, ctxFor(SALT.nav).rng)}${canonicalAndTitle(ctxFor(SALT.nav))}<div id="dp" class="${item.category.key} ${mp.htmlLang}"><div id="dp-container" class="a-container" role="main">
${breadcrumbs(ctxFor(SALT.nav))}<div id="ppd">
`;

  const rightCol = `<div id="rightCol" class="rightCol">
${rightColumn(ctxFor(SALT.buybox))}</div>
`;
  const leftCol = `<div id="leftCol" class="a-column a-span3 dp_aib_left_column_t1">
${leftColumn(ctxFor(SALT.image))}</div>
`;
  const centreCol = `<div id="centerCol" class="centerColAlign">
${centreColumn(ctxFor(SALT.centre))}</div>
`;
  const midRng = ctxFor(SALT.midPad).rng;
  const mid = (): Buffer[] => padding(midRng, midRng.int(4_000, 16_000), 0.3);

  // The first price on the page opens the part after `beforePrice`.
  let beforePrice: Part[];
  let fromPrice: Part[];
  if (LAYOUTS[item.layout].order === 'right-first') {
    beforePrice = [];
    fromPrice = [rightCol, ...mid(), leftCol, ...mid(), centreCol];
  } else {
    beforePrice = [leftCol, ...mid(), centreBeforePrice(centreCol)];
    fromPrice = [centreFromPrice(centreCol), ...mid(), rightCol];
  }

  const d = ctxFor(SALT.details);
  const sponsoredCtx = ctxFor(SALT.sponsored);
  const simsCtx = ctxFor(SALT.sims);
  const reviewsCtx = ctxFor(SALT.reviews);
  const below = [
    `</div>\n`,
    productDetails(d),
    carousel(
      sponsoredCtx,
      pickSome(sponsoredCtx.rng, neighbours, sponsoredCtx.rng.int(10, 20)),
      'sponsored',
    ),
    carousel(simsCtx, pickSome(simsCtx.rng, neighbours, simsCtx.rng.int(10, 20)), 'sims'),
    reviews(reviewsCtx, reviewsCtx.rng.int(5, 12)),
    `</div></div>\n`,
    stateScripts(ctxFor(SALT.state), 30),
  ].join('');
  const end = `${footer(mp)}</div>
<script type="text/javascript">window.ue_t0 && ue.tag && ue.tag('dp'); if (window.ue && ue.count) { ue.count('dp:pageComplete', 1); }</script>
</body></html>
`;

  const head = encode(...headStart);
  const body = Buffer.from(bodyStart);
  const before = encode(...beforePrice);
  const after = encode(...fromPrice, below);
  const closing = Buffer.from(end);
  const fixedBefore = byteLength(head) + body.length + byteLength(before);
  const fixedAfter = byteLength(after) + closing.length;
  const headPad = Math.max(0, Math.round(priceAt * targetTotal) - fixedBefore);
  const tailPad = Math.max(0, targetTotal - fixedBefore - headPad - fixedAfter);

  return [
    ...head,
    ...padding(ctxFor(SALT.headPad).rng, headPad, 0.45),
    body,
    ...before,
    ...after,
    ...padding(ctxFor(SALT.tailPad).rng, tailPad, 0.2),
    closing,
  ];
}

function rightColumn(ctx: PageContext): string {
  switch (ctx.item.layout) {
    case 'legacy-ourprice':
    case 'legacy-saleprice':
    case 'legacy-deal':
      return legacyBuyBox(ctx);
    case 'kindle-2017':
    case 'kindle-2024':
      return kindleRightColumn(ctx);
    case 'variation-parent':
      return partialBuyBox(ctx);
    default:
      return buyBox(ctx);
  }
}

function leftColumn(ctx: PageContext): string {
  return ctx.item.layout === 'kindle-2017' ? ebooksImageBlock(ctx) : imageBlock(ctx);
}

function centreColumn(ctx: PageContext): string {
  switch (ctx.item.layout) {
    case 'legacy-ourprice':
    case 'legacy-saleprice':
    case 'legacy-deal':
      return (
        titleBlock(ctx) + legacyPriceBlock(ctx) + legacyCentreExtras(ctx) + featureBullets(ctx)
      );
    case 'kindle-2017':
      // The description closes the top of an ebook page: it comes last.
      return (
        titleBlock(ctx, 'ebooksProductTitle') + kindleCentreFormats(ctx) + bookDescription(ctx)
      );
    case 'kindle-2024':
      return titleBlock(ctx) + bookDescription(ctx);
    case 'variation-parent':
      return titleBlock(ctx) + variationPrice(ctx) + twister(ctx) + featureBullets(ctx);
    default:
      return titleBlock(ctx) + centrePrice(ctx) + featureBullets(ctx);
  }
}

export function renderProductPageBuffer(input: ProductPageInput): Buffer {
  return Buffer.concat(renderProductPageParts(input));
}

/** The page as a string, for tests and tools that read HTML. */
export function renderProductPage(input: ProductPageInput): string {
  return renderProductPageBuffer(input).toString('utf8');
}

type Part = string | Buffer;

let headBuffers: { boot: Buffer; css: Buffer } | undefined;

/** The head every page shares, encoded (and compressed) once. */
function sharedHead(): { boot: Buffer; css: Buffer } {
  headBuffers ??= {
    boot: markShared(Buffer.from(bootScripts())),
    css: markShared(Buffer.from(siteCss())),
  };
  return headBuffers;
}

function encode(...parts: Part[]): Buffer[] {
  return parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p));
}

function byteLength(parts: readonly Buffer[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

// In the centre-first layouts the title comes before the price; the split keeps the price marker
// at the price widget rather than at the column start.
const PRICE_ANCHOR = '<div id="desktop_unifiedPrice"';

function centreBeforePrice(centreCol: string): string {
  const i = centreCol.indexOf(PRICE_ANCHOR);
  return i < 0 ? centreCol : centreCol.slice(0, i);
}

function centreFromPrice(centreCol: string): string {
  const i = centreCol.indexOf(PRICE_ANCHOR);
  return i < 0 ? '' : centreCol.slice(i);
}
