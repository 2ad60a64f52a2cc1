import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { describeSchema } from './schema-dump.js';

const COMMITTED = path.join(import.meta.dirname, 'schema.txt');

describe('the migrated schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('matches the committed description in src/db/schema.txt (UPDATE_SCHEMA=1 rewrites it)', async () => {
    const actual = await describeSchema(db.pool);
    if (process.env.UPDATE_SCHEMA === '1') await fs.writeFile(COMMITTED, actual);
    expect(actual).toBe(await fs.readFile(COMMITTED, 'utf8'));
  });
});
