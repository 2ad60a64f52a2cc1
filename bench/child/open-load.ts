/**
 * An open-loop load generator: requests start on a fixed schedule (`rate` per second) whether or
 * not earlier ones have answered, and each latency is measured from the moment the request was
 * due, not from when it could be sent, so a slow server cannot hide its queue (no coordinated
 * omission). Requests rotate over named targets; each target picks a random path and header set.
 */
import { Pool } from 'undici';
import { serveIpc } from '../lib/serve-ipc.js';

interface Target {
  name: string;
  paths: string[];
  /** One header set per simulated user, picked at random (e.g. session cookies). */
  headers: Array<Record<string, string>>;
}

interface RunArgs {
  origin: string;
  targets: Target[];
  rate: number;
  warmupMs: number;
  durationMs: number;
  connections: number;
  /** How long to wait for answers after the last request was due. */
  graceMs: number;
}

function pick<T>(xs: readonly T[]): T {
  const x = xs[Math.floor(Math.random() * xs.length)];
  if (x === undefined) throw new Error('empty list');
  return x;
}

async function run(a: RunArgs) {
  const pool = new Pool(a.origin, { connections: a.connections, pipelining: 1 });
  const lat = new Map<string, number[]>(a.targets.map((t) => [t.name, []]));
  const failures = new Map<string, number>(a.targets.map((t) => [t.name, 0]));
  const total = Math.round((a.rate * (a.warmupMs + a.durationMs)) / 1000);
  const measuredFrom = Math.round((a.rate * a.warmupMs) / 1000);
  const start = performance.now();
  const inflight = new Set<Promise<void>>();
  /** Requests sent and not answered yet: index → target name. */
  const pending = new Map<number, string>();
  let done = false;
  let cpu: NodeJS.CpuUsage | undefined;
  let lateStarts = 0;
  for (let i = 0; i < total;) {
    const due = start + (i * 1000) / a.rate;
    const now = performance.now();
    if (now < due) {
      await new Promise((r) => setTimeout(r, Math.max(0, due - now - 1)));
      continue;
    }
    // Everything due by now goes out at once.
    while (i < total && start + (i * 1000) / a.rate <= performance.now()) {
      const index = i++;
      const intended = start + (index * 1000) / a.rate;
      if (performance.now() - intended > 5) lateStarts++;
      if (index === measuredFrom) cpu = process.cpuUsage();
      const t = a.targets[index % a.targets.length];
      if (!t) throw new Error('no targets');
      pending.set(index, t.name);
      const p = (async () => {
        let ok: boolean;
        try {
          const res = await pool.request({
            path: pick(t.paths),
            method: 'GET',
            headers: pick(t.headers),
          });
          await res.body.text();
          ok = res.statusCode === 200;
        } catch {
          ok = false;
        }
        pending.delete(index);
        if (index < measuredFrom || done) return;
        if (ok) lat.get(t.name)?.push(performance.now() - intended);
        else failures.set(t.name, (failures.get(t.name) ?? 0) + 1);
      })();
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  }
  // A server far below the rate builds a queue that could take minutes to drain: wait at most
  // `graceMs`, then count what is still out at the time it has waited so far (a lower bound).
  const scheduleEnd = performance.now();
  const settled = Promise.all(inflight).then(() => true);
  const drained = await Promise.race([
    settled,
    new Promise<boolean>((r) => setTimeout(() => r(false), a.graceMs)),
  ]);
  const used = cpu ? process.cpuUsage(cpu) : { user: 0, system: 0 };
  const seconds = (scheduleEnd - start) / 1000 - a.warmupMs / 1000;
  let unfinished = 0;
  if (!drained) {
    const now = performance.now();
    for (const [index, t] of pending) {
      if (index < measuredFrom) continue;
      unfinished++;
      lat.get(t)?.push(now - (start + (index * 1000) / a.rate));
    }
  }
  done = true;
  await pool.destroy();
  return {
    unfinished,
    latencies: Object.fromEntries(lat),
    failures: Object.fromEntries(failures),
    seconds,
    lateStarts,
    clientCpu: (used.user + used.system) / 1000 / (seconds * 1000),
  };
}

serveIpc({ run: (args) => run(args as unknown as RunArgs) }, {});
