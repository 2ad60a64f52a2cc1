/**
 * A closed-loop HTTP/1.1 load generator in its own process (pinned by the parent), written on raw
 * keep-alive sockets the way autocannon is: each connection sends the next GET as soon as the last
 * answer is complete, and an answer is only counted, never parsed past its headers. An undici
 * client was the limit in an earlier version (a core saturated at ~3–5k 150 kB pages/s); this one
 * costs a fraction of that, so the server under test sets the pace. It reports requests and bytes
 * over the measured window only (after a warm-up) and its own CPU, so the report can show whether
 * the client was near its limit anyway.
 */
import net from 'node:net';
import { serveIpc } from '../lib/serve-ipc.js';

interface RunArgs {
  origin: string;
  paths: string[];
  connections: number;
  warmupMs: number;
  durationMs: number;
  headers?: Record<string, string>;
}

const HEADER_END = Buffer.from('\r\n\r\n');

interface Counters {
  ok: number;
  failed: number;
  bytes: number;
  statuses: Record<string, number>;
}

/** One keep-alive connection that loops over `paths` until `stopped()`. */
function connection(a: RunArgs, first: number, c: Counters, stopped: () => boolean): Promise<void> {
  const url = new URL(a.origin);
  const extra = Object.entries(a.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const requestFor = (i: number) =>
    `GET ${a.paths[i % a.paths.length] ?? '/'} HTTP/1.1\r\nHost: ${url.host}\r\n${extra}\r\n`;
  return new Promise<void>((resolve) => {
    const sock = net.connect(Number(url.port), url.hostname);
    sock.setNoDelay(true);
    let i = first;
    let remaining = -1; // -1: waiting for the status line and headers
    let head: Buffer | null = null; // headers split across reads
    let status = 0;
    const next = () => {
      if (stopped()) {
        sock.end();
        return;
      }
      sock.write(requestFor(i));
      i += a.connections;
    };
    sock.on('connect', next);
    sock.on('data', (chunk: Buffer) => {
      let off = 0;
      while (off < chunk.length) {
        if (remaining < 0) {
          const buf = head ? Buffer.concat([head, chunk.subarray(off)]) : chunk.subarray(off);
          const end = buf.indexOf(HEADER_END);
          if (end < 0) {
            head = Buffer.from(buf);
            return;
          }
          const text = buf.toString('latin1', 0, end);
          status = Number(text.slice(9, 12));
          const m = /\r\ncontent-length:\s*(\d+)/i.exec(text);
          if (!m) {
            c.failed++;
            sock.destroy();
            return;
          }
          remaining = Number(m[1]);
          // Continue in this chunk after the headers (offsets relative to chunk).
          off += end + 4 - (head ? head.length : 0);
          head = null;
        }
        const take = Math.min(remaining, chunk.length - off);
        c.bytes += take;
        remaining -= take;
        off += take;
        if (remaining === 0) {
          remaining = -1;
          c.statuses[status] = (c.statuses[status] ?? 0) + 1;
          if (status === 200) c.ok++;
          else c.failed++;
          next();
        }
      }
    });
    sock.on('error', () => {
      c.failed++;
    });
    sock.on('close', () => resolve());
  });
}

async function run(a: RunArgs) {
  const c: Counters = { ok: 0, failed: 0, bytes: 0, statuses: {} };
  let stop = false;
  const conns = Array.from({ length: a.connections }, (_, w) => connection(a, w, c, () => stop));
  await new Promise((r) => setTimeout(r, a.warmupMs));
  const start = { ...c, t: performance.now(), cpu: process.cpuUsage() };
  await new Promise((r) => setTimeout(r, a.durationMs));
  const seconds = (performance.now() - start.t) / 1000;
  const cpu = process.cpuUsage(start.cpu);
  const end = { ...c };
  stop = true;
  await Promise.all(conns);
  return {
    requests: end.ok - start.ok,
    failed: end.failed - start.failed,
    bytes: end.bytes - start.bytes,
    seconds,
    cpuMs: (cpu.user + cpu.system) / 1000,
    statuses: c.statuses,
  };
}

serveIpc({ run: (args) => run(args as unknown as RunArgs) }, {});
