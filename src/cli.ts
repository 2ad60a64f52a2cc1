/**
 * The `pricehawk` command. Each subcommand parses its own arguments, builds what it needs through
 * main.ts, and reports errors as one clear line (with the cause in the log).
 */
import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { openDatabase, start, stopOnSignals, WORKER_ROLES, type Role } from './main.js';
import { parsePriceCli } from './money/index.js';
import { createLogger } from './observability/logger.js';
import { parsePageFile } from './stores/parse-file.js';

const HELP = `pricehawk: price-drop tracker

Usage:
  pricehawk start                      everything in one process (embedded PostgreSQL unless
                                       DATABASE_URL is set, web, workers, demo store)
  pricehawk web                        HTTP API and web UI
  pricehawk worker [--roles LIST]      background roles: checker,notifier,sweeper (default all)
  pricehawk migrate                    apply database migrations and exit
  pricehawk parse FILE... [--url URL]  extract a saved product page; JSON (JSON Lines for several)
  pricehawk parse-price TEXT [--currency ISO] [--locale TAG]
  pricehawk parse-price --stdin [--currency ISO] [--locale TAG]
  pricehawk demo-store [--port N]      the demo storefront alone
  pricehawk seed [--products N] ...    synthetic users, products, history and watches at scale,
                                       for benchmarks (pricehawk seed --help)

Configuration is read from environment variables only; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return serve(new Set<Role>(['web', ...WORKER_ROLES, 'demo-store']), { demoDefault: true });
    case 'web':
      return serve(new Set<Role>(['web']), { demoDefault: false });
    case 'worker': {
      const { values } = parseArgs({ args: rest, options: { roles: { type: 'string' } } });
      const roles = (values.roles ?? WORKER_ROLES.join(',')).split(',').map((r) => r.trim());
      const bad = roles.filter((r) => !WORKER_ROLES.includes(r as Role));
      if (bad.length > 0) {
        console.error(`unknown role(s): ${bad.join(', ')}; choose from ${WORKER_ROLES.join(', ')}`);
        return 2;
      }
      return serve(new Set(roles as Role[]), { demoDefault: false });
    }
    case 'demo-store': {
      const { values } = parseArgs({ args: rest, options: { port: { type: 'string' } } });
      const env: NodeJS.ProcessEnv = { ...process.env, DEMO_STORE: 'true' };
      if (values.port) env.DEMO_STORE_PORT = values.port;
      return serveDemoOnly(env);
    }
    case 'migrate':
      return runMigrate();
    case 'parse':
      return runParse(rest);
    case 'parse-price':
      return runParsePrice(rest);
    case 'seed':
      return runSeed(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return command === undefined ? 2 : 0;
    default:
      console.error(`unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

function config(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(env);
}

async function serve(roles: Set<Role>, opts: { demoDefault: boolean }): Promise<number> {
  const cfg = config();
  const logger = createLogger(cfg.logLevel, { pid: process.pid }, cfg.logFormat);
  if (opts.demoDefault && cfg.demoStore.enabled) roles.add('demo-store');
  else roles.delete('demo-store');
  const running = await start(cfg, logger, roles);
  stopOnSignals(running, logger);
  logger.info(
    { roles: [...roles], url: running.url, demoStore: running.demoStoreUrl },
    running.url ? `Pricehawk is running at ${running.url}` : 'Pricehawk worker running',
  );
  return new Promise<number>(() => undefined); // until a signal ends the process
}

async function serveDemoOnly(env: NodeJS.ProcessEnv): Promise<number> {
  const cfg = config(env);
  const logger = createLogger(cfg.logLevel, {}, cfg.logFormat);
  const { createDemoStore } = await import('./demo-store/index.js');
  const demo = createDemoStore({
    priceMoves: { enabled: cfg.demoStore.speed > 0, speed: cfg.demoStore.speed },
    logger,
  });
  const { url } = await demo.listen(
    cfg.demoStore.port,
    cfg.host === '0.0.0.0' ? '127.0.0.1' : cfg.host,
  );
  logger.info({ url }, `demo store listening at ${url}`);
  const stop = () => {
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return new Promise<number>(() => undefined);
}

async function runMigrate(): Promise<number> {
  const cfg = config();
  const logger = createLogger(cfg.logLevel, {}, cfg.logFormat);
  const db = await openDatabase(cfg, logger);
  const pool = createPool(db.url, logger, { max: 1 });
  try {
    const applied = await migrate(pool, logger);
    console.log(applied === 0 ? 'database is up to date' : `applied ${applied} migration(s)`);
  } finally {
    await pool.end();
    await db.embedded?.stop();
  }
  return 0;
}

async function runSeed(args: string[]): Promise<number> {
  const { parseSeedArgs, seedCatalog, SEED_USAGE } = await import('./cli-seed.js');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(SEED_USAGE);
    return 0;
  }
  const opts = parseSeedArgs(args);
  if (typeof opts === 'string') {
    console.error(opts);
    return 2;
  }
  const cfg = config();
  const logger = createLogger(cfg.logLevel, {}, cfg.logFormat);
  const db = await openDatabase(cfg, logger);
  const pool = createPool(db.url, logger, { max: 2 });
  try {
    await migrate(pool, logger);
    let last = '';
    const report = await seedCatalog(pool, {
      ...opts,
      onProgress: (p) => {
        const line = `${p.phase}: ${Math.floor((100 * p.done) / Math.max(1, p.total))}%`;
        if (line !== last) process.stderr.write(`\r${line.padEnd(30)}`);
        last = line;
      },
    });
    process.stderr.write('\n');
    console.log(
      `seeded ${report.users} users, ${report.products} products, ${report.pricePoints} price points, ${report.watches} watches`,
    );
  } finally {
    await pool.end();
    await db.embedded?.stop();
  }
  return 0;
}

async function runParse(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { url: { type: 'string' } },
  });
  if (positionals.length === 0) {
    console.error('usage: pricehawk parse FILE... [--url URL]');
    return 2;
  }
  let failed = false;
  for (const file of positionals) {
    let html: string;
    try {
      html = await fs.readFile(file, 'utf8');
    } catch (err) {
      console.error(`${file}: ${(err as Error).message}`);
      failed = true;
      continue;
    }
    const out = parsePageFile(html, values.url);
    const line = positionals.length > 1 ? { file, ...out } : out;
    console.log(JSON.stringify(line, null, positionals.length > 1 ? undefined : 2));
  }
  return failed ? 1 : 0;
}

async function runParsePrice(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      currency: { type: 'string' },
      locale: { type: 'string' },
      stdin: { type: 'boolean' },
    },
  });
  const hints = { currency: values.currency?.toUpperCase(), locale: values.locale };
  if (values.stdin) {
    const { createInterface } = await import('node:readline');
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) console.log(JSON.stringify(parsePriceCli(line, hints)));
    return 0;
  }
  if (positionals.length !== 1) {
    console.error('usage: pricehawk parse-price TEXT [--currency ISO] [--locale TAG] | --stdin');
    return 2;
  }
  console.log(JSON.stringify(parsePriceCli(positionals[0] ?? '', hints)));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(`pricehawk: ${err.message}`);
      process.exit(2);
    }
    console.error(`pricehawk: ${(err as Error).message}`);
    if ((err as Error).cause) console.error('caused by:', (err as Error).cause);
    process.exit(1);
  },
);
