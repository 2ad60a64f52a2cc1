/**
 * The web process: the JSON API under /api/v1 (documented at /api/openapi.json), health and
 * metrics endpoints, and the web UI's static files.
 */
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import helmet, { type HelmetOptions } from 'helmet';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Checker } from '../acquisition/checker.js';
import type { Fetcher } from '../acquisition/fetcher.js';
import type { Pool } from '../db/pool.js';
import { AppError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { StoreRegistry } from '../stores/index.js';
import { installAuth } from './auth.js';
import { installErrorHandler } from './errors.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { channelRoutes, type ChannelDeps } from './routes/channels.js';
import { dealsRoutes, type DealsRouteOptions } from './routes/deals.js';
import { demoRoutes, type DemoStoreInfo } from './routes/demo.js';
import { feedRoutes } from './routes/feeds.js';
import { meRoutes } from './routes/me.js';
import { notificationRoutes } from './routes/notifications.js';
import { productRoutes } from './routes/products.js';
import { searchRoutes, type SearchRouteOptions } from './routes/search.js';
import { systemRoutes } from './routes/system.js';
import { watchRoutes } from './routes/watches.js';

export interface WebDeps {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => Date;
  readonly checker: Checker;
  readonly fetcher: Fetcher;
  readonly stores: StoreRegistry;
  readonly publicUrl: string;
  /** X-Forwarded-For is believed only as far as this says (see TRUST_PROXY). */
  readonly trustProxy: boolean | number | readonly string[];
  readonly intervalWatchedMs: number;
  /** The local mailbox is shown when email does not leave this machine. */
  readonly mailboxEnabled: boolean;
  readonly demoStore: DemoStoreInfo | undefined;
  /** Built UI (ui/dist); not served when absent. */
  readonly uiDir: string | undefined;
  readonly limits: { readonly signupPerHour: number; readonly loginPerMinute: number };
  /** Alert channels: their settings, test sends, SMS verification, push, unsubscribe. */
  readonly channels?: ChannelDeps | undefined;
  /** Search and deals options; by default the stores are searched through `fetcher`. */
  readonly catalog?: { readonly search?: SearchRouteOptions; readonly deals?: DealsRouteOptions };
  /** Confirmed addresses of the operators (ADMIN_EMAILS). */
  readonly adminEmails: readonly string[];
  /** Answered by /readyz: false while starting or stopping. */
  readonly ready: () => boolean;
}

export type App = FastifyInstance;

/** Whether a parsed input holds U+0000 in any string or key (walked without recursion). */
function hasNul(input: unknown): boolean {
  const stack: unknown[] = [input];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\u0000')) return true;
        stack.push(x);
      }
    }
  }
  return false;
}

/**
 * Helmet's security headers, worked out once. They are the same for every response (no nonces),
 * and @fastify/helmet built a new helmet middleware on every request, parsing the CSP directives
 * each time (2.5% of the API's CPU under load); here helmet writes them once into a record that
 * each response copies.
 */
function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)(
    { headers: {} } as IncomingMessage,
    res as unknown as ServerResponse,
    () => undefined,
  );
  return headers;
}

export async function buildApp(deps: WebDeps): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = deps.logger.child({ component: 'web' });
  const app = Fastify({
    loggerInstance: logger,
    // No log line per request: requests are counted and timed in /metrics (onResponse below).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // A hop count n trusts the n nearest proxies, as proxy-addr does with a number.
    trustProxy:
      typeof deps.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (deps.trustProxy as number)
        : typeof deps.trustProxy === 'boolean'
          ? deps.trustProxy
          : [...deps.trustProxy],
    routerOptions: { ignoreTrailingSlash: true },
    // The router's own refusals (a broken %-escape, a path parameter over maxParamLength) are
    // sent before any handler runs, in Fastify's shape unless answered here in ours.
    frameworkErrors: (err, _req, reply: FastifyReply) => {
      const status = err.statusCode !== undefined && err.statusCode < 500 ? err.statusCode : 400;
      const code = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'path_too_long' : 'bad_url';
      void reply.status(status).send({ error: { code, message: err.message } });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON only: a cross-site HTML form cannot send it, which is half of the CSRF defence.
  app.removeContentTypeParser(['text/plain']);

  await app.register(cookie);
  const secure = deps.publicUrl.startsWith('https:');
  const security = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        // Product images come from the stores' CDNs (and the demo store); emails shown in the
        // mailbox carry inline styles.
        imgSrc: [
          "'self'",
          'data:',
          'https:',
          ...(deps.demoStore ? [new URL(deps.demoStore.baseUrl).origin] : []),
        ],
        styleSrc: ["'self'", "'unsafe-inline'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
  app.addHook('onRequest', (_req, reply, done) => {
    void reply.headers(security);
    done();
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Pricehawk API',
        version: '1',
        description:
          'Prices are exact decimal strings with an ISO 4217 currency. Errors are `{error: {code, message}}` with a stable code.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ph_session' } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const ui = deps.uiDir && existsSync(path.join(deps.uiDir, 'index.html')) ? deps.uiDir : undefined;
  installErrorHandler(app, { uiIndex: ui !== undefined });
  installAuth(app, deps);
  // PostgreSQL text and jsonb cannot hold U+0000: a NUL anywhere in the input would fail its
  // query as a 500 (and after earlier writes, half-written). Refuse it before any handler runs.
  app.addHook('preValidation', async (req) => {
    if (hasNul(req.body) || hasNul(req.query) || hasNul(req.params)) {
      throw new AppError('invalid_text', 'text must not contain the NUL character (U+0000)', 400);
    }
  });

  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.httpRequests.observe(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(systemRoutes(deps));
  await app.register(authRoutes(deps), { prefix: '/api/v1' });
  await app.register(meRoutes(deps), { prefix: '/api/v1' });
  await app.register(productRoutes(deps), { prefix: '/api/v1' });
  await app.register(watchRoutes(deps), { prefix: '/api/v1' });
  await app.register(notificationRoutes(deps), { prefix: '/api/v1' });
  await app.register(demoRoutes(deps), { prefix: '/api/v1' });
  await app.register(adminRoutes(deps), { prefix: '/api/v1' });
  await app.register(channelRoutes(deps), { prefix: '/api/v1' });
  await app.register(searchRoutes(deps, deps.catalog?.search), { prefix: '/api/v1' });
  await app.register(dealsRoutes(deps, deps.catalog?.deals), { prefix: '/api/v1' });
  await app.register(feedRoutes(deps));
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  if (ui) {
    // Files are looked up per request, so a rebuilt UI is served without a restart; paths that
    // are not files fall through to the not-found handler, which answers pages with index.html.
    await app.register(fastifyStatic, { root: ui, wildcard: true, index: 'index.html' });
  }
  return app;
}
