/**
 * Quiet hours: a daily window of local time ("22:00" to "07:00", across midnight or not) in the
 * user's time zone during which nothing is sent; what falls into it waits for its end.
 */

function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Local hour and minute of `at` in `timeZone` (UTC when the zone is unknown). */
function localMinutes(at: Date, timeZone: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
  } catch {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'UTC',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
  }
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * When something due at `at` may be sent: `at` itself outside quiet hours, else the end of the
 * quiet window (to the minute; on the night clocks change it may be an hour off, never earlier than
 * asked).
 */
export function notBefore(
  at: Date,
  timeZone: string,
  quiet: { start: string; end: string } | null,
): Date {
  if (!quiet) return at;
  const start = minutesOfDay(quiet.start);
  const end = minutesOfDay(quiet.end);
  if (start === end) return at;
  const now = localMinutes(at, timeZone);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return at;
  const wait = (end - now + 1440) % 1440;
  const t = new Date(at.getTime() + wait * 60_000);
  t.setUTCSeconds(0, 0);
  return t;
}
