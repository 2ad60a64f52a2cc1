/**
 * schema.org Product / Offer reading, shared by JSON-LD and microdata (microdata items are turned
 * into the same plain-object shape first). Nodes are untrusted JSON: every field is checked.
 */
import { isCurrencyCode, type ParsedPrice } from '../../money/index.js';
import { readAmount, readCurrency } from './amount.js';
import { readAvailability } from './availability.js';
import type { OfferFact, ProductFacts, StructuredSource } from './offers.js';
import { cleanText, sameTitle } from './text.js';

export type SchemaNode = Readonly<Record<string, unknown>>;

/** Resolves `{"@id": "#offer"}` references to the node defined elsewhere in the page. */
export type IdLookup = (id: string) => SchemaNode | undefined;

export function isNode(v: unknown): v is SchemaNode {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `@type` as local names: "Product", "http://schema.org/Product" and "schema:Product" alike. */
export function typesOf(node: SchemaNode): string[] {
  const t = node['@type'] ?? node['type'];
  const list = Array.isArray(t) ? t : [t];
  return list
    .filter((x): x is string => typeof x === 'string')
    .map((x) => x.split(/[/#:]/).pop() ?? x);
}

const PRODUCT_TYPES = new Set([
  'Product',
  'ProductGroup',
  'IndividualProduct',
  'ProductModel',
  'SomeProducts',
  'Vehicle',
  'Car',
  'Motorcycle',
]);
const OFFER_TYPES = new Set(['Offer', 'AggregateOffer']);
const LIST_PRICE_TYPES = new Set([
  'ListPrice',
  'StrikethroughPrice',
  'MSRP',
  'SRP',
  'SuggestedRetailPrice',
]);
const USED_CONDITIONS = new Set(['UsedCondition', 'RefurbishedCondition', 'DamagedCondition']);

/** A thing sold on the page: a Product type, or any other typed node that carries offers. */
export function isProductLike(node: SchemaNode): boolean {
  const types = typesOf(node);
  if (types.some((t) => PRODUCT_TYPES.has(t))) return true;
  return types.length > 0 && !types.some((t) => OFFER_TYPES.has(t)) && node['offers'] != null;
}

export function isOfferLike(node: SchemaNode): boolean {
  return typesOf(node).some((t) => OFFER_TYPES.has(t));
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v == null ? [] : [v];
}

function resolve(v: unknown, lookup: IdLookup): unknown {
  if (isNode(v) && typeof v['@id'] === 'string' && Object.keys(v).length <= 2 && !v['@type']) {
    return lookup(v['@id']) ?? v;
  }
  return v;
}

/** A text field that may arrive as a string, a number, `{"@value": …}` or a list of those. */
function text(v: unknown): string | null {
  for (const x of asList(v)) {
    if (typeof x === 'string') return x;
    if (isNode(x) && typeof x['@value'] === 'string') return x['@value'];
  }
  return null;
}

function imageOf(v: unknown): string | null {
  for (const x of asList(v)) {
    if (typeof x === 'string' && x.trim()) return x.trim();
    if (isNode(x)) {
      const u = text(x['url']) ?? text(x['contentUrl']) ?? text(x['@id']);
      if (u) return u.trim();
    }
  }
  return null;
}

export interface ReadContext {
  readonly source: StructuredSource;
  readonly lookup: IdLookup;
  readonly locale: string | undefined;
}

const MAX_DEPTH = 6;

function currencyOf(node: SchemaNode, inherited: string | null): string | null {
  return readCurrency(text(node['priceCurrency']), isCurrencyCode) ?? inherited;
}

/** Reads `priceSpecification`: a sale or plain price, and a list / strike-through price. */
function readSpecs(
  v: unknown,
  currency: string | null,
  ctx: ReadContext,
): { price: ParsedPrice | null; list: ParsedPrice | null } {
  let price: ParsedPrice | null = null;
  let list: ParsedPrice | null = null;
  for (const raw of asList(v)) {
    const spec = resolve(raw, ctx.lookup);
    if (!isNode(spec)) continue;
    // A price per kilo or per 100 ml is not the price of the item.
    const unit = isNode(spec['referenceQuantity'])
      ? text(spec['referenceQuantity']['unitCode'])
      : null;
    if (spec['referenceQuantity'] != null && unit !== 'C62') continue;
    const amount = readAmount(
      text(spec['price']) ?? text(spec['minPrice']),
      currencyOf(spec, currency),
      ctx.locale,
    );
    const kind = (text(spec['priceType']) ?? '').split(/[/#:]/).pop() ?? '';
    if (LIST_PRICE_TYPES.has(kind)) list ??= amount;
    else price ??= amount;
  }
  return { price, list };
}

function readOffer(node: SchemaNode, currency: string | null, ctx: ReadContext): OfferFact {
  const cur = currencyOf(node, currency);
  const specs = readSpecs(node['priceSpecification'], cur, ctx);
  const condition = (text(node['itemCondition']) ?? '').split(/[/#:]/).pop() ?? '';
  return {
    price: readAmount(text(node['price']), cur, ctx.locale) ?? specs.price,
    currency: cur,
    listPrice: specs.list,
    availability: readAvailability(text(node['availability'])),
    used: USED_CONDITIONS.has(condition),
  };
}

/**
 * Offers, flattened: an AggregateOffer contributes its nested offers when it lists them, and its
 * low and high prices otherwise (so the range survives and the low price becomes the price).
 */
export function collectOffers(
  value: unknown,
  currency: string | null,
  ctx: ReadContext,
  depth = 0,
): OfferFact[] {
  if (depth > MAX_DEPTH) return [];
  const out: OfferFact[] = [];
  for (const raw of asList(value)) {
    const node = resolve(raw, ctx.lookup);
    if (!isNode(node)) continue;
    if (!typesOf(node).includes('AggregateOffer')) {
      out.push(readOffer(node, currency, ctx));
      continue;
    }
    const cur = currencyOf(node, currency);
    const nested = collectOffers(node['offers'], cur, ctx, depth + 1);
    if (nested.some((o) => o.price)) {
      out.push(...nested);
      continue;
    }
    const availability = readAvailability(text(node['availability']));
    const base = { currency: cur, listPrice: null, availability, used: false };
    const low = readAmount(text(node['lowPrice']) ?? text(node['price']), cur, ctx.locale);
    const high = readAmount(text(node['highPrice']), cur, ctx.locale);
    out.push({ ...base, price: low });
    if (high && high.amount !== low?.amount) out.push({ ...base, price: high });
  }
  return out;
}

/** Offers of a product, of its variants (ProductGroup.hasVariant), or the product's own price. */
function productOffers(node: SchemaNode, ctx: ReadContext, depth: number): OfferFact[] {
  const own = collectOffers(node['offers'], null, ctx);
  const variants = asList(node['hasVariant']).flatMap((v) => {
    const variant = resolve(v, ctx.lookup);
    return isNode(variant) && depth < MAX_DEPTH ? productOffers(variant, ctx, depth + 1) : [];
  });
  if (own.length + variants.length === 0 && (node['price'] != null || node['lowPrice'] != null)) {
    // Non-standard but common: price fields written straight onto the Product.
    return collectOffers({ ...node, '@type': 'AggregateOffer', offers: undefined }, null, ctx);
  }
  return [...own, ...variants];
}

export function readProduct(node: SchemaNode, ctx: ReadContext): ProductFacts {
  const sku = ['sku', 'productID', 'mpn', 'gtin13', 'gtin12', 'gtin14', 'gtin8', 'gtin']
    .map((k) => text(node[k]))
    .find((v) => v && v.trim());
  return {
    source: ctx.source,
    name: cleanText(text(node['name'])),
    image: imageOf(node['image']),
    url: text(node['url']) ?? text(node['@id']),
    sku: sku?.trim() ?? null,
    offers: productOffers(node, ctx, 0),
  };
}

export interface PageIdentity {
  /** The page's canonical URL, if known. */
  readonly url: string | null;
  /** Titles the page gives itself (og:title, headings), to tell the main product from others. */
  readonly titles: readonly string[];
}

function urlKey(u: string): string {
  return u
    .toLowerCase()
    .replace(/^https?:\/\/(www\d*\.)?/, '')
    .replace(/[?#].*$/, '')
    .replace(/\/$/, '');
}

/**
 * The product the page is about when several are described (related items, bundles): the one at
 * the page's own URL, then the one named like the page, then one that has offers, then the first.
 */
export function chooseProduct(
  candidates: readonly SchemaNode[],
  page: PageIdentity,
): SchemaNode | null {
  let best: SchemaNode | null = null;
  let bestScore = -1;
  for (const node of candidates) {
    const url = text(node['url']);
    const name = text(node['name']);
    let score = 0;
    if (url && page.url && urlKey(url) === urlKey(page.url)) score += 4;
    if (name && page.titles.some((t) => sameTitle(name, t))) score += 2;
    if (node['offers'] != null || node['hasVariant'] != null) score += 1;
    if (score > bestScore) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}
