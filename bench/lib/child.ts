/**
 * Child processes for the parts that must not share our event loop: servers under load, load
 * generators, the checker whose memory we report. A child is a bench/child/*.ts module run by the
 * same Node (with tsx's loader when we run under tsx), talks over the IPC channel, and can be
 * pinned to one CPU with taskset so that "on one core" is true.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Scope } from './scope.js';

export interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

export interface ChildHandle {
  readonly pid: number;
  readonly proc: ChildProcess;
  /** What the child sent with its `ready` message (its URL, for a server). */
  readonly ready: Record<string, unknown>;
  /** Sends a command and waits for its answer. */
  call<T>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  /** Asks the child to exit, then kills it (by its pid) if it does not within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

let tasksetChecked: boolean | undefined;
export function hasTaskset(): boolean {
  tasksetChecked ??= spawnSync('taskset', ['-p', String(process.pid)]).status === 0;
  return tasksetChecked;
}

export interface SpawnOptions {
  /** Pin the child to this CPU (needs taskset; the report says whether it was pinned). */
  readonly cpu?: number | undefined;
  readonly args?: readonly string[];
  /** Extra flags for node itself (e.g. --max-old-space-size). */
  readonly nodeFlags?: readonly string[];
  readonly readyTimeoutMs?: number;
}

/** Starts bench/child/<name> and waits for its `ready` message. */
export async function startChild(
  scope: Scope,
  name: string,
  opts: SpawnOptions = {},
): Promise<ChildHandle> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const script = fileURLToPath(new URL(`../child/${name}${ext}`, import.meta.url));
  // execArgv carries tsx's loader under `tsx` and --expose-gc under `npm run bench`.
  const nodeArgs = [...process.execArgv, ...(opts.nodeFlags ?? []), script, ...(opts.args ?? [])];
  const pinned = opts.cpu !== undefined && hasTaskset();
  const proc = pinned
    ? spawn('taskset', ['-c', String(opts.cpu), process.execPath, ...nodeArgs], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
    : spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pid = proc.pid ?? 0;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let readyInfo: Record<string, unknown> | undefined;
  let onReady: ((info: Record<string, unknown>) => void) | undefined;

  proc.on('message', (raw) => {
    const msg = raw as { type?: string } & Partial<Reply> & Record<string, unknown>;
    if (msg.type === 'ready') {
      readyInfo = msg;
      onReady?.(msg);
      return;
    }
    if (typeof msg.id !== 'number') return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(`${name}: ${msg.error ?? 'failed'}`));
  });
  proc.once('exit', (code, signal) => {
    const err = new Error(`${name} exited (${signal ?? code})`);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  });

  const stop = async (graceMs = 5_000): Promise<void> => {
    if (exited) return;
    if (proc.connected) proc.disconnect(); // children exit when the channel closes
    const timer = setTimeout(() => {
      if (!exited && pid) process.kill(pid, 'SIGKILL');
    }, graceMs);
    await exitedPromise;
    clearTimeout(timer);
  };
  scope.defer(`child ${name} (pid ${pid})`, () => stop());

  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    if (readyInfo) return resolve(readyInfo);
    const t = setTimeout(
      () => reject(new Error(`${name} did not start within ${opts.readyTimeoutMs ?? 60_000} ms`)),
      opts.readyTimeoutMs ?? 60_000,
    );
    onReady = (info) => {
      clearTimeout(t);
      resolve(info);
    };
    proc.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`${name} exited with ${code} before it was ready`));
    });
  });

  return {
    pid,
    proc,
    ready: { ...ready, pinned: pinned ? opts.cpu : null },
    call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, cmd, args }, (err) => {
          if (err) {
            pending.delete(id);
            reject(err);
          }
        });
      });
    },
    stop,
  };
}
