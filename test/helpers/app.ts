/** Starts the whole product in this process against a cloned test database. */
import { loadConfig } from '../../src/config.js';
import {
  start,
  WORKER_ROLES,
  type Role,
  type Running,
  type StartOverrides,
} from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';

export interface TestApp extends Running {
  readonly url: string;
  readonly demoStoreUrl: string;
}

export async function startTestApp(
  databaseUrl: string,
  env: Record<string, string> = {},
  roles: readonly Role[] = ['web', ...WORKER_ROLES, 'demo-store'],
  overrides: StartOverrides = {},
): Promise<TestApp> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    DEMO_STORE: 'true',
    DEMO_STORE_PORT: '0',
    DEMO_STORE_SPEED: '0',
    POLL_INTERVAL: '100ms',
    CHECK_INTERVAL_WATCHED: '1h',
    DELIVERY_RETRY_BASE: '200ms',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  });
  const running = await start(config, createLogger(config.logLevel), new Set(roles), overrides);
  if (!running.url) throw new Error('the web role did not start');
  if (roles.includes('demo-store') && !running.demoStoreUrl) throw new Error('no demo store');
  return running as TestApp;
}
