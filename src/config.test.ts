import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config.js';

describe('config', () => {
  it('has working defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.demoStore.enabled).toBe(true);
    expect(c.checker.intervalWatchedMs).toBe(3_600_000);
    expect(c.checker.intervalUnwatchedMs).toBe(86_400_000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(Object.isFrozen(c.checker)).toBe(true);
  });

  it('turns the demo store off by default with an external database', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@db/x' }).demoStore.enabled).toBe(false);
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u:p@db/x', DEMO_STORE: 'true' }).demoStore.enabled,
    ).toBe(true);
  });

  it('reads durations in their units', () => {
    const c = loadConfig({
      CHECK_INTERVAL_WATCHED: '15m',
      LEASE_DURATION: '90s',
      POLL_INTERVAL: '250ms',
    });
    expect(c.checker.intervalWatchedMs).toBe(900_000);
    expect(c.leaseMs).toBe(90_000);
    expect(c.pollMs).toBe(250);
  });

  it.each([
    ['PORT', 'eighty', 'PORT="eighty"'],
    ['PORT', '70000', 'PORT="70000"'],
    ['DATABASE_URL', 'mysql://x', 'expected a URL (postgres: or postgresql:)'],
    ['SMTP_URL', 'not a url', 'SMTP_URL'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
    ['CHECK_INTERVAL_WATCHED', 'hourly', 'expected a duration like 1h'],
    ['DEMO_STORE', 'maybe', 'DEMO_STORE'],
    ['FETCH_PROXIES', 'http://ok:8080,socks5://nope:1080', 'FETCH_PROXIES'],
  ])('refuses %s=%s with a message naming it', (name, value, expected) => {
    let err: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(name);
    expect((err as Error).message).toContain(expected);
  });
});

describe('the README', () => {
  it('documents every environment variable the config reads', async () => {
    const fs = await import('node:fs/promises');
    const path = await import('node:path');
    const readme = await fs.readFile(path.join(import.meta.dirname, '../README.md'), 'utf8');
    for (const name of CONFIG_VARIABLES) {
      expect(readme, name).toMatch(new RegExp(`\\| \`${name}\` +\\|`));
    }
  });
});
