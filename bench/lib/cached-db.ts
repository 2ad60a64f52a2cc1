/**
 * Databases seeded at full scale take most of an hour to build on a 2-core machine, far longer
 * than the measurement they serve. They are built once into a second embedded PostgreSQL under
 * `.bench-cache/postgres` (kept between runs, git-ignored) and reused: a database counts as built
 * only once its builder finished and wrote a marker row, so a run killed mid-seed starts over.
 * Every run applies the current migrations to it first, as an upgrade would in production.
 * Delete `.bench-cache/` to rebuild from scratch.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, withDatabase, type Pool } from '../../src/db/pool.js';
import { benchLogger } from './logger.js';
import { repoRoot } from './paths.js';
import { progress } from './progress.js';
import type { Scope } from './scope.js';

export interface CachedDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: Pool;
  /** True when this run built it (and `buildSeconds` says how long that took). */
  readonly built: boolean;
  readonly buildSeconds: number | null;
}

let server: Promise<EmbeddedPostgres> | undefined;

export function cacheDir(): string {
  return path.join(repoRoot(), '.bench-cache');
}

/** The cache's server lives until `runScope` closes (the end of the run). */
function startServer(runScope: Scope): Promise<EmbeddedPostgres> {
  server ??= (async () => {
    const dir = path.join(cacheDir(), 'postgres');
    await fs.mkdir(dir, { recursive: true });
    // PostgreSQL runs as its own user when we are root: it must be able to enter the directories.
    await fs.chmod(cacheDir(), 0o755);
    await fs.chmod(dir, 0o755);
    const started = performance.now();
    const s = await startEmbeddedPostgres({ dataDir: dir, logger: benchLogger(), ephemeral: true });
    runScope.defer('cached PostgreSQL', () => s.stop());
    progress(
      'postgres',
      `cache PostgreSQL up in ${((performance.now() - started) / 1000).toFixed(1)} s (${dir})`,
    );
    return s;
  })();
  return server;
}

async function admin<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/**
 * The cached database `key` (letters, digits, underscores), built by `build` when missing or
 * unfinished. The pool is closed when `scope` closes; the database stays.
 */
export async function cachedDatabase(
  runScope: Scope,
  scope: Scope,
  key: string,
  poolMax: number,
  build: (pool: Pool) => Promise<void>,
): Promise<CachedDatabase> {
  if (!/^\w+$/.test(key)) throw new RangeError(`bad cache key ${key}`);
  const s = await startServer(runScope);
  const name = `cache_${key}`;
  const url = withDatabase(s.url, name);
  const exists =
    (await admin(s.url, 'select 1 from pg_database where datname = $1', [name])).length > 0;
  let finished = false;
  if (exists) {
    const marker = await admin<{ n: string }>(
      url,
      `select count(*) as n from pg_tables where tablename = 'bench_cache_built'`,
    );
    finished = Number(marker[0]?.n) > 0;
    if (!finished) {
      progress('cache', `${name} was left unfinished by an earlier run: rebuilding it`);
      await admin(s.url, `drop database ${name} with (force)`);
    }
  }
  if (!exists || !finished) await admin(s.url, `create database ${name}`);
  const pool = createPool(url, benchLogger(), { max: poolMax, application: `bench-${key}` });
  scope.defer(`pool of ${name}`, () => pool.end());
  await migrate(pool, benchLogger());
  if (finished) {
    progress('cache', `reusing ${name} from ${path.join(cacheDir(), 'postgres')}`);
    return { name, url, pool, built: false, buildSeconds: null };
  }
  const t = performance.now();
  await build(pool);
  await pool.query('create table bench_cache_built (built_at timestamptz not null)');
  await pool.query('insert into bench_cache_built values (now())');
  const buildSeconds = (performance.now() - t) / 1000;
  progress('cache', `built ${name} in ${buildSeconds.toFixed(0)} s`);
  return { name, url, pool, built: true, buildSeconds };
}

export function cacheExists(): boolean {
  return existsSync(path.join(cacheDir(), 'postgres'));
}
