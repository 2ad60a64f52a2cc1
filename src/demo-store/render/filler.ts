/**
 * The bulk of a product page. Real Amazon pages are 0.5–1.6 MB, mostly inline CSS, inline
 * scripts, JSON widget state and repeated carousel markup; the price sits a quarter of the way in.
 * A fetcher that stops early, an extractor that scans with indexOf and the benchmarks all behave
 * differently on a 20 KB page, so the demo pages carry the same kind of weight: generated from
 * small vocabularies (compressible like the real thing, about 5:1), seeded so each page is stable.
 */
import { createRng, type Rng } from '../prng.js';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM_LOWER = '0123456789abcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';

export function token(rng: Rng, length: number, alphabet = ALNUM): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

export const requestId = (rng: Rng): string => token(rng, 20);
export const hexId = (rng: Rng, length: number): string => token(rng, length, HEX);
export const lowerId = (rng: Rng, length: number): string => token(rng, length, ALNUM_LOWER);

const PREFIXES = ['a', 'aok', 'nav', 'dp', 'sp', 'apex', 'rhf', 'acr', 'cr', 'twister', 'ivx'];
const WORDS = [
  'section',
  'spacing',
  'row',
  'column',
  'carousel',
  'card',
  'badge',
  'title',
  'image',
  'button',
  'link',
  'popover',
  'divider',
  'grid',
  'list',
  'label',
  'text',
  'icon',
  'container',
  'header',
  'footer',
  'widget',
  'truncate',
  'expander',
  'declarative',
  'modal',
  'sheet',
];
const MODIFIERS = [
  'small',
  'base',
  'large',
  'mini',
  'micro',
  'top',
  'bottom',
  'left',
  'right',
  'inner',
  'outer',
  'hidden',
  'active',
  'selected',
  'primary',
  'secondary',
  'normal',
  'wide',
];
const PROPERTIES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['margin', ['0', '0 0 4px', '0 auto', '4px 0', '0 0 14px', '-1px 0 0']],
  ['padding', ['0', '4px 8px', '0 10px', '14px 18px', '2px']],
  ['font-size', ['11px', '12px', '13px', '14px', '17px', '21px', '28px']],
  ['line-height', ['16px', '19px', '20px', '24px', '32px', '1.3']],
  ['color', ['#0F1111', '#565959', '#007185', '#C7511F', '#B12704', '#CC0C39', '#067D62']],
  ['display', ['block', 'inline-block', 'none', 'flex', 'table-cell', 'inline']],
  ['position', ['relative', 'absolute', 'static']],
  ['width', ['100%', 'auto', '50%', '160px', '24px', 'inherit']],
  ['height', ['auto', '100%', '32px', '200px', '1px']],
  ['border', ['0', '1px solid #D5D9D9', '1px solid #e7e7e7', 'none']],
  ['border-radius', ['4px', '8px', '100px', '0']],
  ['background-color', ['#fff', '#F0F2F2', '#FFD814', '#F7FAFA', 'transparent']],
  ['vertical-align', ['middle', 'top', 'baseline']],
  ['text-align', ['left', 'center', 'right']],
  ['overflow', ['hidden', 'visible', 'auto']],
  ['white-space', ['nowrap', 'normal']],
  ['font-weight', ['400', '700', 'bold', 'normal']],
  ['z-index', ['1', '2', '10', '100']],
];

function className(rng: Rng): string {
  const parts = [rng.pick(PREFIXES), rng.pick(WORDS)];
  if (rng.chance(0.7)) parts.push(rng.pick(MODIFIERS));
  if (rng.chance(0.2)) parts.push(rng.pick(WORDS));
  return parts.join('-');
}

function cssRule(rng: Rng): string {
  let selector = '.' + className(rng);
  if (rng.chance(0.4)) selector += ' .' + className(rng);
  if (rng.chance(0.15)) selector += ':hover';
  if (rng.chance(0.2)) selector += ',.' + className(rng);
  const decls: string[] = [];
  const n = rng.int(1, 5);
  for (let i = 0; i < n; i++) {
    const [prop, values] = rng.pick(PROPERTIES);
    decls.push(`${prop}:${rng.pick(values)}${rng.chance(0.08) ? '!important' : ''}`);
  }
  return `${selector}{${decls.join(';')}}`;
}

/** Roughly `chars` of CSS rules (minified like Amazon's bundles, with some media queries). */
export function cssText(rng: Rng, chars: number): string {
  const out: string[] = [];
  let size = 0;
  while (size < chars) {
    let rule = cssRule(rng);
    if (rng.chance(0.05)) {
      rule = `@media (max-width:${rng.pick(['1000', '1280', '767', '480'])}px){${rule}${cssRule(rng)}}`;
    }
    out.push(rule);
    size += rule.length;
  }
  return out.join('');
}

const FEATURE_NAMES = [
  'imageBlock',
  'twister',
  'buybox',
  'acrSummary',
  'productOverview',
  'featurebullets',
  'aplus',
  'customerReviews',
  'sims',
  'detailBullets',
  'productDetails',
  'askWidget',
  'dealBadge',
  'deliveryBlock',
  'navFooter',
  'sponsoredProducts',
];
const JS_IDENTS = [
  'featureName',
  'widget',
  'element',
  'options',
  'config',
  'state',
  'metrics',
  'container',
  'handler',
  'timeout',
  'callback',
  'response',
  'params',
  'result',
  'index',
  'items',
];
const JS_EVENTS = ['click', 'mouseover', 'focus', 'scroll', 'resize', 'touchstart', 'keydown'];

function jsStatement(rng: Rng, depth: number): string {
  const a = rng.pick(JS_IDENTS);
  const b = rng.pick(JS_IDENTS);
  const f = rng.pick(FEATURE_NAMES);
  switch (rng.int(0, 7)) {
    case 0:
      return `var ${a} = ${b} || {};`;
    case 1:
      return `if (typeof window.ue !== 'undefined' && ue.count) { ue.count("dp:widget:${f}:${a}", ${rng.int(0, 99)}); }`;
    case 2:
      return `${a}.${b} = "${f}-${rng.pick(MODIFIERS)}";`;
    case 3:
      return `A.on("${f}:${rng.pick(JS_EVENTS)}", function (${a}) { ${depth < 2 ? jsStatement(rng, depth + 1) : 'return;'} });`;
    case 4:
      return `if (${a} && ${a}.${b}) { ${depth < 2 ? jsStatement(rng, depth + 1) : `${a}.${b}();`} }`;
    case 5:
      return `var ${a} = $("#${f}_feature_div").find(".${className(rng)}");`;
    case 6:
      return `window.setTimeout(function () { ${depth < 2 ? jsStatement(rng, depth + 1) : `${a} = null;`} }, ${rng.pick([0, 50, 100, 250, 1000])});`;
    default:
      return `${a}.push({ "name": "${f}", "${b}": ${rng.int(0, 9999)}, "enabled": ${rng.chance(0.5)} });`;
  }
}

/** An inline script in the shape of Amazon's P.when(…).execute(…) modules. */
export function scriptModule(rng: Rng, statements: number): string {
  const f = rng.pick(FEATURE_NAMES);
  const body: string[] = [];
  for (let i = 0; i < statements; i++) body.push('    ' + jsStatement(rng, 0));
  return `<script type="text/javascript">\nP.when('A', '${rng.pick(['ready', 'load', 'cf', 'atf'])}').execute('${f}-${rng.pick(MODIFIERS)}', function (A) {\n    var $ = A.$;\n${body.join('\n')}\n});\n</script>\n`;
}

export function scripts(rng: Rng, chars: number): string {
  const out: string[] = [];
  let size = 0;
  while (size < chars) {
    const s = scriptModule(rng, rng.int(4, 30));
    out.push(s);
    size += s.length;
  }
  return out.join('');
}

/** A feature div the way the page framework wraps every widget. */
export function featureDiv(id: string, asin: string, inner: string): string {
  const name = id.replace(/_feature_div$/, '');
  return `<div id="${id}" class="celwidget" data-feature-name="${name}"\n                 data-csa-c-type="widget" data-csa-c-content-id="${name}"\n                 data-csa-c-slot-id="${id}" data-csa-c-asin="${asin}"\n                 data-csa-c-is-in-initial-active-row="false">\n${inner}\n</div>\n`;
}

/** Empty feature placeholders: real pages carry dozens of them around the price. */
export function emptyFeatures(asin: string, ids: readonly string[]): string {
  return ids.map((id) => featureDiv(id, asin, '')).join('');
}

let sharedCss: string | undefined;

/**
 * The site-wide stylesheet every page inlines. Shared and computed once: identical on every
 * product, as on Amazon, and it costs nothing per render.
 */
export function siteCss(): string {
  sharedCss ??= `<style>${cssText(createRng(0x5eed_c55), 70_000)}</style>\n`;
  return sharedCss;
}

let sharedBoot: string | undefined;

/** The boot scripts at the top of every page (timing, CSM, the module loader). */
export function bootScripts(): string {
  sharedBoot ??= [
    `<script type='text/javascript'>var ue_t0=ue_t0||+new Date();</script>\n`,
    `<script type='text/javascript'>\nwindow.ue_ihb = (window.ue_ihb || window.ueinit || 0) + 1;\nif (window.ue_ihb === 1) {\nvar ue_csm = window,\n    ue_hob = +new Date();\n(function(d){var e=d.ue=d.ue||{},f=Date.now||function(){return+new Date};e.d=function(b){return f()-(b?0:d.ue_t0)};e.stub=function(b,a){if(!b[a]){var c=[];b[a]=function(){c.push([c.slice.call(arguments),e.d(),d.ue_id])};b[a].replay=function(b){for(var a;a=c.shift();)b(a[0],a[1],a[2])};b[a].isStub=1}};e.exec=function(b,a){return function(){try{return b.apply(this,arguments)}catch(c){ueLogError(c,{attribution:a||"undefined",logLevel:"WARN"})}}}})(ue_csm);\n}\n</script>\n`,
    scripts(createRng(0xb007), 24_000),
  ].join('');
  return sharedBoot;
}
