import pg from 'pg';
import type { Logger } from '../observability/logger.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Queryable = Pick<pg.Pool, 'query'>;

// bigint columns hold ids and money in minor units: both are safe integers, so they come back as
// numbers; anything beyond 2^53 is refused rather than silently rounded.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${v} exceeds the safe range`);
  return n;
});

export function createPool(
  connectionString: string,
  logger: Logger,
  opts: { max?: number; application?: string } = {},
): Pool {
  const pool = new pg.Pool({
    connectionString,
    max: opts.max ?? 10,
    application_name: opts.application ?? 'pricehawk',
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', (err) => logger.warn({ err }, 'idle database connection failed'));
  return pool;
}

/** Runs `fn` in a transaction on one connection; rolls back on any error and rethrows it. */
export async function withTransaction<T>(
  pool: Pool,
  fn: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
