/**
 * One embedded PostgreSQL for the whole run (started on first use, in a temp dir, durability off
 * as for the test clusters), and a fresh, migrated database per section so sections never see each
 * other's rows.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, withDatabase, type Pool } from '../../src/db/pool.js';
import { benchLogger } from './logger.js';
import { progress } from './progress.js';
import type { Scope } from './scope.js';

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  readonly pool: Pool;
}

export class BenchPostgres {
  private server: Promise<EmbeddedPostgres> | undefined;

  /** `scope` is the run's scope: the server lives until the end of the run. */
  constructor(private readonly scope: Scope) {}

  private start(): Promise<EmbeddedPostgres> {
    this.server ??= (async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricehawk-bench-'));
      this.scope.defer(`temp dir ${dir}`, () => fs.rm(dir, { recursive: true, force: true }));
      // PostgreSQL runs as its own user when we are root; it must be able to enter the directory.
      await fs.chmod(dir, 0o755);
      const started = performance.now();
      const server = await startEmbeddedPostgres({
        dataDir: dir,
        logger: benchLogger(),
        ephemeral: true,
      });
      this.scope.defer('embedded PostgreSQL', () => server.stop());
      progress(
        'postgres',
        `embedded PostgreSQL up in ${((performance.now() - started) / 1000).toFixed(1)} s (${dir})`,
      );
      return server;
    })();
    return this.server;
  }

  /** A new database with every migration applied; dropped when `scope` closes. */
  async freshDatabase(scope: Scope, label: string, poolMax: number): Promise<BenchDatabase> {
    const server = await this.start();
    const name = `bench_${label.replace(/\W/g, '_')}_${randomBytes(3).toString('hex')}`;
    await adminQuery(server.url, `create database ${name}`);
    scope.defer(`database ${name}`, () =>
      adminQuery(server.url, `drop database if exists ${name} with (force)`),
    );
    const url = withDatabase(server.url, name);
    const pool = createPool(url, benchLogger(), { max: poolMax, application: `bench-${label}` });
    scope.defer(`pool of ${name}`, () => pool.end());
    await migrate(pool, benchLogger());
    return { name, url, pool };
  }

  /** The server's PostgreSQL version, for the machine info. */
  async version(): Promise<string> {
    const server = await this.start();
    const c = new pg.Client({ connectionString: server.url });
    await c.connect();
    try {
      const { rows } = await c.query<{ v: string }>(
        "select current_setting('server_version') as v",
      );
      return rows[0]?.v ?? '?';
    } finally {
      await c.end();
    }
  }

  get started(): boolean {
    return this.server !== undefined;
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
