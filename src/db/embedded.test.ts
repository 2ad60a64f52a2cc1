/**
 * The embedded server's recovery paths: data kept across restarts, a stale lock left by a crash,
 * and a port taken by something else in the meantime.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';

const logger = createLogger('silent');
const uidOf = (user: string) => Number(execFileSync('id', ['-u', user]).toString().trim());
const gidOf = (user: string) => Number(execFileSync('id', ['-g', user]).toString().trim());

async function query(url: string, sql: string): Promise<unknown[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

describe('embedded PostgreSQL', () => {
  let dir: string;
  let server: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pricehawk-embedded-'));
    await fs.chmod(dir, 0o755);
  });
  afterAll(async () => {
    await server?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('initialises a cluster and keeps its data across a restart', async () => {
    server = await startEmbeddedPostgres({ dataDir: dir, logger, ephemeral: true });
    await query(server.url, 'create table kept (v text); insert into kept values ($$still here$$)');
    await server.stop();
    server = await startEmbeddedPostgres({ dataDir: dir, logger, ephemeral: true });
    expect(await query(server.url, 'select v from kept')).toEqual([{ v: 'still here' }]);
  });

  it('starts over a stale lock whose pid now belongs to another program', async () => {
    await server?.stop();
    // A crash leaves postmaster.pid behind; after a reboot its pid may belong to any other process
    // of the same user (here a `sleep` run as the server's user). PostgreSQL alone refuses to start
    // then, taking it for a live server. (It ignores its own parent's pid and other users' pids.)
    const asServerUser =
      process.getuid?.() === 0 ? { uid: uidOf('postgres'), gid: gidOf('postgres') } : {};
    const other = spawn('sleep', ['30'], { stdio: 'ignore', ...asServerUser });
    try {
      const lock = path.join(dir, 'postgres', 'postmaster.pid');
      await fs.writeFile(
        lock,
        `${other.pid}\n${path.join(dir, 'postgres')}\n1700000000\n5432\n\n127.0.0.1\n`,
      );
      server = await startEmbeddedPostgres({ dataDir: dir, logger, ephemeral: true });
      expect(await query(server.url, 'select v from kept')).toEqual([{ v: 'still here' }]);
    } finally {
      other.kill();
    }
  });

  it('moves to a free port when its port has been taken meanwhile', async () => {
    const port = (server as EmbeddedPostgres).port;
    await server?.stop();
    const squatter = net.createServer();
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    try {
      server = await startEmbeddedPostgres({ dataDir: dir, logger, ephemeral: true });
      expect(server.port).not.toBe(port);
      expect(await query(server.url, 'select v from kept')).toEqual([{ v: 'still here' }]);
    } finally {
      squatter.close();
    }
  });
});
