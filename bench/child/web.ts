/**
 * The product's web role (the real Fastify app from main.ts: auth, routes, presenters, its own
 * pool) against the seeded database, in its own process so the load generator and the bench do not
 * share its event loop.
 *
 * Args: --db URL
 */
import { loadConfig } from '../../src/config.js';
import { start } from '../../src/main.js';
import { benchLogger } from '../lib/logger.js';
import { argValue, serveIpc } from '../lib/serve-ipc.js';

const config = loadConfig({
  DATABASE_URL: argValue('db'),
  PORT: '0',
  HOST: '127.0.0.1',
  DEMO_STORE: 'false',
  PUBLIC_URL: 'http://127.0.0.1',
  LOG_LEVEL: 'warn',
});
const running = await start(config, benchLogger(), new Set(['web']));
if (!running.url) throw new Error('the web role did not start');
const cpuAtStart = process.cpuUsage();

serveIpc(
  {
    cpu: () => {
      const u = process.cpuUsage(cpuAtStart);
      return { cpuMs: (u.user + u.system) / 1000, rssMb: process.memoryUsage.rss() / 2 ** 20 };
    },
  },
  { url: running.url.replace('localhost', '127.0.0.1') },
  () => running.stop(),
);
