/**
 * Keeping a user's digest schedule in step with the preference. Called in the transaction that
 * changes the preference or the time zone (accounts updateProfile), so that acquisition/apply.ts,
 * which holds alerts back whenever the preference says digest, never holds one that no schedule
 * will gather.
 */
import type { Queryable } from '../../db/pool.js';
import { HELD_MARGIN_MS } from './job.js';
import { planDigest } from './schedule.js';

/**
 * After the digest is turned off, its held alerts go out in a last digest this long after (alerts
 * in flight when the preference changed, evaluated while it still said digest, are in it too).
 */
export const CLOSING_GRACE_MS = 5 * 60_000;

interface ScheduleRow {
  enabled: boolean;
  hour: number;
  time_zone: string;
  last_day: string | null;
  held_since: Date;
}

export async function syncDigestSchedule(
  tx: Queryable,
  user: {
    readonly id: number;
    readonly timeZone: string;
    readonly digest: { readonly enabled: boolean; readonly hour: number } | undefined;
  },
  now: Date,
): Promise<void> {
  const { rows } = await tx.query<ScheduleRow>(
    `select enabled, hour, time_zone, last_day::text as last_day, held_since
       from digest_schedules where user_id = $1 for update`,
    [user.id],
  );
  const row = rows[0];
  const digest = user.digest;
  if (!digest?.enabled) {
    if (row?.enabled) {
      // Keep the planned day as the key of the last digest; send it once the grace is over.
      await tx.query(
        `update digest_schedules set enabled = false, due_at = $2, updated_at = $3
          where user_id = $1`,
        [user.id, new Date(now.getTime() + CLOSING_GRACE_MS), now],
      );
    }
    return;
  }
  if (row?.enabled && row.hour === digest.hour && row.time_zone === user.timeZone) return;
  // The last digest day: the schedule's, or (after the row went with a last digest) the newest
  // digest's, so that a day never gets a second one.
  let lastDay = row?.last_day ?? null;
  if (!row) {
    const { rows: last } = await tx.query<{ day: string | null }>(
      `select max(local_day)::text as day from digests where user_id = $1`,
      [user.id],
    );
    lastDay = last[0]?.day ?? null;
  }
  const plan = planDigest(now, user.timeZone, digest.hour, lastDay, !row?.enabled);
  await tx.query(
    `insert into digest_schedules
       (user_id, enabled, hour, time_zone, due_day, due_at, last_day, held_since, updated_at)
     values ($1, true, $2, $3, $4, $5, $6, $7, $8)
     on conflict (user_id) do update set
       enabled = true, hour = excluded.hour, time_zone = excluded.time_zone,
       due_day = excluded.due_day, due_at = excluded.due_at, updated_at = excluded.updated_at`,
    [
      user.id,
      digest.hour,
      user.timeZone,
      plan.dueDay,
      plan.dueAt,
      lastDay,
      // Alerts evaluated while the change was being made may be stamped a little before it.
      new Date(now.getTime() - HELD_MARGIN_MS),
      now,
    ],
  );
}
