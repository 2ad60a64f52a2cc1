import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { popularProducts, topDrops, type Drop } from '../../catalog/index.js';
import { isCurrencyCode } from '../../money/index.js';
import { PRICE_TYPES } from '../../stores/index.js';
import type { WebDeps } from '../app.js';
import { ErrorJson, MoneyJson, ProductJson, moneyJson, productJson } from '../presenters.js';

export interface DealsRouteOptions {
  /** How long one answer is reused (default 60 s): the page is public and the same for all. */
  readonly cacheMs?: number;
}

const WINDOW = /^([1-9]\d{0,2})([hd])$/;

const DropJson = z
  .object({
    product: ProductJson,
    priceType: z.enum(PRICE_TYPES),
    before: MoneyJson.meta({ description: 'The price when the window opened' }),
    after: MoneyJson.meta({ description: 'The price now' }),
    drop: MoneyJson,
    dropPercent: z.number().meta({ description: 'One decimal, truncated' }),
    changedAt: z.string(),
  })
  .meta({ id: 'PriceDrop' });

function dropJson(d: Drop): z.infer<typeof DropJson> {
  const money = (minor: number) => moneyJson(minor, d.currency) ?? { amount: '0', currency: '' };
  return {
    product: productJson(d.product),
    priceType: d.priceType,
    before: money(d.before),
    after: money(d.after),
    drop: money(d.drop),
    dropPercent: d.dropPermille / 10,
    changedAt: d.changedAt.toISOString(),
  };
}

export const dealsRoutes =
  (deps: WebDeps, opts: DealsRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const cacheMs = opts.cacheMs ?? 60_000;
    const cache = new Map<string, { at: number; body: unknown }>();

    app.get(
      '/deals',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Top price drops of the last hours among watched products, and popular products',
          security: [],
          description:
            'A drop compares the price when the window opened with the price now. `byPercent` ranks every currency together; `byAmount` ranks drops in one currency (`currency`, default: the marketplace’s, else USD). Answers are reused for up to a minute.',
          querystring: z.object({
            window: z
              .string()
              .regex(WINDOW, 'hours or days such as 24h or 7d')
              .default('24h')
              .refine((w) => {
                const m = WINDOW.exec(w);
                return !m || Number(m[1]) * (m[2] === 'd' ? 24 : 1) <= 24 * 30;
              }, 'at most 30 days'),
            limit: z.coerce.number().int().min(1).max(100).default(20),
            marketplace: z
              .string()
              .trim()
              .toLowerCase()
              .regex(/^[a-z0-9][a-z0-9.-]{1,62}$/, 'a marketplace id such as amazon.de')
              .optional(),
            priceType: z.enum(PRICE_TYPES).default('buybox'),
            currency: z
              .string()
              .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
              .refine(isCurrencyCode, 'not a currency')
              .optional(),
          }),
          response: {
            200: z.object({
              window: z.string(),
              since: z.string(),
              generatedAt: z.string(),
              currency: z.string(),
              drops: z.object({ byPercent: z.array(DropJson), byAmount: z.array(DropJson) }),
              popular: z.array(
                ProductJson.extend({ watchers: z.number().int() }).meta({ id: 'PopularProduct' }),
              ),
            }),
            400: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const { window, limit, marketplace, priceType } = req.query;
        const m = WINDOW.exec(window);
        const hours = Number(m?.[1] ?? 24) * (m?.[2] === 'd' ? 24 : 1);
        const currency =
          req.query.currency ??
          deps.stores.marketplaces().find((x) => x.id === marketplace)?.currency ??
          'USD';
        const key = JSON.stringify([hours, limit, marketplace, priceType, currency]);
        const now = deps.clock();
        reply.header('cache-control', `public, max-age=${Math.floor(cacheMs / 1000)}`);
        const hit = cache.get(key);
        if (hit && now.getTime() - hit.at < cacheMs) return hit.body as never;

        const since = new Date(now.getTime() - hours * 3_600_000);
        const [drops, popular] = await Promise.all([
          topDrops(deps.pool, { since, now, limit, priceType, marketplace, currency }),
          popularProducts(deps.pool, { limit, marketplace }),
        ]);
        const body = {
          window,
          since: since.toISOString(),
          generatedAt: now.toISOString(),
          currency,
          drops: {
            byPercent: drops.byPercent.map(dropJson),
            byAmount: drops.byAmount.map(dropJson),
          },
          popular: popular.map((p) => ({ ...productJson(p), watchers: p.watcher_count })),
        };
        cache.set(key, { at: now.getTime(), body });
        if (cache.size > 200) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
        return body;
      },
    );
  };
