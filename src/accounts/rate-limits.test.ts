import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { AppError } from '../errors.js';
import { hitLimits, pruneRateLimits, type Limit } from './rate-limits.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-12-07T10:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

/** The outcome of one attempt: 'ok', or the Retry-After seconds of the 429. */
async function attempt(db: TestDatabase, limits: readonly Limit[], when: Date) {
  try {
    await hitLimits(db.pool, limits, when);
    return 'ok' as const;
  } catch (err) {
    if (err instanceof AppError && err.code === 'rate_limited' && err.status === 429) {
      return (err.details as { retryAfterSeconds: number }).retryAfterSeconds;
    }
    throw err;
  }
}

describe('rate limits (sliding window in PostgreSQL)', () => {
  let db: TestDatabase;
  const login: Limit = { key: 'login:email:ada@example.com', max: 20, windowMs: MINUTE };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query('delete from rate_limit_hits');
  });

  it('accepts `max` attempts in a window and refuses the next, saying when to retry', async () => {
    for (let i = 0; i < 20; i++) expect(await attempt(db, [login], at(i * 1000))).toBe('ok');
    // The oldest accepted attempt (at 0 s) leaves the window at 60 s: 35 s after 25 s.
    expect(await attempt(db, [login], at(25_000))).toBe(35);
  });

  it('refuses the 21st attempt within a minute even across a minute boundary', async () => {
    // All 20 in the last second of one clock minute, the 21st in the first of the next: a
    // fixed-window counter starts afresh at the boundary and lets it through.
    for (let i = 0; i < 20; i++) expect(await attempt(db, [login], at(59_000 + i * 40))).toBe('ok');
    expect(await attempt(db, [login], at(60_500))).toBe(59);
  });

  it('accepts again once the oldest attempt has left the window; refused attempts do not count', async () => {
    for (let i = 0; i < 20; i++) expect(await attempt(db, [login], at(i * 1000))).toBe('ok');
    for (let i = 0; i < 5; i++) expect(await attempt(db, [login], at(30_000 + i))).not.toBe('ok');
    // At 60.5 s the attempt made at 0 s is out: one place free, and only one.
    expect(await attempt(db, [login], at(60_500))).toBe('ok');
    expect(await attempt(db, [login], at(60_600))).toBe(1); // the one at 1 s leaves at 61 s
    // Two minutes later every earlier attempt is out: a full window's worth again.
    for (let i = 0; i < 20; i++) expect(await attempt(db, [login], at(200_000 + i))).toBe('ok');
  });

  it('keeps each key apart, and stops at the first exceeded limit', async () => {
    const perIp: Limit = { key: 'login:ip:203.0.113.9', max: 3, windowMs: MINUTE };
    const perEmail: Limit = { key: 'login:email:bob@example.com', max: 10, windowMs: MINUTE };
    for (let i = 0; i < 3; i++) expect(await attempt(db, [perIp, perEmail], at(i))).toBe('ok');
    expect(await attempt(db, [perIp, perEmail], at(10))).not.toBe('ok');
    const { rows } = await db.pool.query<{ key: string; n: number }>(
      'select key, cardinality(recent) as n from rate_limit_hits order by key',
    );
    // The refused attempt stopped at the per-IP limit: the per-address log holds three.
    expect(rows).toEqual([
      { key: 'login:email:bob@example.com', n: 3 },
      { key: 'login:ip:203.0.113.9', n: 3 },
    ]);
    const other: Limit = { ...perIp, key: 'login:ip:198.51.100.1' };
    expect(await attempt(db, [other], at(20))).toBe('ok');
  });

  it('lets exactly `max` of many simultaneous attempts through, the first ones on a new key included', async () => {
    const limit: Limit = { key: 'signup:ip:192.0.2.1', max: 7, windowMs: MINUTE };
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(db, [limit], at(i))),
    );
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(7);
  });

  it('prunes keys not tried for a day', async () => {
    await attempt(db, [login], at(0));
    await attempt(db, [{ ...login, key: 'login:email:recent@example.com' }], at(23 * 3_600_000));
    expect(await pruneRateLimits(db.pool, at(24 * 3_600_000 + 1))).toBe(1);
    const { rows } = await db.pool.query<{ key: string }>('select key from rate_limit_hits');
    expect(rows.map((r) => r.key)).toEqual(['login:email:recent@example.com']);
  });
});
