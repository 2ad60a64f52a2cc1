/**
 * CPU time of the embedded PostgreSQL (postmaster and every process it forked: backends, WAL
 * writer, checkpointer...), read from /proc, so a section can say how much of the machine's two
 * cores the database used while it ran. Linux only; elsewhere it reports null.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Pool } from '../../src/db/pool.js';

/** USER_HZ: /proc reports CPU times in clock ticks, 100 per second on Linux. */
const TICKS_PER_SECOND = 100;

/** utime+stime of a process, and cutime+cstime: its children that exited and were reaped. */
function stat(pid: number): { ppid: number; ticks: number; reaped: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may contain spaces) in parentheses.
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return {
      ppid: Number(f[1]),
      ticks: Number(f[11]) + Number(f[12]),
      reaped: Number(f[13]) + Number(f[14]),
    };
  } catch {
    return null;
  }
}

export interface PostgresCpu {
  /**
   * CPU milliseconds used so far by the server: the postmaster, its live children, and the
   * children it has reaped (backends of closed connections), so the total only grows.
   */
  read(): number | null;
}

export async function postgresCpu(pool: Pool): Promise<PostgresCpu> {
  const { rows } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
  const backend = rows[0]?.pid;
  const postmaster = backend ? stat(backend)?.ppid : undefined;
  return {
    read() {
      if (!postmaster) return null;
      const own = stat(postmaster);
      let ticks = (own?.ticks ?? 0) + (own?.reaped ?? 0);
      for (const name of readdirSync('/proc')) {
        const pid = Number(name);
        if (!Number.isInteger(pid) || pid === postmaster) continue;
        const s = stat(pid);
        if (s?.ppid === postmaster) ticks += s.ticks;
      }
      return (ticks * 1000) / TICKS_PER_SECOND;
    },
  };
}
