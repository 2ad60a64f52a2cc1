import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getProduct } from '../../catalog/products.js';
import { createWatch, deleteWatch, listWatches } from '../../watchlist/watches.js';
import type { WebDeps } from '../app.js';
import { requireUser } from '../auth.js';
import { ErrorJson, WatchJson, watchJson } from '../presenters.js';

const Decimal = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, 'a decimal amount such as 9.99');

const Rule = z.discriminatedUnion('type', [
  z.object({ type: z.literal('below'), price: Decimal }),
  z.object({ type: z.literal('drop_percent'), percent: z.number().int().min(1).max(99) }),
  z.object({ type: z.literal('any_drop') }),
  z.object({ type: z.literal('back_in_stock') }),
]);

export const watchRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/watches',
      {
        schema: {
          tags: ['watches'],
          summary: 'Watch a product: be told when its price meets the rule',
          body: z.object({
            productId: z.number().int().positive(),
            priceType: z.enum(['buybox', 'amazon', 'new', 'used']).default('buybox'),
            rule: Rule,
          }),
          response: {
            201: z.object({ watch: WatchJson }),
            400: ErrorJson,
            401: ErrorJson,
            404: ErrorJson,
            409: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const w = await createWatch(
          deps.pool,
          user.id,
          req.body,
          deps.clock(),
          deps.intervalWatchedMs,
        );
        const product = await getProduct(deps.pool, w.product_id);
        if (!product) throw new Error('watched product vanished');
        return reply.status(201).send({ watch: watchJson(w, product) });
      },
    );

    app.get(
      '/watches',
      {
        schema: {
          tags: ['watches'],
          summary: 'Your watchlist',
          response: { 200: z.object({ watches: z.array(WatchJson) }), 401: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const watches = await listWatches(deps.pool, user.id);
        const products = new Map<number, NonNullable<Awaited<ReturnType<typeof getProduct>>>>();
        if (watches.length > 0) {
          const { rows } = await deps.pool.query<
            NonNullable<Awaited<ReturnType<typeof getProduct>>>
          >('select * from products where id = any($1::bigint[])', [
            [...new Set(watches.map((w) => w.product_id))],
          ]);
          for (const p of rows) products.set(p.id, p);
        }
        return {
          watches: watches.flatMap((w) => {
            const p = products.get(w.product_id);
            return p ? [watchJson(w, p)] : [];
          }),
        };
      },
    );

    app.delete(
      '/watches/:id',
      {
        schema: {
          tags: ['watches'],
          summary: 'Stop watching',
          params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
          response: { 204: z.null(), 401: ErrorJson, 404: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await deleteWatch(deps.pool, user.id, req.params.id, deps.clock());
        return reply.status(204).send(null);
      },
    );
  };
