import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { WebDeps } from '../app.js';

export const systemRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['system'],
          summary: 'The process is up',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['system'],
          summary: 'The process can serve: started and its database answers',
          response: {
            200: z.object({ status: z.literal('ready') }),
            503: z.object({ status: z.string(), reason: z.string() }),
          },
        },
      },
      async (_req, reply) => {
        if (!deps.ready())
          return reply.status(503).send({ status: 'unavailable', reason: 'starting or stopping' });
        try {
          await deps.pool.query('select 1');
        } catch {
          return reply.status(503).send({ status: 'unavailable', reason: 'database unreachable' });
        }
        return { status: 'ready' as const };
      },
    );

    app.get(
      '/metrics',
      { schema: { tags: ['system'], summary: 'Prometheus metrics', hide: true } },
      async (_req, reply) => {
        reply.type(deps.metrics.registry.contentType);
        return deps.metrics.registry.metrics();
      },
    );
  };
