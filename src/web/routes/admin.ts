/**
 * For operators (ADMIN_EMAILS, confirmed addresses only): deliveries that gave up (dead letters),
 * with their last error, and a way to send them again once the cause is fixed.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { WebDeps } from '../app.js';
import { requireUser } from '../auth.js';
import { ErrorJson } from '../presenters.js';

const DeadLetterJson = z
  .object({
    id: z.number().int(),
    source: z.enum(['alert', 'account_email']),
    channel: z.string(),
    destination: z.string(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'DeadLetter' });

export const adminRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const admins = new Set(deps.adminEmails.map((e) => e.toLowerCase()));
    const requireAdmin = (req: FastifyRequest) => {
      const user = requireUser(req);
      if (!user.emailVerifiedAt || !admins.has(user.email.toLowerCase())) {
        throw new AppError('forbidden', 'for operators only', 403);
      }
      return user;
    };

    app.get(
      '/admin/dead-letters',
      {
        schema: {
          tags: ['admin'],
          summary: 'Deliveries that gave up, newest first (operators only)',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
          response: {
            200: z.object({ deadLetters: z.array(DeadLetterJson) }),
            401: ErrorJson,
            403: ErrorJson,
          },
        },
      },
      async (req) => {
        requireAdmin(req);
        const { rows } = await deps.pool.query<{
          id: number;
          source: 'alert' | 'account_email';
          channel: string;
          destination: string;
          attempts: number;
          last_error: string | null;
          created_at: Date;
        }>(
          `(select id, 'alert' as source, channel, destination, attempts, last_error, created_at
              from deliveries where state = 'dead')
           union all
           (select id, 'account_email', 'email', to_address, attempts, last_error, created_at
              from mail_outbox where state = 'dead')
           order by created_at desc limit $1`,
          [req.query.limit],
        );
        return {
          deadLetters: rows.map((r) => ({
            id: r.id,
            source: r.source,
            channel: r.channel,
            destination: r.destination,
            attempts: r.attempts,
            lastError: r.last_error,
            createdAt: r.created_at.toISOString(),
          })),
        };
      },
    );

    app.post(
      '/admin/dead-letters/:source/:id/retry',
      {
        schema: {
          tags: ['admin'],
          summary: 'Send a dead-lettered delivery again, with a fresh count of attempts',
          params: z.object({
            source: z.enum(['alert', 'account_email']),
            id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
          }),
          response: {
            202: z.object({ queued: z.literal(true) }),
            401: ErrorJson,
            403: ErrorJson,
            404: ErrorJson,
          },
        },
      },
      async (req, reply) => {
        requireAdmin(req);
        const table = req.params.source === 'alert' ? 'deliveries' : 'mail_outbox';
        const res = await deps.pool.query(
          `update ${table} set state = 'pending', attempts = 0, next_attempt_at = $2
            where id = $1 and state = 'dead'`,
          [req.params.id, deps.clock()],
        );
        if (!res.rowCount) throw new AppError('dead_letter_not_found', 'no such dead letter', 404);
        return reply.status(202).send({ queued: true as const });
      },
    );
  };
