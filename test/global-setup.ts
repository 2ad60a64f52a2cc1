/**
 * One real PostgreSQL server per test run (the embedded one the product uses), a template database
 * migrated once, and its URL handed to the test files, which clone it per file.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { createPool, withDatabase } from '../src/db/pool.js';
import { createLogger } from '../src/observability/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
    templateDb: string;
  }
}

export const TEMPLATE_DB = 'pricehawk_template';

let server: EmbeddedPostgres | undefined;
let dir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricehawk-test-'));
  // PostgreSQL runs as its own user when we are root; it must be able to enter the directory.
  await fs.chmod(dir, 0o755);
  server = await startEmbeddedPostgres({ dataDir: dir, logger, ephemeral: true });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const pool = createPool(withDatabase(server.url, TEMPLATE_DB), logger, { max: 1 });
  await migrate(pool, logger);
  await pool.end();
  project.provide('pgUrl', server.url);
  project.provide('templateDb', TEMPLATE_DB);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
}
