/**
 * One search box over the local catalogue and the marketplaces: the local search and each store
 * search run side by side; their results are merged and de-duplicated by (marketplace, ASIN),
 * and each result says whether the catalogue already has it (with its product id), so that it
 * can be watched in one step.
 */
import type { Queryable } from '../db/pool.js';
import type { Money } from '../money/index.js';
import type { ProductRecord } from './products.js';
import { searchCatalog, type CatalogHit } from './search.js';
import type { SourceStatus, StoreSearcher, StoreSearchOutcome } from './store-search.js';

export type SearchSource = 'local' | 'store';

export interface SearchRequest {
  readonly q: string;
  readonly marketplace?: string | undefined;
  /** Results per source kind: at most `limit` from the catalogue and `limit` from the stores. */
  readonly limit: number;
  readonly sources: ReadonlySet<SearchSource>;
  /** Store searches are for signed-in callers within their rate; otherwise why not. */
  readonly storeRefusal?: string | undefined;
  /** Marketplaces an ASIN typed as the query is looked up in (default: none). */
  readonly asinMarketplaces?: readonly string[];
}

export interface SearchResult {
  /** "marketplace:externalId", unique in one answer. */
  readonly key: string;
  readonly store: string;
  readonly marketplace: string;
  readonly externalId: string;
  /** The ASIN for Amazon and the demo store; null for other stores. */
  readonly asin: string | null;
  readonly url: string;
  readonly title: string | null;
  readonly imageUrl: string | null;
  readonly price: Money | null;
  readonly inCatalogue: boolean;
  readonly productId: number | null;
  readonly watchers: number | null;
  /** Where it was found: the catalogue, a store's search page, or both. */
  readonly foundIn: readonly SearchSource[];
  /** Catalogue rank (higher is better); null for results only a store returned. */
  readonly score: number | null;
  readonly sponsored: boolean;
}

export interface SourceReport {
  readonly source: SearchSource;
  /** The store searched; null for the catalogue. */
  readonly marketplace: string | null;
  readonly status: SourceStatus;
  readonly count: number;
  readonly message?: string | undefined;
  readonly cached?: boolean | undefined;
}

const ASIN = /^[A-Z0-9]{10}$/;

function priceOf(p: ProductRecord): Money | null {
  return p.price_buybox !== null && p.currency
    ? { minor: p.price_buybox, currency: p.currency }
    : null;
}

function fromProduct(
  p: ProductRecord,
  score: number | null,
  foundIn: SearchSource[],
): SearchResult {
  return {
    key: `${p.marketplace}:${p.external_id}`,
    store: p.store,
    marketplace: p.marketplace,
    externalId: p.external_id,
    asin: p.store !== 'structured' && ASIN.test(p.external_id) ? p.external_id : null,
    url: p.url,
    title: p.title,
    imageUrl: p.image_url,
    price: priceOf(p),
    inCatalogue: true,
    productId: p.id,
    watchers: p.watcher_count,
    foundIn,
    score,
    sponsored: false,
  };
}

/**
 * Catalogue hits in rank order, then store hits taken from each store in turn (first result of
 * each, then the second…), each key once. A store hit of a product the catalogue has becomes that
 * product (its tracked price, its id); one the catalogue also found adds "store" to its origins.
 */
export function mergeResults(
  local: readonly CatalogHit[],
  stores: readonly StoreSearchOutcome[],
  known: ReadonlyMap<string, ProductRecord>,
  limit: number,
): SearchResult[] {
  const out: SearchResult[] = [];
  const index = new Map<string, number>();
  for (const h of local.slice(0, limit)) {
    const r = fromProduct(h.product, h.score, ['local']);
    if (index.has(r.key)) continue;
    index.set(r.key, out.length);
    out.push(r);
  }
  let added = 0;
  const longest = Math.max(0, ...stores.map((s) => s.hits.length));
  for (let i = 0; i < longest && added < limit; i++) {
    for (const s of stores) {
      const h = s.hits[i];
      if (!h || added >= limit) continue;
      const key = `${h.marketplace}:${h.asin}`;
      const at = index.get(key);
      if (at !== undefined) {
        const prev = out[at] as SearchResult;
        if (!prev.foundIn.includes('store')) {
          out[at] = {
            ...prev,
            foundIn: [...prev.foundIn, 'store'],
            price: prev.price ?? h.price,
            title: prev.title ?? h.title,
            imageUrl: prev.imageUrl ?? h.imageUrl,
          };
        }
        continue;
      }
      const product = known.get(key);
      const r: SearchResult = product
        ? {
            ...fromProduct(product, null, ['store']),
            price: priceOf(product) ?? h.price,
            title: product.title ?? h.title,
            imageUrl: product.image_url ?? h.imageUrl,
            sponsored: h.sponsored,
          }
        : {
            key,
            store: h.store,
            marketplace: h.marketplace,
            externalId: h.asin,
            asin: h.asin,
            url: h.url,
            title: h.title,
            imageUrl: h.imageUrl,
            price: h.price,
            inCatalogue: false,
            productId: null,
            watchers: null,
            foundIn: ['store'],
            score: null,
            sponsored: h.sponsored,
          };
      index.set(key, out.length);
      out.push(r);
      added++;
    }
  }
  return out;
}

/** Products of the catalogue among (marketplace, external id) pairs, by "marketplace:id". */
export async function productsByKeys(
  db: Queryable,
  keys: ReadonlyArray<{ marketplace: string; externalId: string }>,
): Promise<Map<string, ProductRecord>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<ProductRecord>(
    `select p.* from unnest($1::text[], $2::text[]) k(marketplace, external_id)
       join products p on p.marketplace = k.marketplace and p.external_id = k.external_id`,
    [keys.map((k) => k.marketplace), keys.map((k) => k.externalId)],
  );
  return new Map(rows.map((p) => [`${p.marketplace}:${p.external_id}`, p]));
}

/**
 * The catalogue's hits; a query that is an ASIN also finds that product directly (titles do not
 * contain their ASIN), ahead of the text matches.
 */
async function localSearch(db: Queryable, req: SearchRequest): Promise<CatalogHit[]> {
  const text = searchCatalog(db, { q: req.q, marketplace: req.marketplace, limit: req.limit });
  const asin = req.q.trim().toUpperCase();
  if (!ASIN.test(asin) || !req.asinMarketplaces?.length) return text;
  const markets = req.marketplace
    ? req.asinMarketplaces.filter((m) => m === req.marketplace)
    : req.asinMarketplaces;
  const [direct, hits] = await Promise.all([
    productsByKeys(
      db,
      markets.map((marketplace) => ({ marketplace, externalId: asin })),
    ),
    text,
  ]);
  const exact: CatalogHit[] = [...direct.values()].map((product) => ({
    product,
    score: 10,
    allWords: true,
  }));
  const seen = new Set(exact.map((h) => h.product.id));
  return [...exact, ...hits.filter((h) => !seen.has(h.product.id))].slice(0, req.limit);
}

export interface SearchEverywhereDeps {
  readonly db: Queryable;
  readonly stores: StoreSearcher | undefined;
}

export async function searchEverywhere(
  deps: SearchEverywhereDeps,
  req: SearchRequest,
): Promise<{ results: SearchResult[]; sources: SourceReport[] }> {
  const reports: SourceReport[] = [];
  const localWork = req.sources.has('local') ? localSearch(deps.db, req) : Promise.resolve([]);

  let storeWork: Promise<StoreSearchOutcome[]> = Promise.resolve([]);
  const storeReports: SourceReport[] = [];
  if (req.sources.has('store')) {
    const searcher = deps.stores;
    const targets = req.marketplace ? [req.marketplace] : (searcher?.defaultMarketplaces() ?? []);
    const refusal =
      req.storeRefusal ?? (searcher ? undefined : 'store search is not available here');
    if (refusal || !searcher) {
      for (const m of targets.length > 0 ? targets : [null]) {
        storeReports.push({
          source: 'store',
          marketplace: m,
          status: 'skipped',
          count: 0,
          message: refusal,
        });
      }
    } else {
      storeWork = Promise.all(
        targets.map((m) =>
          searcher.searchable(m)
            ? searcher.search(m, req.q, req.limit)
            : Promise.resolve<StoreSearchOutcome>({
                marketplace: m,
                status: 'skipped',
                hits: [],
                message: 'this store has no search Pricehawk can read',
              }),
        ),
      );
    }
  }

  const [local, stores] = await Promise.all([localWork, storeWork]);
  if (req.sources.has('local')) {
    reports.push({ source: 'local', marketplace: null, status: 'ok', count: local.length });
  }
  for (const s of stores) {
    reports.push({
      source: 'store',
      marketplace: s.marketplace,
      status: s.status,
      count: s.hits.length,
      message: s.message,
      cached: s.cached,
    });
  }
  reports.push(...storeReports);

  const known = await productsByKeys(
    deps.db,
    stores.flatMap((s) => s.hits.map((h) => ({ marketplace: h.marketplace, externalId: h.asin }))),
  );
  return { results: mergeResults(local, stores, known, req.limit), sources: reports };
}
