/**
 * When a user's daily digest is due, as pure functions of the clock, the user's time zone and
 * hour. A "local day" is a date (YYYY-MM-DD) on the user's wall clock; the digest for a local day
 * is due at the first instant that day's wall clock reads `hour`:00. On the night clocks spring
 * forward past that hour it is due when they do; on the night they fall back, at the first of the
 * two.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    const options = {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    } as const;
    try {
      f = new Intl.DateTimeFormat('en-CA', { ...options, timeZone });
    } catch {
      // Time zones are validated when set; a row from before that reads as UTC.
      f = new Intl.DateTimeFormat('en-CA', { ...options, timeZone: 'UTC' });
    }
    formats.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at `at`: local day and minutes since its midnight. */
export function wallClock(at: Date, timeZone: string): { day: string; minutes: number } {
  const parts = formatFor(timeZone).formatToParts(at);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '00';
  return {
    day: `${get('year')}-${get('month')}-${get('day')}`,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/** YYYY-MM-DD of `at` in `timeZone`. */
export function localDay(at: Date, timeZone: string): string {
  return wallClock(at, timeZone).day;
}

/** The day `n` days after `day` (YYYY-MM-DD, calendar arithmetic). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + n)).toISOString().slice(0, 10);
}

const MINUTE = 60_000;

/**
 * The first instant at which the wall clock in `timeZone` reads `day` at `hour`:00 or later.
 * Offsets lie within ±15 hours of UTC, so the instant is within 15 hours of the same wall time
 * read as UTC; a binary search to the minute finds it (for whole hours the wall clock, read as
 * "at or past the target", only ever goes from false to true, even when clocks fall back).
 */
export function digestInstant(day: string, hour: number, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  const asUtc = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hour);
  const target = hour * 60;
  const reached = (minute: number) => {
    const w = wallClock(new Date(minute * MINUTE), timeZone);
    return w.day > day || (w.day === day && w.minutes >= target);
  };
  let lo = asUtc / MINUTE - 15 * 60; // not reached
  let hi = asUtc / MINUTE + 15 * 60; // reached
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reached(mid)) hi = mid;
    else lo = mid;
  }
  return new Date(hi * MINUTE);
}

export interface DigestPlan {
  /** The local day the next digest is for: with the user, its exactly-once key. */
  readonly dueDay: string;
  /** When it is due: `hour` on that day. In the past when it is due at once. */
  readonly dueAt: Date;
}

/**
 * The next digest. `lastDay` is the local day of the last digest run (null: none known).
 * - A day that already had its digest never has another: the next is the day after.
 * - Today's digest is due today if its hour is still ahead.
 * - If today's hour has passed without a digest: at once when the hour or zone was changed (the
 *   user has "reached the hour and not had today's digest"), but the next day when the digest was
 *   just turned on (`fresh`) or has just run, so that the first digest comes at the hour the user
 *   chose, never seconds after turning it on.
 */
export function planDigest(
  now: Date,
  timeZone: string,
  hour: number,
  lastDay: string | null,
  fresh: boolean,
): DigestPlan {
  const today = localDay(now, timeZone);
  if (lastDay !== null && lastDay >= today) {
    const day = addDays(lastDay, 1);
    return { dueDay: day, dueAt: digestInstant(day, hour, timeZone) };
  }
  const todayAt = digestInstant(today, hour, timeZone);
  if (todayAt > now || !fresh) return { dueDay: today, dueAt: todayAt };
  const tomorrow = addDays(today, 1);
  return { dueDay: tomorrow, dueAt: digestInstant(tomorrow, hour, timeZone) };
}

/** After the digest for `dueDay` ran at `now`: the next one, at the hour to come. */
export function planAfterRun(
  now: Date,
  timeZone: string,
  hour: number,
  dueDay: string,
): DigestPlan {
  return planDigest(now, timeZone, hour, dueDay, true);
}
