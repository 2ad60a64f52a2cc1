import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  findOrCreateProduct,
  getProduct,
  priceHistory,
  requestCheck,
} from '../../catalog/products.js';
import { AppError } from '../../errors.js';
import type { ProductIdentity } from '../../stores/index.js';
import type { WebDeps } from '../app.js';
import { requireUser } from '../auth.js';
import {
  ErrorJson,
  PricePointJson,
  ProductJson,
  pricePointJson,
  productJson,
} from '../presenters.js';

const Id = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export const productRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    async function resolveIdentity(
      input: string,
      marketplace: string | undefined,
    ): Promise<ProductIdentity> {
      let found = deps.stores.identify(input, marketplace ? { marketplace } : {});
      if (found.kind === 'short_link') {
        // amzn.to / a.co: follow the redirect through the fetcher (SSRF guard included) and read
        // the product from where it lands; the page itself is not needed.
        try {
          const res = await deps.fetcher.fetch({ url: found.url, stopWhen: () => true });
          found = deps.stores.identify(res.url);
        } catch (cause) {
          throw new AppError('short_link_failed', 'could not follow that short link', 422, {
            cause,
          });
        }
      }
      if (found.kind !== 'product') {
        throw new AppError(
          'unsupported_url',
          found.kind === 'unrecognised'
            ? `cannot track this: ${found.reason}`
            : 'cannot track this link',
          400,
        );
      }
      return found.identity;
    }

    async function watching(userId: number | undefined, productId: number): Promise<boolean> {
      if (userId === undefined) return false;
      const { rowCount } = await deps.pool.query(
        'select 1 from watches where user_id = $1 and product_id = $2 limit 1',
        [userId, productId],
      );
      return (rowCount ?? 0) > 0;
    }

    app.post(
      '/products',
      {
        schema: {
          tags: ['products'],
          summary: 'Find or add a product by URL or ASIN; the answer carries its current price',
          description:
            'Any Amazon product URL form or short link, an ASIN (with `marketplace`, default amazon.com), a demo store URL, or the URL of a store page with structured product data. A new product is fetched at once.',
          body: z.object({
            url: z.string().trim().min(1).max(2000),
            marketplace: z.string().max(40).optional(),
          }),
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
        const identity = await resolveIdentity(req.body.url, req.body.marketplace);
        const { product, created } = await findOrCreateProduct(deps.pool, identity, deps.clock());
        if (product.last_success_at === null) {
          const check = await deps.checker.checkNow(product.id);
          if (
            created &&
            check &&
            (check.outcome === 'unsupported' || check.outcome === 'not_found')
          ) {
            // Nothing to track there: do not keep a product nobody can ever watch.
            await deps.pool.query('delete from products where id = $1 and watcher_count = 0', [
              product.id,
            ]);
            throw new AppError(
              'not_a_product',
              check.outcome === 'not_found'
                ? 'the store says this page does not exist'
                : 'no product with a price could be read from this page',
              422,
            );
          }
        }
        const fresh = (await getProduct(deps.pool, product.id)) ?? product;
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
        const product = await getProduct(deps.pool, req.params.id);
        if (!product) throw new AppError('product_not_found', 'no such product', 404);
        const history = await priceHistory(deps.pool, product.id);
        return {
          product: productJson(product, await watching(req.user?.id, product.id)),
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
  };
