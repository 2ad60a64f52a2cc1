/**
 * Feeds and embeddable charts at stable public URLs, outside the JSON API:
 * - /feeds/products/{id}.xml: a product's price changes (Atom), public;
 * - /feeds/alerts/{token}.xml: one user's alerts (Atom), behind a secret per-user token;
 * - /charts/products/{id}.svg: a price chart image, cacheable (ETag, Cache-Control);
 * and, in the API, the caller's own alerts-feed URL (GET /api/v1/me/feed) and its rotation.
 *
 * Register without a prefix: the paths are written out in full.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  feedToken,
  getProduct,
  htmlEscape,
  loadHistory,
  recentChanges,
  renderAtom,
  renderPriceChart,
  rotateFeedToken,
  userAlerts,
  userForFeedToken,
  type AlertEntry,
  type AtomEntry,
  type PriceChange,
  type ProductRecord,
} from '../../catalog/index.js';
import { AppError } from '../../errors.js';
import { formatMoney } from '../../money/index.js';
import { dropPermille, formatPermille } from '../../pricing/stats.js';
import { PRICE_TYPES } from '../../stores/index.js';
import type { WebDeps } from '../app.js';
import { requireUser } from '../auth.js';
import { ErrorJson } from '../presenters.js';

export interface FeedRouteOptions {
  /** Entries per feed (default 50). */
  readonly entries?: number;
}

const PRICE_TYPE_LABEL: Readonly<Record<string, string>> = {
  buybox: 'Buy box',
  amazon: 'Sold by Amazon',
  new: 'New (third-party)',
  used: 'Used',
};

const Id = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** Sends `body` with an ETag, or 304 when the client has it already. */
function sendCached(
  req: FastifyRequest,
  reply: FastifyReply,
  body: string,
  type: string,
  cacheControl: string,
) {
  const etag = etagOf(body);
  reply.header('etag', etag).header('cache-control', cacheControl);
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return reply.status(304).send();
  }
  return reply.type(type).send(Buffer.from(body, 'utf8'));
}

const isWebUrl = (u: string) => /^https?:\/\//i.test(u);

export const feedRoutes =
  (deps: WebDeps, opts: FeedRouteOptions = {}): FastifyPluginAsyncZod =>
  async (app) => {
    const base = deps.publicUrl.replace(/\/$/, '');
    const entries = opts.entries ?? 50;
    const productPage = (id: number) => `${base}/products/${id}`;
    const money = (minor: number | null, currency: string | null) =>
      minor === null || !currency ? null : formatMoney({ minor, currency }, 'en-US');
    const nameOf = (title: string | null) => title ?? 'A product';
    const storeLink = (url: string) =>
      isWebUrl(url) ? `<p><a href="${htmlEscape(url)}">View it at the store</a></p>` : '';

    function changeEntry(p: ProductRecord, c: PriceChange): AtomEntry {
      const label = PRICE_TYPE_LABEL[c.priceType] ?? c.priceType;
      const now = money(c.amount, c.currency);
      const before = money(c.previous, c.currency);
      let what: string;
      if (now === null) what = `${label}: not available`;
      else if (c.first || before === null) what = `${label}: ${now}`;
      else if (c.amount !== null && c.previous !== null && c.amount < c.previous) {
        const drop = dropPermille(c.previous, c.amount) ?? 0;
        what = `${label} dropped to ${now} (was ${before}, −${formatPermille(drop)}%)`;
      } else what = `${label} rose to ${now} (was ${before})`;
      return {
        id: `${base}/products/${p.id}#${c.priceType}-${c.at.getTime()}`,
        title: `${nameOf(p.title)}: ${what}`,
        updated: c.at,
        link: productPage(p.id),
        contentHtml: `<p>${htmlEscape(nameOf(p.title))}</p><p>${htmlEscape(what)}</p><p>${htmlEscape(c.at.toISOString())}</p>${storeLink(p.url)}`,
      };
    }

    function alertEntry(a: AlertEntry): AtomEntry {
      const now = money(a.price, a.currency);
      const before = money(a.previous, a.currency);
      const name = nameOf(a.title);
      const what =
        a.kind === 'back_in_stock'
          ? `back in stock${now ? ` at ${now}` : ''}`
          : `price dropped to ${now ?? 'a lower price'}${before ? ` (was ${before})` : ''}`;
      return {
        id: `${base}/notifications/${a.id}`,
        title: `${name}: ${what}`,
        updated: a.createdAt,
        link: productPage(a.productId),
        contentHtml: `<p>${htmlEscape(name)}: ${htmlEscape(what)}</p>${storeLink(a.url)}`,
      };
    }

    app.get(
      '/feeds/products/:id.xml',
      {
        schema: {
          tags: ['feeds'],
          summary: "A product's price changes as an Atom feed",
          params: Id,
          security: [],
          response: {
            200: z.string().meta({ description: 'application/atom+xml' }),
            304: z.null().meta({ description: 'Not modified (If-None-Match)' }),
            400: ErrorJson,
            404: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const p = await getProduct(deps.pool, req.params.id);
        if (!p) throw new AppError('product_not_found', 'no such product', 404);
        const changes = await recentChanges(deps.pool, p.id, entries);
        const xml = renderAtom({
          id: `${base}/feeds/products/${p.id}.xml`,
          title: `${nameOf(p.title)}: prices`,
          subtitle: `Price changes tracked by Pricehawk (${p.marketplace})`,
          self: `${base}/feeds/products/${p.id}.xml`,
          alternate: productPage(p.id),
          updated: changes[0]?.at ?? p.created_at,
          entries: changes.map((c) => changeEntry(p, c)),
        });
        return sendCached(
          req,
          reply,
          xml,
          'application/atom+xml; charset=utf-8',
          'public, max-age=300',
        );
      },
    );

    app.get(
      '/feeds/alerts/:token.xml',
      {
        schema: {
          tags: ['feeds'],
          summary: "A user's alerts as an Atom feed, at a secret URL (GET /api/v1/me/feed)",
          params: z.object({ token: z.string().max(100) }),
          security: [],
          response: {
            200: z.string().meta({ description: 'application/atom+xml' }),
            304: z.null().meta({ description: 'Not modified (If-None-Match)' }),
            404: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const userId = await userForFeedToken(deps.pool, req.params.token);
        if (userId === undefined) throw new AppError('feed_not_found', 'no such feed', 404);
        const alerts = await userAlerts(deps.pool, userId, entries);
        const self = `${base}/feeds/alerts/${req.params.token}.xml`;
        const xml = renderAtom({
          id: self,
          title: 'Your Pricehawk alerts',
          self,
          alternate: `${base}/notifications`,
          updated: alerts[0]?.createdAt ?? new Date(0),
          entries: alerts.map(alertEntry),
        });
        // The URL is the secret: keep it out of shared caches, referrers and search engines.
        reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
        return sendCached(
          req,
          reply,
          xml,
          'application/atom+xml; charset=utf-8',
          'private, max-age=60',
        );
      },
    );

    app.get(
      '/charts/products/:id.svg',
      {
        schema: {
          tags: ['feeds'],
          summary: 'An embeddable price chart (SVG) of one price type over the last days',
          params: Id,
          security: [],
          querystring: z.object({
            priceType: z.enum(PRICE_TYPES).default('buybox'),
            days: z.coerce.number().int().min(1).max(3650).default(90),
            width: z.coerce.number().int().min(240).max(1600).default(640),
            height: z.coerce.number().int().min(160).max(900).default(320),
          }),
          response: {
            200: z.string().meta({ description: 'image/svg+xml' }),
            304: z.null().meta({ description: 'Not modified (If-None-Match)' }),
            400: ErrorJson,
            404: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        const p = await getProduct(deps.pool, req.params.id);
        if (!p) throw new AppError('product_not_found', 'no such product', 404);
        const { priceType, days, width, height } = req.query;
        // The range ends at the next full hour, so the image (and its ETag) changes when the
        // price does or once an hour, not on every request.
        const hour = 3_600_000;
        const to = new Date(Math.ceil(deps.clock().getTime() / hour) * hour);
        const from = new Date(to.getTime() - days * 86_400_000);
        const history = await loadHistory(deps.pool, {
          productId: p.id,
          priceTypes: [priceType],
          from,
          to,
          points: Math.min(5000, width * 2),
        });
        const series = history.series[0];
        const svg = renderPriceChart({
          title: p.title,
          currency: series?.currency ?? p.currency ?? 'USD',
          priceTypeLabel: PRICE_TYPE_LABEL[priceType] ?? priceType,
          from: from.getTime(),
          to: to.getTime(),
          points: (series?.points ?? []).map((x) => ({ at: x.at.getTime(), amount: x.amount })),
          width,
          height,
        });
        // Embeddable on other sites: helmet's same-origin resource policy would forbid it.
        reply.header('cross-origin-resource-policy', 'cross-origin');
        return sendCached(req, reply, svg, 'image/svg+xml; charset=utf-8', 'public, max-age=900');
      },
    );

    const FeedJson = z
      .object({
        url: z.string().meta({ description: 'Secret: anyone with it can read your alerts' }),
        createdAt: z.string(),
      })
      .meta({ id: 'AlertFeed' });

    app.get(
      '/api/v1/me/feed',
      {
        schema: {
          tags: ['me'],
          summary: 'The secret URL of your alerts feed (made on first use)',
          response: { 200: FeedJson, 401: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const t = await feedToken(deps.pool, user.id, deps.clock());
        return { url: `${base}/feeds/alerts/${t.token}.xml`, createdAt: t.createdAt.toISOString() };
      },
    );

    app.post(
      '/api/v1/me/feed/rotate',
      {
        schema: {
          tags: ['me'],
          summary: 'A new secret URL for your alerts feed; the old one stops working',
          response: { 200: FeedJson, 401: ErrorJson, 403: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const t = await rotateFeedToken(deps.pool, user.id, deps.clock());
        return { url: `${base}/feeds/alerts/${t.token}.xml`, createdAt: t.createdAt.toISOString() };
      },
    );
  };
