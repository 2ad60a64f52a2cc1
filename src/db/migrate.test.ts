import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { createLogger } from '../observability/logger.js';
import { loadMigrations, migrate } from './migrate.js';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('has applied every migration to the template, and applying again does nothing', async () => {
    const files = await loadMigrations();
    const { rows } = await db.pool.query<{ version: number }>(
      'select version from schema_migrations order by version',
    );
    expect(rows.map((r) => r.version)).toEqual(files.map((m) => m.version));
    expect(await migrate(db.pool, createLogger('silent'))).toBe(0);
  });

  it('creates the main tables of the design', async () => {
    const { rows } = await db.pool.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public'`,
    );
    const tables = rows.map((r) => r.table_name);
    for (const t of [
      'users',
      'sessions',
      'products',
      'price_points',
      'watches',
      'notifications',
      'deliveries',
    ]) {
      expect(tables).toContain(t);
    }
  });
});
