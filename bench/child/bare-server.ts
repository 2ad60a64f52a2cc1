/**
 * The baseline of the demo-store budget: a bare node:http server answering every request with one
 * fixed, pre-gzipped buffer, the least work a server can do to send such a page. The buffer is a
 * real page gzipped (`--page FILE`, chosen by the parent to come out near 150 kB). Same process
 * setup as the demo store child (own process, pinned).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { argValue, serveIpc } from '../lib/serve-ipc.js';

const body = zlib.gzipSync(readFileSync(argValue('page')), { level: 6 });
const server = http.createServer({ keepAliveTimeout: 65_000 }, (_req, res) => {
  res.writeHead(200, {
    'content-type': 'text/html;charset=UTF-8',
    'content-encoding': 'gzip',
    'content-length': body.length,
    'cache-control': 'no-cache',
  });
  res.end(body);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
const cpuAtStart = process.cpuUsage();

serveIpc(
  {
    cpu: () => {
      const u = process.cpuUsage(cpuAtStart);
      return { cpuMs: (u.user + u.system) / 1000, rssMb: process.memoryUsage.rss() / 2 ** 20 };
    },
  },
  { url: `http://127.0.0.1:${port}` },
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);
