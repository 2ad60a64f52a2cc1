import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamptz } from './pool.js';

/** A timestamptz as PostgreSQL's text output writes it. */
function pgText(ms: number, micros: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = micros === 0 ? '' : `.${pad(micros, 6)}`.replace(/0+$/, '');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const off = `${sign}${pad(Math.floor(abs / 60))}${abs % 60 ? `:${pad(abs % 60)}` : ''}`;
  return (
    `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${frac}${off}`
  );
}

describe('timestamptz parsing', () => {
  it('reads what PostgreSQL writes to the millisecond, whatever the offset', () => {
    fc.assert(
      fc.property(
        // Whole seconds from 1900 to 9000, microseconds, offsets in quarter hours (±14 h).
        fc.integer({ min: -2_208_988_800, max: 220_898_880_000 }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: -56, max: 56 }),
        (seconds, micros, quarters) => {
          const ms = seconds * 1000 + Math.floor(micros / 1000);
          const text = pgText(seconds * 1000, micros, quarters * 15);
          expect(parseTimestamptz(text).getTime(), text).toBe(ms);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('leaves what it does not read itself to pg: BC, years past 9999, infinity', () => {
    expect(parseTimestamptz('0044-03-15 12:00:00+00 BC').getUTCFullYear()).toBe(-43);
    expect(parseTimestamptz('12026-01-01 00:00:00+00').getUTCFullYear()).toBe(12026);
    expect(parseTimestamptz('infinity')).toBe(Infinity);
  });
});
