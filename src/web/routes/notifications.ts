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

interface NotificationRow {
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
}

function notificationJson(n: NotificationRow): z.infer<typeof NotificationJson> {
  return {
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
  };
}

export const notificationRoutes =
  (deps: WebDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Your alerts (the in-app inbox, which gets every alert), newest first',
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(200).default(50),
            /** Only alerts older than this id: the next page. */
            before: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
            unread: z.enum(['true', 'false']).optional(),
          }),
          response: {
            200: z.object({ notifications: z.array(NotificationJson), unread: z.number().int() }),
            401: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const { rows } = await deps.pool.query<NotificationRow>(
          `select n.*, p.title from notifications n join products p on p.id = n.product_id
            where n.user_id = $1 and ($3::bigint is null or n.id < $3)
              and ($4::boolean is null or (n.read_at is null) = $4)
            order by n.id desc limit $2`,
          [
            user.id,
            req.query.limit,
            req.query.before ?? null,
            req.query.unread === undefined ? null : req.query.unread === 'true',
          ],
        );
        const unread = await deps.pool.query<{ n: number }>(
          'select count(*)::int as n from notifications where user_id = $1 and read_at is null',
          [user.id],
        );
        return { notifications: rows.map(notificationJson), unread: unread.rows[0]?.n ?? 0 };
      },
    );

    app.post(
      '/notifications/:id/read',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark one alert read (or unread again with {"read": false})',
          params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
          body: z.object({ read: z.boolean().default(true) }).default({ read: true }),
          response: {
            200: z.object({ notification: NotificationJson }),
            401: ErrorJson,
            404: ErrorJson,
          },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const { rows } = await deps.pool.query<NotificationRow>(
          `with changed as (
             update notifications set read_at = case when $3 then coalesce(read_at, $4) end
              where id = $1 and user_id = $2 returning *)
           select c.*, p.title from changed c join products p on p.id = c.product_id`,
          [req.params.id, user.id, req.body.read, deps.clock()],
        );
        const row = rows[0];
        if (!row) throw new AppError('notification_not_found', 'no such notification', 404);
        return { notification: notificationJson(row) };
      },
    );

    app.post(
      '/notifications/read-all',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Mark every alert read',
          response: { 200: z.object({ marked: z.number().int() }), 401: ErrorJson },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const res = await deps.pool.query(
          'update notifications set read_at = $2 where user_id = $1 and read_at is null',
          [user.id, deps.clock()],
        );
        return { marked: res.rowCount ?? 0 };
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
