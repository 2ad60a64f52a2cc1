/**
 * The digest job: claims users whose digest is due (digest_schedules.due_at passed) a batch at a
 * time with FOR UPDATE SKIP LOCKED, and in the same transaction gathers each one's held
 * notifications into one digest and writes its deliveries to the outbox, where the notifier sends
 * them with its leases, retries, dead letters and quiet hours. Nothing leaves this process here,
 * so the whole build is one transaction: a crash rolls it back and the next run builds it again,
 * and the unique (user, local day) key of `digests` makes a second digest for a day impossible.
 *
 * "Held": a notification of the user's, with no delivery of its own (acquisition/apply.ts writes
 * none while the digest is on), not yet in a digest, created since the schedule's `held_since`.
 * Attaching is one UPDATE that sets `digest_id` only where it is still null: an alert committed
 * while the digest is being built is either in this digest or, committed after, held for the next.
 */
import { withTransaction, type Pool, type PoolClient } from '../../db/pool.js';
import type { Logger } from '../../observability/logger.js';
import type { ChannelKind } from '../channels/types.js';
import { notBefore } from '../quiet-hours.js';
import { addDays, planAfterRun } from './schedule.js';

/** Held notifications are searched from an hour before the last run: alerts still in flight. */
export const HELD_MARGIN_MS = 3_600_000;

export interface DigestJobDeps {
  readonly pool: Pool;
  readonly logger: Logger;
  readonly clock: () => Date;
  /** Users per transaction. */
  readonly batchSize: number;
  /** Kinds other than email that get a digest (those whose channel can send one). */
  readonly summaryKinds: readonly ChannelKind[];
}

export interface DigestJob {
  /** Claims and builds one batch of due digests; returns how many schedules it claimed. */
  runBatch(signal?: AbortSignal): Promise<number>;
}

interface DueRow {
  user_id: number;
  enabled: boolean;
  hour: number;
  time_zone: string;
  due_day: string;
  held_since: Date;
  quiet_hours: { start: string; end: string } | null;
  user_time_zone: string;
}

export function createDigestJob(deps: DigestJobDeps): DigestJob {
  const log = deps.logger.child({ component: 'digest' });

  async function claim(tx: PoolClient, now: Date): Promise<DueRow[]> {
    const { rows } = await tx.query<DueRow>(
      `select s.user_id, s.enabled, s.hour, s.time_zone, s.due_day::text as due_day, s.held_since,
              u.notification_prefs -> 'quietHours' as quiet_hours, u.time_zone as user_time_zone
         from digest_schedules s join users u on u.id = s.user_id
        where s.due_at <= $1
        order by s.due_at
        limit $2
        for update of s skip locked`,
      [now, deps.batchSize],
    );
    return rows;
  }

  /** The users among `rows` with at least one held notification. */
  async function withHeld(tx: PoolClient, rows: readonly DueRow[]): Promise<Set<number>> {
    const { rows: held } = await tx.query<{ user_id: number }>(
      `select c.user_id from unnest($1::bigint[], $2::timestamptz[]) c(user_id, held_since)
        where exists (
          select 1 from notifications n
           where n.user_id = c.user_id and n.created_at >= c.held_since and n.digest_id is null
             and not exists (select 1 from deliveries d where d.notification_id = n.id))`,
      [rows.map((r) => r.user_id), rows.map((r) => r.held_since)],
    );
    return new Set(held.map((r) => r.user_id));
  }

  async function build(tx: PoolClient, rows: readonly DueRow[], now: Date) {
    // One digest per user and local day; a day that already has one (possible only after a
    // change of time zone) keeps it, and that user's held alerts wait for the next day's.
    const { rows: created } = await tx.query<{ id: number; user_id: number }>(
      `insert into digests (user_id, local_day, time_zone, created_at)
       select c.user_id, c.local_day, c.time_zone, $4
         from unnest($1::bigint[], $2::date[], $3::text[]) c(user_id, local_day, time_zone)
       on conflict (user_id, local_day) do nothing
       returning id, user_id`,
      [rows.map((r) => r.user_id), rows.map((r) => r.due_day), rows.map((r) => r.time_zone), now],
    );
    if (created.length === 0) return created;
    const since = new Map(rows.map((r) => [r.user_id, r.held_since]));
    const { rows: attached } = await tx.query<{ digest_id: number; n: number }>(
      `with a as (
         update notifications n set digest_id = g.id
           from unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) g(id, user_id, held_since)
          where n.user_id = g.user_id and n.created_at >= g.held_since and n.digest_id is null
            and not exists (select 1 from deliveries d where d.notification_id = n.id)
         returning n.digest_id)
       select digest_id, count(*)::int as n from a group by digest_id`,
      [
        created.map((c) => c.id),
        created.map((c) => c.user_id),
        created.map((c) => since.get(c.user_id)),
      ],
    );
    const counts = new Map(attached.map((a) => [a.digest_id, a.n]));
    // Only a digest with something in it is sent (the held alerts were seen a moment ago; this
    // keeps an empty digest out even if they went meanwhile).
    const empty = created.filter((c) => !counts.has(c.id)).map((c) => c.id);
    if (empty.length > 0)
      await tx.query('delete from digests where id = any($1::bigint[])', [empty]);
    const full = created.filter((c) => counts.has(c.id));
    const byUser = new Map(rows.map((r) => [r.user_id, r]));
    // Like an alert: email to a confirmed address when the user wants email, and each other
    // channel the user enabled that can carry a digest; not before quiet hours end.
    await tx.query(
      `with g(id, user_id, send_at) as (
         select * from unnest($1::bigint[], $2::bigint[], $3::timestamptz[]))
       insert into deliveries (digest_id, channel, destination, next_attempt_at)
       select g.id, 'email', u.email, g.send_at
         from g join users u on u.id = g.user_id
        where u.email_verified_at is not null
          and coalesce((u.notification_prefs #>> '{channels,email,enabled}')::boolean, false)
       union all
       select g.id, t.channel, t.destination, g.send_at
         from g join channel_delivery_targets t on t.user_id = g.user_id
        where split_part(t.channel, ':', 1) = any($4::text[])
       on conflict do nothing`,
      [
        full.map((c) => c.id),
        full.map((c) => c.user_id),
        full.map((c) => {
          const r = byUser.get(c.user_id) as DueRow;
          return notBefore(now, r.user_time_zone, r.quiet_hours);
        }),
        deps.summaryKinds,
      ],
    );
    return full;
  }

  return {
    async runBatch() {
      return withTransaction(deps.pool, async (tx) => {
        const now = deps.clock();
        const due = await claim(tx, now);
        if (due.length === 0) return 0;
        const held = await withHeld(tx, due);
        const built = await build(
          tx,
          due.filter((r) => held.has(r.user_id)),
          now,
        );
        const builtUsers = new Set(built.map((b) => b.user_id));

        const next: Array<{
          userId: number;
          lastDay: string;
          dueDay: string;
          dueAt: Date;
          heldSince: Date;
        }> = [];
        const done: number[] = [];
        const margin = new Date(now.getTime() - HELD_MARGIN_MS);
        for (const r of due) {
          // Held alerts that found their day taken (a digest already went out for it) stay held.
          const blocked = held.has(r.user_id) && !builtUsers.has(r.user_id);
          if (!r.enabled && !blocked) {
            done.push(r.user_id); // turned off: its last digest is out, the row goes
            continue;
          }
          const plan = r.enabled
            ? planAfterRun(now, r.time_zone, r.hour, r.due_day)
            : { dueDay: addDays(r.due_day, 1), dueAt: now }; // turned off: try the next day now
          next.push({
            userId: r.user_id,
            lastDay: r.due_day,
            dueDay: plan.dueDay,
            dueAt: plan.dueAt,
            heldSince: blocked || margin < r.held_since ? r.held_since : margin,
          });
        }
        if (next.length > 0) {
          await tx.query(
            `update digest_schedules s
                set last_day = x.last_day, due_day = x.due_day, due_at = x.due_at,
                    held_since = x.held_since, updated_at = $6
               from unnest($1::bigint[], $2::date[], $3::date[], $4::timestamptz[],
                           $5::timestamptz[]) x(user_id, last_day, due_day, due_at, held_since)
              where s.user_id = x.user_id`,
            [
              next.map((n) => n.userId),
              next.map((n) => n.lastDay),
              next.map((n) => n.dueDay),
              next.map((n) => n.dueAt),
              next.map((n) => n.heldSince),
              now,
            ],
          );
        }
        if (done.length > 0) {
          await tx.query('delete from digest_schedules where user_id = any($1::bigint[])', [done]);
        }
        if (built.length > 0) log.info({ digests: built.length }, 'digests built');
        return due.length;
      });
    },
  };
}
