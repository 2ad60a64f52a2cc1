import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { WebDeps } from '../app.js';
import { requireUser } from '../auth.js';
import { ErrorJson, MoneyJson, moneyJson } from '../presenters.js';

const NotificationJson = z
  .object({
    id: z.number().int(),
    kind: z.enum(['price_drop', 'back_in_stock']),
    productId: z.number().int(),
    productTitle: z.string().nullable(),
    watchId: z.number().int().nullable(),
    priceType: z.string(),
    price: MoneyJson.nullable(),
    previousPrice: MoneyJson.nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .meta({ id: 'Notification' });

const MailJson = z
  .object({
    id: z.number().int(),
    to: z.string(),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'MailboxMessage' });

export const notificationRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Your alerts, newest first',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
          response: { 200: z.object({ notifications: z.array(NotificationJson) }), 401: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const { rows } = await deps.pool.query<{
          id: number;
          kind: 'price_drop' | 'back_in_stock';
          product_id: number;
          title: string | null;
          watch_id: number | null;
          price_type: string;
          price_minor: number | null;
          previous_minor: number | null;
          currency: string | null;
          created_at: Date;
          read_at: Date | null;
        }>(
          `select n.*, p.title from notifications n join products p on p.id = n.product_id
            where n.user_id = $1 order by n.created_at desc, n.id desc limit $2`,
          [user.id, req.query.limit],
        );
        return {
          notifications: rows.map((n) => ({
            id: n.id,
            kind: n.kind,
            productId: n.product_id,
            productTitle: n.title,
            watchId: n.watch_id,
            priceType: n.price_type,
            price: moneyJson(n.price_minor, n.currency),
            previousPrice: moneyJson(n.previous_minor, n.currency),
            createdAt: n.created_at.toISOString(),
            readAt: n.read_at?.toISOString() ?? null,
          })),
        };
      },
    );

    app.get(
      '/mailbox',
      {
        schema: {
          tags: ['notifications'],
          summary:
            'Email sent to you that stayed on this machine (only when no SMTP server is configured)',
          response: {
            200: z.object({ messages: z.array(MailJson) }),
            401: ErrorJson,
            404: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        if (!deps.mailboxEnabled) {
          throw new AppError('mailbox_disabled', 'email is sent over SMTP on this server', 404);
        }
        const { rows } = await deps.pool.query<{
          id: number;
          to_address: string;
          subject: string;
          text_body: string;
          html_body: string | null;
          created_at: Date;
        }>(
          // Mail to the account's address, and to a new address it is changing to (whose
          // confirmation link would otherwise never be seen without an SMTP server).
          `select * from mailbox
            where lower(to_address) = lower($1)
               or lower(to_address) in (
                    select lower(email) from email_tokens
                     where user_id = $2 and purpose = 'change_email' and used_at is null
                       and expires_at > now())
            order by created_at desc, id desc limit 100`,
          [user.email, user.id],
        );
        return {
          messages: rows.map((m) => ({
            id: m.id,
            to: m.to_address,
            subject: m.subject,
            text: m.text_body,
            html: m.html_body,
            createdAt: m.created_at.toISOString(),
          })),
        };
      },
    );
  };
