import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  getProduct,
  getProductForViewer,
  loadHistory,
  loadStats,
  priceHistory,
  requestCheck,
  type SeriesStats,
} from '../../catalog/index.js';
import { prepared } from '../../db/pool.js';
import { AppError } from '../../errors.js';
import { addProduct } from '../../watchlist/index.js';
import { PRICE_TYPES } from '../../stores/index.js';
import type { WebDeps } from '../app.js';
import { requireUser } from '../auth.js';
import {
  ErrorJson,
  MoneyJson,
  PricePointJson,
  ProductJson,
  moneyJson,
  pricePointJson,
  productJson,
} from '../presenters.js';

const Id = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** An instant in a query string: an ISO 8601 date-time with offset, or a date (midnight UTC). */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .meta({ description: 'ISO 8601: 2025-06-01T12:00:00Z, or a date (midnight UTC)' });

const AddProductBody = z
  .object({
    url: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .optional()
      .meta({ description: 'Any product URL, short link, or a bare ASIN' }),
    asin: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{10}$/, 'an ASIN is 10 letters and digits')
      .optional()
      .meta({ description: 'With `marketplace`: the product by its ASIN', example: 'B0863TXGM3' }),
    marketplace: z.string().trim().min(1).max(60).optional().meta({
      description:
        'amazon.de, demo.de… (GET /marketplaces lists them); for an ASIN, default amazon.com',
    }),
  })
  .refine((b) => (b.url === undefined) !== (b.asin === undefined), {
    message: 'give either url, or asin with marketplace',
  });

const WindowJson = z.object({
  lowest: MoneyJson.nullable(),
  highest: MoneyJson.nullable(),
  average: MoneyJson.nullable().meta({
    description:
      'Time-weighted over the moments the price was known, rounded half up to the minor unit',
  }),
  changes: z.number().int().meta({ description: 'Price changes recorded in the window' }),
});

export const PriceStatsJson = z
  .object({
    priceType: z.enum(PRICE_TYPES),
    currency: z.string(),
    current: MoneyJson.nullable().meta({ description: 'null: not available now' }),
    currentSince: z.string().nullable(),
    previous: MoneyJson.nullable().meta({ description: 'The last price before the current one' }),
    dropFromPrevious: MoneyJson.nullable().meta({
      description: 'previous − current: positive when the price fell, negative when it rose',
    }),
    dropPercent: z.number().nullable().meta({
      description: 'dropFromPrevious as a percentage of previous, one decimal, truncated',
    }),
    goodDeal: z.boolean().meta({
      description:
        'The current price is within 5% of the lowest ever recorded, with at least five weeks of history',
    }),
    firstSeen: z.string().nullable(),
    historyDays: z.number().int(),
    windows: z.object({ d30: WindowJson, d90: WindowJson, d365: WindowJson, all: WindowJson }),
  })
  .meta({ id: 'PriceStats' });

export function priceStatsJson(s: SeriesStats, now: Date): z.infer<typeof PriceStatsJson> {
  const m = (minor: number | null) => moneyJson(minor, s.currency);
  const w = (x: SeriesStats['windows']['all']) => ({
    lowest: m(x.lowest),
    highest: m(x.highest),
    average: m(x.average),
    changes: x.changes,
  });
  return {
    priceType: s.priceType,
    currency: s.currency,
    current: m(s.current),
    currentSince: s.currentSince === null ? null : new Date(s.currentSince).toISOString(),
    previous: m(s.previous),
    dropFromPrevious: m(s.dropFromPrevious),
    dropPercent: s.dropPermille === null ? null : s.dropPermille / 10,
    goodDeal: s.goodDeal,
    firstSeen: s.firstSeen === null ? null : new Date(s.firstSeen).toISOString(),
    historyDays: s.firstSeen === null ? 0 : Math.floor((now.getTime() - s.firstSeen) / 86_400_000),
    windows: {
      d30: w(s.windows.d30),
      d90: w(s.windows.d90),
      d365: w(s.windows.d365),
      all: w(s.windows.all),
    },
  };
}

const HistoryJson = z
  .object({
    productId: z.number().int(),
    from: z.string(),
    to: z.string(),
    pointsRequested: z.number().int(),
    series: z.array(
      z.object({
        priceType: z.enum(PRICE_TYPES),
        currency: z.string(),
        total: z.number().int().meta({ description: 'Points recorded in the range' }),
        downsampled: z.boolean(),
        buckets: z.number().int().nullable().meta({
          description:
            'When downsampled: the range is cut into this many equal buckets, each keeping its first, last, lowest, highest and first unavailable point',
        }),
        points: z.array(
          z.object({
            at: z.string(),
            price: MoneyJson.nullable().meta({ description: 'null: not available from then' }),
          }),
        ),
      }),
    ),
    stats: z.array(PriceStatsJson),
  })
  .meta({ id: 'PriceHistory' });

export const productRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    async function watching(userId: number | undefined, productId: number): Promise<boolean> {
      if (userId === undefined) return false;
      const { rowCount } = await deps.pool.query(
        prepared('select 1 from watches where user_id = $1 and product_id = $2 limit 1', [
          userId,
          productId,
        ]),
      );
      return (rowCount ?? 0) > 0;
    }

    app.post(
      '/products',
      {
        schema: {
          tags: ['products'],
          summary: 'Find or add a product by URL, or by marketplace and ASIN',
          description:
            'Either `url`: any Amazon product URL form or short link, a bare ASIN, a demo store URL, or the URL of a store page with structured product data; or `asin` with `marketplace` (any marketplace of GET /marketplaces, demo.* included; default amazon.com). Products are shared: 200 answers with the product the catalogue already has, its history included (GET /products/{id}/history); 201 with a new product, fetched at once.',
          body: AddProductBody,
          response: {
            200: z.object({ product: ProductJson }),
            201: z.object({ product: ProductJson }),
            400: ErrorJson,
            401: ErrorJson,
            422: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const { url, asin, marketplace } = req.body;
        if (
          marketplace !== undefined &&
          !deps.stores.marketplaces().some((m) => m.id === marketplace)
        ) {
          throw new AppError(
            'unknown_marketplace',
            `unknown marketplace ${marketplace}: GET /api/v1/marketplaces lists them`,
            400,
          );
        }
        const { product: fresh, created } = await addProduct(deps, asin ?? url ?? '', {
          marketplace,
        });
        return reply
          .status(created ? 201 : 200)
          .send({ product: productJson(fresh, await watching(user.id, fresh.id)) });
      },
    );

    app.get(
      '/products/:id',
      {
        schema: {
          tags: ['products'],
          summary: 'A product with its current prices and price history',
          params: Id,
          response: {
            200: z.object({ product: ProductJson, history: z.array(PricePointJson) }),
            404: ErrorJson,
          },
        },
      },
      async (req) => {
        const found = await getProductForViewer(deps.pool, req.params.id, req.user?.id ?? null);
        if (!found) throw new AppError('product_not_found', 'no such product', 404);
        const history = await priceHistory(deps.pool, found.product.id);
        return {
          product: productJson(found.product, found.watching),
          history: history.map(pricePointJson),
        };
      },
    );

    app.post(
      '/products/:id/check',
      {
        schema: {
          tags: ['products'],
          summary: 'Check this product now (at most once a minute per product)',
          params: Id,
          response: {
            202: z.object({ queued: z.literal(true) }),
            401: ErrorJson,
            404: ErrorJson,
            429: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        requireUser(req);
        const product = await getProduct(deps.pool, req.params.id);
        if (!product) throw new AppError('product_not_found', 'no such product', 404);
        if (!(await requestCheck(deps.pool, product.id, deps.clock()))) {
          reply.header('retry-after', '60');
          throw new AppError(
            'rate_limited',
            'this product was checked on request less than a minute ago',
            429,
          );
        }
        return reply.status(202).send({ queued: true as const });
      },
    );

    app.get(
      '/products/:id/history',
      {
        schema: {
          tags: ['products'],
          summary: 'Price history for a chart, and price statistics, per price type',
          security: [],
          description:
            'Points are the changes of the price (a price holds until the next point); the first point of a range is the price in effect when it opens. Longer ranges are downsampled in buckets that keep every low and high, so a series never has more than `points` points. Statistics cover each whole series, whatever the range.',
          params: Id,
          querystring: z.object({
            priceType: z.enum(PRICE_TYPES).optional().meta({ description: 'Default: every type' }),
            from: Instant.optional().meta({ description: 'Default: the first point' }),
            to: Instant.optional().meta({ description: 'Default: now' }),
            points: z.coerce.number().int().min(11).max(5000).default(1000),
          }),
          response: { 200: HistoryJson, 400: ErrorJson, 404: ErrorJson },
        },
      },
      async (req) => {
        const product = await getProduct(deps.pool, req.params.id);
        if (!product) throw new AppError('product_not_found', 'no such product', 404);
        const now = deps.clock();
        const to = req.query.to ? new Date(req.query.to) : now;
        const from = req.query.from ? new Date(req.query.from) : undefined;
        if (from && from >= to) {
          throw new AppError('invalid_range', '`from` must be before `to`', 400);
        }
        const types = req.query.priceType ? [req.query.priceType] : [...PRICE_TYPES];
        const [history, stats] = await Promise.all([
          loadHistory(deps.pool, {
            productId: product.id,
            priceTypes: types,
            from,
            to,
            points: req.query.points,
          }),
          loadStats(deps.pool, product.id, types, now),
        ]);
        return {
          productId: product.id,
          from: history.from.toISOString(),
          to: history.to.toISOString(),
          pointsRequested: req.query.points,
          series: history.series.map((s) => ({
            priceType: s.priceType,
            currency: s.currency,
            total: s.total,
            downsampled: s.buckets !== null,
            buckets: s.buckets,
            points: s.points.map((p) => ({
              at: p.at.toISOString(),
              price: moneyJson(p.amount, s.currency),
            })),
          })),
          stats: stats.map((st) => priceStatsJson(st, now)),
        };
      },
    );
  };
