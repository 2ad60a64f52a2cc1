import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import {
  WATCH_SORTS,
  WATCH_STATUSES,
  createWatch,
  deleteWatch,
  getWatch,
  identifyWishlist,
  importWatches,
  listWatches,
  readWishlist,
  updateWatch,
  watchesCsv,
  type ImportInput,
  type WatchStatus,
} from '../../watchlist/index.js';
import type { WebDeps } from '../app.js';
import { requireUser } from '../auth.js';
import { ErrorJson, WatchJson, watchJson } from '../presenters.js';

/** Most URLs (or wishlist items) one import takes. */
const MAX_IMPORT = 100;
/** Most wishlist pages one import reads. */
const MAX_WISHLIST_PAGES = 10;

const Decimal = z
  .string()
  .trim()
  .regex(/^\d{1,12}(\.\d{1,3})?$/, 'a decimal amount such as 9.99');

const Rule = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('below'), price: Decimal }),
    z.object({ type: z.literal('drop_percent'), percent: z.number().int().min(1).max(99) }),
    z.object({ type: z.literal('any_drop') }),
    z.object({ type: z.literal('back_in_stock') }),
  ])
  .meta({
    id: 'RuleInput',
    description:
      '`below` a price (in the product currency); `drop_percent` from the price when the rule is set; `any_drop`; `back_in_stock`',
  });

const PriceType = z.enum(['buybox', 'amazon', 'new', 'used']);

const Id = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const STATUS_LIST = new RegExp(`^(${WATCH_STATUSES.join('|')})(,(${WATCH_STATUSES.join('|')}))*$`);

const ImportItemJson = z
  .object({
    index: z.number().int().meta({ description: 'position of the input in the request' }),
    input: z.string(),
    status: z.enum(['created', 'exists', 'failed']),
    watchId: z.number().int().optional(),
    productId: z.number().int().optional(),
    title: z.string().nullable().optional(),
    duplicateOf: z
      .number()
      .int()
      .optional()
      .meta({ description: 'an earlier input of this request names the same product' }),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .meta({ id: 'WatchImportItem' });

export const watchRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const view = async (userId: number, watchId: number) => {
      const v = await getWatch(deps.pool, userId, watchId);
      if (!v) throw new AppError('watch_not_found', 'no such watch', 404);
      return watchJson(v);
    };

    app.post(
      '/watches',
      {
        schema: {
          tags: ['watches'],
          summary: 'Watch a product: be told when its price meets the rule',
          body: z.object({
            productId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
            priceType: PriceType.default('buybox'),
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
        return reply.status(201).send({ watch: await view(user.id, w.id) });
      },
    );

    app.get(
      '/watches',
      {
        schema: {
          tags: ['watches'],
          summary: 'Your watchlist, with each watch’s status and its product’s current price',
          querystring: z.object({
            status: z
              .string()
              .regex(STATUS_LIST, `one or more of ${WATCH_STATUSES.join(', ')}, comma-separated`)
              .optional()
              .meta({ description: 'only watches in these statuses (comma-separated)' }),
            q: z
              .string()
              .trim()
              .max(200)
              .optional()
              .meta({ description: 'part of the product title (case and accents ignored)' }),
            sort: z.enum(WATCH_SORTS).default('created'),
            order: z
              .enum(['asc', 'desc'])
              .optional()
              .meta({ description: 'default: newest first for created and lastAlert, else asc' }),
            limit: z.coerce.number().int().min(1).max(1000).default(1000),
            offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
          }),
          response: {
            200: z.object({
              watches: z.array(WatchJson),
              total: z.number().int().meta({ description: 'watches matching the filters' }),
            }),
            400: ErrorJson,
            401: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const { status, ...rest } = req.query;
        const { views, total } = await listWatches(deps.pool, user.id, {
          ...rest,
          status: status?.split(',') as WatchStatus[] | undefined,
        });
        return { watches: views.map(watchJson), total };
      },
    );

    app.get(
      '/watches/export.csv',
      {
        schema: {
          tags: ['watches'],
          summary: 'Your watchlist as a CSV file',
          description:
            'RFC 4180 CSV in UTF-8 (with a byte-order mark), one row per watch: product, marketplace, ASIN/URL, URL, price type, rule, target, current price, currency, status, created, last alert, last alert price. Fields a spreadsheet would run as a formula start with a quote.',
          produces: ['text/csv'],
          response: {
            200: z.string().meta({ description: 'text/csv; charset=utf-8' }),
            401: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const { views } = await listWatches(deps.pool, user.id, { limit: 1_000_000 });
        const day = deps.clock().toISOString().slice(0, 10);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="pricehawk-watches-${day}.csv"`)
          .header('cache-control', 'no-store')
          .send(watchesCsv(views));
      },
    );

    app.post(
      '/watches/import',
      {
        schema: {
          tags: ['watches'],
          summary: 'Watch many products at once: a list of URLs, or a public wishlist',
          description: `Each URL goes the way of POST /products (short links followed, new products read at once), then gets a watch with \`rule\` and \`priceType\`. Give \`urls\` (at most ${MAX_IMPORT}) or \`wishlistUrl\` (an Amazon or demo store wishlist; its first ${MAX_IMPORT} items). Each input is answered on its own: \`created\` (a new watch), \`exists\` (you already had this watch, or an earlier input names the same product) or \`failed\` (with an error code); nothing is half-written. A \`below\` price is read in each product's own currency.`,
          body: z
            .object({
              urls: z.array(z.string().trim().min(1).max(2000)).min(1).max(MAX_IMPORT).optional(),
              wishlistUrl: z.string().trim().min(1).max(2000).optional(),
              rule: Rule,
              priceType: PriceType.default('buybox'),
              marketplace: z.string().max(40).optional().meta({
                description: 'the marketplace of bare ASINs in `urls` (default amazon.com)',
              }),
            })
            .refine((b) => (b.urls === undefined) !== (b.wishlistUrl === undefined), {
              message: 'give either urls or wishlistUrl',
              path: ['urls'],
            }),
          response: {
            200: z.object({
              results: z.array(ImportItemJson),
              summary: z.object({
                created: z.number().int(),
                exists: z.number().int(),
                failed: z.number().int(),
              }),
              wishlist: z
                .object({
                  url: z.string(),
                  name: z.string().nullable(),
                  items: z.number().int(),
                  truncated: z
                    .boolean()
                    .meta({ description: `more than ${MAX_IMPORT} items, or pages unread` }),
                })
                .optional(),
            }),
            400: ErrorJson,
            401: ErrorJson,
            422: ErrorJson,
            502: ErrorJson,
            503: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const { urls, wishlistUrl, rule, priceType, marketplace } = req.body;
        let inputs: ImportInput[] = (urls ?? []).map((input) => ({ input }));
        let wishlist;
        if (wishlistUrl !== undefined) {
          const demoBase = deps.demoStore?.baseUrl;
          const read = await readWishlist(
            {
              fetcher: deps.fetcher,
              stores: deps.stores,
              identifyWishlist: (url) => identifyWishlist(url, demoBase),
            },
            wishlistUrl,
            { maxItems: MAX_IMPORT, maxPages: MAX_WISHLIST_PAGES },
          );
          inputs = read.items.map((item) => ({ input: item.url, title: item.title }));
          wishlist = {
            url: read.url,
            name: read.name,
            items: read.items.length,
            truncated: read.truncated,
          };
        }
        const results = await importWatches(
          {
            pool: deps.pool,
            stores: deps.stores,
            fetcher: deps.fetcher,
            checker: deps.checker,
            clock: deps.clock,
            intervalWatchedMs: deps.intervalWatchedMs,
            logger: req.log,
          },
          user.id,
          inputs,
          { rule, priceType, marketplace },
        );
        const count = (s: string) => results.filter((r) => r.status === s).length;
        return {
          results,
          summary: { created: count('created'), exists: count('exists'), failed: count('failed') },
          ...(wishlist ? { wishlist } : {}),
        };
      },
    );

    app.get(
      '/watches/:id',
      {
        schema: {
          tags: ['watches'],
          summary: 'One of your watches',
          params: Id,
          response: {
            200: z.object({ watch: WatchJson }),
            400: ErrorJson,
            401: ErrorJson,
            404: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        return { watch: await view(user.id, req.params.id) };
      },
    );

    app.patch(
      '/watches/:id',
      {
        schema: {
          tags: ['watches'],
          summary: 'Change a watch: its rule or target, its price type, pause or resume it',
          description:
            'A changed condition (rule, target, percent or price type) starts the watch over, armed: if the current price already meets the new condition, the next check alerts once (`back_in_stock` waits for the product to go out of stock and come back). Resuming never alerts for the price the product already has. The `drop_percent` baseline is re-read from the current price when the percent or the price type changes, and kept otherwise.',
          params: Id,
          body: z
            .object({
              rule: Rule.optional(),
              priceType: PriceType.optional(),
              paused: z.boolean().optional(),
            })
            .refine(
              (b) => b.rule !== undefined || b.priceType !== undefined || b.paused !== undefined,
              { message: 'nothing to change: give rule, priceType or paused' },
            ),
          response: {
            200: z.object({ watch: WatchJson }),
            400: ErrorJson,
            401: ErrorJson,
            404: ErrorJson,
            409: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        await updateWatch(deps.pool, user.id, req.params.id, req.body, deps.clock());
        return { watch: await view(user.id, req.params.id) };
      },
    );

    app.delete(
      '/watches/:id',
      {
        schema: {
          tags: ['watches'],
          summary: 'Stop watching',
          params: Id,
          response: { 204: z.null(), 400: ErrorJson, 401: ErrorJson, 404: ErrorJson },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        await deleteWatch(deps.pool, user.id, req.params.id, deps.clock());
        return reply.status(204).send(null);
      },
    );
  };
