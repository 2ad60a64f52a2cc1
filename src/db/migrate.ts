/**
 * Forward-only migrations: numbered .sql files applied in order, each in its own transaction,
 * under an advisory lock so that processes starting together do not race.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../observability/logger.js';
import type { Pool } from './pool.js';

// The .sql files live beside this module in the source tree; the compiled module (dist/src/db)
// reads them from there too, so there is one copy.
const here = path.dirname(fileURLToPath(import.meta.url));
export const MIGRATIONS_DIR = existsSync(path.join(here, 'migrations'))
  ? path.join(here, 'migrations')
  : path.resolve(here, '../../../src/db/migrations');

const LOCK_KEY = 7_302_113; // arbitrary, constant: "pricehawk migrations"

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => ({
      version: Number(f.slice(0, 4)),
      name: f.replace(/\.sql$/, ''),
      sql: await fs.readFile(path.join(dir, f), 'utf8'),
    })),
  );
}

export async function migrate(pool: Pool, logger: Logger): Promise<number> {
  const migrations = await loadMigrations();
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const done = new Set(
      (await client.query<{ version: number }>('select version from schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    let applied = 0;
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      logger.info({ migration: m.name }, 'applying migration');
      try {
        await client.query('begin');
        await client.query(m.sql);
        await client.query('insert into schema_migrations (version, name) values ($1, $2)', [
          m.version,
          m.name,
        ]);
        await client.query('commit');
        applied++;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw new Error(`migration ${m.name} failed`, { cause: err });
      }
    }
    return applied;
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
