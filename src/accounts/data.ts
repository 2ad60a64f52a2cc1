/**
 * Taking one's data and leaving: an export of everything stored about the account, and deletion of
 * every personal row. Products stay (they are shared); the watch counts they keep are corrected.
 */
import { withTransaction, type Pool, type Queryable } from '../db/pool.js';
import { AppError } from '../errors.js';
import { checkPassword } from './users.js';

export async function exportAccount(
  db: Queryable,
  userId: number,
  now: Date,
): Promise<Record<string, unknown>> {
  const one = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await db.query<Record<string, unknown>>(sql, [userId])).rows;
  const [user] = await one(
    `select id, email, name, email_verified_at, time_zone, locale, currency_display,
            notification_prefs, created_at, updated_at
       from users where id = $1`,
  );
  if (!user) throw new AppError('unauthenticated', 'no such account', 401);
  return {
    exportedAt: now.toISOString(),
    format: 'pricehawk-account-export/1',
    account: user,
    sessions: await one(
      `select id, device, user_agent, ip, created_at, last_used_at, expires_at
         from sessions where user_id = $1 order by id`,
    ),
    apiTokens: await one(
      `select id, name, scope, created_at, last_used_at, revoked_at
         from api_tokens where user_id = $1 order by id`,
    ),
    watches: await one(
      `select w.id, w.price_type, w.rule_type, w.target_minor, w.drop_percent, w.baseline_minor,
              w.currency, w.armed, w.paused, w.last_notified_minor, w.last_notified_at, w.created_at,
              json_build_object('id', p.id, 'store', p.store, 'marketplace', p.marketplace,
                'externalId', p.external_id, 'url', p.url, 'title', p.title) as product
         from watches w join products p on p.id = w.product_id where w.user_id = $1 order by w.id`,
    ),
    notifications: await one(
      `select n.id, n.kind, n.product_id, n.watch_id, n.price_type, n.price_minor,
              n.previous_minor, n.currency, n.created_at, n.read_at, n.digest_id,
              coalesce((select json_agg(json_build_object('channel', d.channel, 'destination',
                 d.destination, 'state', d.state, 'sentAt', d.sent_at) order by d.id)
                 from deliveries d where d.notification_id = n.id), '[]') as deliveries
         from notifications n where n.user_id = $1 order by n.id`,
    ),
    // Daily digests: the alerts each one gathered, and where it went.
    digests: await one(
      `select g.id, g.local_day::text as local_day, g.time_zone, g.created_at,
              coalesce((select json_agg(n.id order by n.id) from notifications n
                 where n.digest_id = g.id), '[]') as notification_ids,
              coalesce((select json_agg(json_build_object('channel', d.channel, 'destination',
                 d.destination, 'state', d.state, 'sentAt', d.sent_at) order by d.id)
                 from deliveries d where d.digest_id = g.id), '[]') as deliveries
         from digests g where g.user_id = $1 order by g.local_day`,
    ),
    email: await one(
      `select m.to_address, m.subject, m.text_body, m.created_at from mailbox m
         join users u on lower(u.email) = lower(m.to_address) where u.id = $1 order by m.id`,
    ),
  };
}

/** Deletes the account for good, after checking its password. */
export async function deleteAccount(pool: Pool, userId: number, password: string): Promise<void> {
  await checkPassword(pool, userId, password);
  await withTransaction(pool, async (tx) => {
    // Products stay, shared; they just have one watcher fewer per watch of this user.
    await tx.query(
      `update products p set watcher_count = greatest(p.watcher_count - w.n, 0)
         from (select product_id, count(*)::int as n from watches where user_id = $1
                group by product_id) w
        where p.id = w.product_id`,
      [userId],
    );
    await tx.query(
      `delete from mailbox where lower(to_address) = (select lower(email) from users where id = $1)`,
      [userId],
    );
    // Everything else personal goes by cascade: sessions, tokens, email tokens, watches,
    // notifications and their deliveries, queued account email.
    await tx.query('delete from users where id = $1', [userId]);
  });
}
