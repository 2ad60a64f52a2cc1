import { describe, expect, it } from 'vitest';
import {
  addDays,
  digestInstant,
  localDay,
  planAfterRun,
  planDigest,
  wallClock,
} from './schedule.js';

const at = (iso: string) => new Date(iso);

describe('local days and wall clocks', () => {
  it('reads the day and time in the zone, not in UTC', () => {
    // 23:30 UTC on the 10th is 08:30 on the 11th in Tokyo and 19:30 on the 10th in New York.
    expect(wallClock(at('2031-03-10T23:30:00Z'), 'Asia/Tokyo')).toEqual({
      day: '2031-03-11',
      minutes: 8 * 60 + 30,
    });
    expect(localDay(at('2031-03-10T23:30:00Z'), 'America/New_York')).toBe('2031-03-10');
  });

  it('reads an unknown zone as UTC', () => {
    expect(localDay(at('2031-03-10T23:30:00Z'), 'Mars/Olympus')).toBe('2031-03-10');
  });

  it('adds days across months, years and leap days', () => {
    expect(addDays('2032-02-28', 1)).toBe('2032-02-29');
    expect(addDays('2031-12-31', 1)).toBe('2032-01-01');
    expect(addDays('2031-03-01', -1)).toBe('2031-02-28');
  });
});

describe('digestInstant', () => {
  it('is the hour on the wall clock of the zone', () => {
    expect(digestInstant('2031-03-11', 8, 'Asia/Tokyo').toISOString()).toBe(
      '2031-03-10T23:00:00.000Z',
    );
    expect(digestInstant('2031-01-15', 8, 'America/New_York').toISOString()).toBe(
      '2031-01-15T13:00:00.000Z',
    );
    expect(digestInstant('2031-01-15', 0, 'UTC').toISOString()).toBe('2031-01-15T00:00:00.000Z');
    expect(digestInstant('2031-01-15', 9, 'Asia/Kolkata').toISOString()).toBe(
      '2031-01-15T03:30:00.000Z',
    );
  });

  it('follows summer time: the same 08:00 is an hour earlier in UTC after clocks go forward', () => {
    // US clocks go forward on 9 March 2031 and back on 2 November 2031.
    expect(digestInstant('2031-03-08', 8, 'America/New_York').toISOString()).toBe(
      '2031-03-08T13:00:00.000Z',
    );
    expect(digestInstant('2031-03-09', 8, 'America/New_York').toISOString()).toBe(
      '2031-03-09T12:00:00.000Z',
    );
  });

  it('is due when clocks jump over the hour (02:00 does not exist that night)', () => {
    // 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    expect(digestInstant('2031-03-09', 2, 'America/New_York').toISOString()).toBe(
      '2031-03-09T07:00:00.000Z',
    );
  });

  it('takes the first of the two 01:00s on the night clocks fall back', () => {
    // 01:00 EDT is 05:00 UTC; 01:00 EST an hour later.
    expect(digestInstant('2031-11-02', 1, 'America/New_York').toISOString()).toBe(
      '2031-11-02T05:00:00.000Z',
    );
    expect(digestInstant('2031-11-02', 2, 'America/New_York').toISOString()).toBe(
      '2031-11-02T07:00:00.000Z',
    );
  });
});

describe('planDigest', () => {
  const tz = 'Europe/Berlin'; // UTC+1 in January

  it('plans today at the hour when it is still ahead', () => {
    const p = planDigest(at('2031-01-15T05:00:00Z'), tz, 8, null, true);
    expect(p).toEqual({ dueDay: '2031-01-15', dueAt: at('2031-01-15T07:00:00Z') });
  });

  it('plans tomorrow when just turned on after the hour: the first digest comes at the hour', () => {
    const p = planDigest(at('2031-01-15T09:00:00Z'), tz, 8, null, true);
    expect(p).toEqual({ dueDay: '2031-01-16', dueAt: at('2031-01-16T07:00:00Z') });
  });

  it('is due at once when the hour is moved to one already past and today had no digest', () => {
    const now = at('2031-01-15T09:00:00Z'); // 10:00 in Berlin
    const p = planDigest(now, tz, 9, '2031-01-14', false);
    expect(p.dueDay).toBe('2031-01-15');
    expect(p.dueAt <= now).toBe(true);
  });

  it('never plans a second digest for a day that had one', () => {
    const p = planDigest(at('2031-01-15T05:00:00Z'), tz, 20, '2031-01-15', false);
    expect(p.dueDay).toBe('2031-01-16');
    // After a move to a zone where it is still yesterday, the next is still after the last.
    const q = planDigest(at('2031-01-15T05:00:00Z'), 'America/Los_Angeles', 8, '2031-01-15', false);
    expect(q).toEqual({ dueDay: '2031-01-16', dueAt: at('2031-01-16T16:00:00Z') });
  });

  it('after a run plans the next day, or today when a late run caught up with yesterday', () => {
    expect(planAfterRun(at('2031-01-15T07:00:05Z'), tz, 8, '2031-01-15')).toEqual({
      dueDay: '2031-01-16',
      dueAt: at('2031-01-16T07:00:00Z'),
    });
    // The workers were down overnight: yesterday's digest ran at 05:00 today, today's is at 08:00.
    expect(planAfterRun(at('2031-01-15T04:00:00Z'), tz, 8, '2031-01-14')).toEqual({
      dueDay: '2031-01-15',
      dueAt: at('2031-01-15T07:00:00Z'),
    });
    // Down past today's hour: one digest now (for the missed day), the next tomorrow.
    expect(planAfterRun(at('2031-01-15T12:00:00Z'), tz, 8, '2031-01-13').dueDay).toBe('2031-01-16');
  });
});
