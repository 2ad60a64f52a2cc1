import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics } from '../observability/metrics.js';
import { sweep } from './sweeper.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('sweeper', () => {
  let db: TestDatabase;
  const now = new Date('2026-11-25T12:00:00Z');
  const run = () =>
    sweep({
      pool: db.pool,
      logger: createLogger('silent'),
      metrics: createMetrics(),
      clock: () => now,
      intervalWatchedMs: HOUR,
      staleAfterIntervals: 3,
      unwatchedRetentionMs: 30 * DAY,
    });
  const insert = async (
    id: string,
    fields: { lastSuccessAgo: number; watchers: number; watchedAgo: number },
  ) =>
    db.pool.query(
      `insert into products (store, marketplace, external_id, url, last_success_at, watcher_count,
         last_watched_at, created_at)
       values ('amazon', 'amazon.de', $1, 'https://www.amazon.de/dp/' || $1, $2, $3, $4, $5)`,
      [
        id,
        new Date(now.getTime() - fields.lastSuccessAgo),
        fields.watchers,
        new Date(now.getTime() - fields.watchedAgo),
        new Date(now.getTime() - 60 * DAY),
      ],
    );
  const state = async (id: string) =>
    (
      await db.pool.query<{ state: string }>('select state from products where external_id = $1', [
        id,
      ])
    ).rows[0]?.state;

  beforeAll(async () => {
    db = await createTestDatabase();
    await insert('FRESH00000', { lastSuccessAgo: HOUR, watchers: 1, watchedAgo: 0 });
    await insert('MISSED0000', { lastSuccessAgo: 4 * HOUR, watchers: 1, watchedAgo: 0 });
    await insert('FORGOTTEN0', { lastSuccessAgo: HOUR, watchers: 0, watchedAgo: 31 * DAY });
    await insert('RECENTLY00', { lastSuccessAgo: HOUR, watchers: 0, watchedAgo: 29 * DAY });
  });
  afterAll(() => db.drop());

  it('marks a price stale after it missed the configured number of intervals', async () => {
    const report = await run();
    expect(await state('FRESH00000')).toBe('active');
    expect(await state('MISSED0000')).toBe('stale');
    expect(report.stale).toBe(1);
  });

  it('stops checking products nobody has watched for 30 days', async () => {
    expect(await state('FORGOTTEN0')).toBe('gone');
    expect(await state('RECENTLY00')).toBe('active');
    const due = await db.pool.query(
      `select count(*)::int as n from products where state <> 'gone'`,
    );
    expect(due.rows[0].n).toBe(3);
  });

  it('creates the coming months of price history partitions, once', async () => {
    const { rows } = await db.pool.query<{ relname: string }>(
      `select relname from pg_class where relkind = 'r' and relname like 'price\\_points\\_2%' order by relname`,
    );
    expect(rows.map((r) => r.relname)).toEqual([
      'price_points_2026_11',
      'price_points_2026_12',
      'price_points_2027_01',
      'price_points_2027_02',
    ]);
    expect((await run()).partitions).toBe(0);
  });
});
