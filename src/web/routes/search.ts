import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hitLimits } from '../../accounts/index.js';
import {
  createStoreSearcher,
  searchEverywhere,
  type SearchResult,
  type SearchSource,
  type StoreSearcher,
} from '../../catalog/index.js';
import { AppError } from '../../errors.js';
import { toDecimal } from '../../money/index.js';
import type { WebDeps } from '../app.js';
import { ErrorJson, MoneyJson } from '../presenters.js';

export interface SearchRouteOptions {
  /** Default: Amazon's and the demo store's search pages through deps.fetcher. */
  readonly storeSearcher?: StoreSearcher;
  /** Store searches per signed-in user per minute (default 30); local search is not limited. */
  readonly storeSearchesPerMinute?: number;
}

const SOURCES = /^(local|store)(,(local|store))*$/;

export const SearchResultJson = z
  .object({
    key: z.string().meta({ description: 'marketplace:externalId, unique in one answer' }),
    store: z.string(),
    marketplace: z.string(),
    externalId: z.string(),
    asin: z.string().nullable(),
    url: z.string(),
    title: z.string().nullable(),
    imageUrl: z.string().nullable(),
    price: MoneyJson.nullable(),
    inCatalogue: z.boolean(),
    productId: z.number().int().nullable().meta({
      description: 'Set when the catalogue has it: POST /watches takes it as it is',
    }),
    watchers: z.number().int().nullable(),
    foundIn: z.array(z.enum(['local', 'store'])),
    score: z
      .number()
      .nullable()
      .meta({ description: 'Catalogue rank; null for store-only results' }),
    sponsored: z.boolean(),
    add: z
      .union([
        z.object({ marketplace: z.string(), asin: z.string() }),
        z.object({ url: z.string() }),
      ])
      .meta({ description: 'The body of POST /products that adds (or finds) this product' }),
  })
  .meta({ id: 'SearchResult' });

const SourceJson = z
  .object({
    source: z.enum(['local', 'store']),
    marketplace: z.string().nullable(),
    status: z.enum(['ok', 'blocked', 'error', 'timeout', 'skipped']),
    count: z.number().int(),
    message: z.string().optional(),
    cached: z.boolean().optional(),
  })
  .meta({ id: 'SearchSource' });

function resultJson(r: SearchResult): z.infer<typeof SearchResultJson> {
  return {
    key: r.key,
    store: r.store,
    marketplace: r.marketplace,
    externalId: r.externalId,
    asin: r.asin,
    url: r.url,
    title: r.title,
    imageUrl: r.imageUrl,
    price: r.price ? toDecimal(r.price) : null,
    inCatalogue: r.inCatalogue,
    productId: r.productId,
    watchers: r.watchers,
    foundIn: [...r.foundIn],
    score: r.score === null ? null : Math.round(r.score * 1000) / 1000,
    sponsored: r.sponsored,
    add: r.asin ? { marketplace: r.marketplace, asin: r.asin } : { url: r.url },
  };
}

export const searchRoutes =
  (deps: WebDeps, opts: SearchRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const searcher =
      opts.storeSearcher ??
      createStoreSearcher({
        fetcher: deps.fetcher,
        stores: deps.stores,
        logger: deps.logger,
        clock: deps.clock,
        demoBaseUrl: deps.demoStore?.baseUrl,
      });
    const perMinute = opts.storeSearchesPerMinute ?? 30;

    app.get(
      '/search',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Search the catalogue and the stores at once',
          description:
            'The local catalogue by full-text search (typos forgiven, ranked by text, similarity and how many people watch a product), and the stores themselves through their search pages (signed-in callers only). Results are merged by marketplace and ASIN; each carries what adding or watching it takes. A store that blocks us, fails or is slow is reported in `sources` and never fails the search.',
          querystring: z.object({
            q: z.string().trim().min(1).max(200),
            marketplace: z
              .string()
              .trim()
              .toLowerCase()
              .regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, 'a marketplace id such as amazon.de')
              .optional()
              .meta({ description: 'Only this marketplace (GET /marketplaces lists them)' }),
            limit: z.coerce.number().int().min(1).max(50).default(20).meta({
              description: 'Results per kind of source: up to this many from each',
            }),
            sources: z
              .string()
              .regex(SOURCES, 'a comma-separated list of local and store')
              .default('local,store'),
          }),
          response: {
            200: z.object({
              query: z.object({
                q: z.string(),
                marketplace: z.string().nullable(),
                limit: z.number().int(),
              }),
              results: z.array(SearchResultJson),
              sources: z.array(SourceJson),
            }),
            400: ErrorJson,
          },
        },
      },
      async (req) => {
        const { q, marketplace, limit } = req.query;
        const sources = new Set(req.query.sources.split(',') as SearchSource[]);
        let storeRefusal: string | undefined;
        if (sources.has('store')) {
          if (!req.user) {
            storeRefusal = 'log in to search the stores';
          } else {
            try {
              await hitLimits(
                deps.pool,
                [{ key: `store-search:user:${req.user.id}`, max: perMinute, windowMs: 60_000 }],
                deps.clock(),
              );
            } catch (err) {
              if (!(err instanceof AppError) || err.status !== 429) throw err;
              storeRefusal = 'too many store searches: try again in a minute';
            }
          }
        }
        const found = await searchEverywhere(
          { db: deps.pool, stores: searcher },
          {
            q,
            marketplace,
            limit,
            sources,
            storeRefusal,
            asinMarketplaces: deps.stores.marketplaces().map((m) => m.id),
          },
        );
        return {
          query: { q, marketplace: marketplace ?? null, limit },
          results: found.results.map(resultJson),
          sources: found.sources,
        };
      },
    );
  };
