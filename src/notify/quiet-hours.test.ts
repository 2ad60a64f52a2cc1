import { describe, expect, it } from 'vitest';
import { notBefore } from './quiet-hours.js';

const night = { start: '22:00', end: '07:00' };

describe('quiet hours', () => {
  it('leaves a time outside the window alone', () => {
    const at = new Date('2026-11-25T12:34:56Z');
    expect(notBefore(at, 'UTC', night)).toBe(at);
    expect(notBefore(at, 'UTC', null)).toBe(at);
  });

  it('moves a time inside a window across midnight to its end, in the user’s zone', () => {
    // 23:30 in Berlin (UTC+1 in November) is 22:30 UTC; quiet until 07:00 Berlin = 06:00 UTC.
    expect(notBefore(new Date('2026-11-25T22:30:00Z'), 'Europe/Berlin', night).toISOString()).toBe(
      '2026-11-26T06:00:00.000Z',
    );
    // 02:15 in Tokyo (UTC+9) is 17:15 UTC the day before; quiet until 07:00 Tokyo = 22:00 UTC.
    expect(notBefore(new Date('2026-11-25T17:15:00Z'), 'Asia/Tokyo', night).toISOString()).toBe(
      '2026-11-25T22:00:00.000Z',
    );
  });

  it('handles a window within one day', () => {
    const lunch = { start: '12:00', end: '13:30' };
    expect(notBefore(new Date('2026-11-25T12:10:00Z'), 'UTC', lunch).toISOString()).toBe(
      '2026-11-25T13:30:00.000Z',
    );
    expect(notBefore(new Date('2026-11-25T13:30:00Z'), 'UTC', lunch).toISOString()).toBe(
      '2026-11-25T13:30:00.000Z',
    );
  });

  it('treats an unknown zone as UTC', () => {
    expect(notBefore(new Date('2026-11-25T23:00:00Z'), 'Mars/Olympus', night).toISOString()).toBe(
      '2026-11-26T07:00:00.000Z',
    );
  });
});
