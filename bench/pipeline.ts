/**
 * Pipeline budget: whole checks per second, end to end: claim a due batch with a lease → fetch from
 * the demo store through the real fetcher → extract → one transaction that stores the observation,
 * evaluates the watches and writes the outbox. N demo products are inserted (all due), each watched
 * by two users with `below` watches (half the targets above the current price, so the first check
 * fires them and writes notifications + deliveries). The checker runs in its own process (its CPU
 * and peak RSS are its own: the memory budget), the demo store in another; all share the machine's
 * two cores with PostgreSQL (and with whatever else runs here: see loadavg).
 * Baseline: the same fetch + extract in the same batch/concurrency shape, without the database.
 */
import type { BenchContext, SectionOutput } from './context.js';
import { startChild } from './lib/child.js';
import type { Pool } from '../src/db/pool.js';
import { progress } from './lib/progress.js';
import { fmt, type Table } from './lib/report.js';

const SECTION = 'pipeline';
const BATCH_SIZE = 100;
const CONCURRENCY = 48;
const WATCHES_PER_PRODUCT = 2;

interface DemoListing {
  asin: string;
  marketplace: string;
  path: string;
  currency: string;
  priceMinor: number | null;
  availability: string;
}

interface CheckerRun {
  checks: number;
  batches: number;
  seconds: number;
  cpuMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopUtilization: number;
  peakRssMb: number;
  /** V8 heap (committed) and memory outside it (buffers, zlib) when the RSS peaked. */
  heapAtPeakMb: number;
  externalAtPeakMb: number;
  timings: {
    fetches: number;
    fetchWallMs: number;
    extracts: number;
    extractCpuMs: number;
    bytesRead: number;
    stoppedEarly: number;
    connections: number;
    outcomes: Record<string, number>;
  };
}

/**
 * Products (all due now), users with confirmed email addresses (alerts are emailed only to those),
 * and two `below` watches per product; returns how many fire.
 */
async function seed(pool: Pool, listing: DemoListing[], demoUrl: string): Promise<number> {
  const n = listing.length;
  const users = n; // product i is watched by users i and i+1 (mod n)
  await pool.query(
    `insert into users (email, name, password_hash, email_verified_at)
     select 'bench' || g || '@example.test', 'Bench user ' || g, 'not-a-hash', now()
       from generate_series(1, $1) g`,
    [users],
  );
  await pool.query(
    `insert into products (store, marketplace, external_id, url, watcher_count, next_check_at)
     select 'demo', m, a, u, $4, now() - interval '1 minute'
       from unnest($1::text[], $2::text[], $3::text[]) as t(m, a, u)`,
    [
      listing.map((p) => p.marketplace),
      listing.map((p) => p.asin),
      listing.map((p) => `${demoUrl}${p.path}`),
      WATCHES_PER_PRODUCT,
    ],
  );
  // Even products: targets above today's price (the first check fires both watches); odd: half
  // the price (no alert). Out-of-stock products have no price and fire nothing.
  let firing = 0;
  const targets = listing.map((p, i) => {
    if (p.priceMinor === null) return 1;
    if (i % 2 === 0 && p.availability === 'in_stock') firing += WATCHES_PER_PRODUCT;
    return i % 2 === 0 ? p.priceMinor + 100 : Math.floor(p.priceMinor / 2);
  });
  await pool.query(
    `insert into watches (user_id, product_id, price_type, rule_type, target_minor, currency)
     select u.id, p.id, 'buybox', 'below', t.target, t.currency
       from unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) as t(m, a, target, currency)
       join products p on p.marketplace = t.m and p.external_id = t.a
       cross join generate_series(0, $5 - 1) k
       join users u on u.id = ((p.id + k - 1) % $6) + 1`,
    [
      listing.map((p) => p.marketplace),
      listing.map((p) => p.asin),
      targets,
      listing.map((p) => p.currency),
      WATCHES_PER_PRODUCT,
      users,
    ],
  );
  return firing;
}

export async function pipeline(ctx: BenchContext): Promise<SectionOutput> {
  const n = ctx.quick ? 300 : 2_000;
  const demo = await startChild(ctx.scope, 'demo-store', {
    args: ['--products', String(n)],
    readyTimeoutMs: 120_000,
  });
  const demoUrl = String(demo.ready.url);
  const listing = await demo.call<DemoListing[]>('products');

  // Rendering N pages takes a while; seed the database meanwhile.
  progress(SECTION, `warming ${n} demo pages (gzip + br, as the fetcher asks) and seeding`);
  const warming = demo.call<{ seconds: number }>('warm', { encoding: 'gzip, br', concurrency: 4 });
  // Awaited below; until then a failure (the child stopped by Ctrl-C) must not go unhandled.
  warming.catch(() => undefined);
  const db = await ctx.postgres.freshDatabase(ctx.scope, SECTION, 4);
  const firing = await seed(db.pool, listing, demoUrl);
  const warm = await warming;
  progress(
    SECTION,
    `warmed in ${fmt(warm.seconds)} s; ${n} products, ${n * WATCHES_PER_PRODUCT} watches, ${firing} should fire`,
  );

  const runChecker = async (mode: 'baseline' | 'pipeline'): Promise<CheckerRun> => {
    const child = await startChild(ctx.scope, 'checker');
    const r = await child.call<CheckerRun>('run', {
      mode,
      dbUrl: db.url,
      demoUrl,
      batchSize: BATCH_SIZE,
      concurrency: CONCURRENCY,
      connectionsPerOrigin: CONCURRENCY,
      products: listing.map((p) => ({
        store: 'demo',
        marketplace: p.marketplace,
        externalId: p.asin,
        url: `${demoUrl}${p.path}`,
      })),
    });
    await child.stop();
    progress(
      SECTION,
      `${mode}: ${r.checks} checks in ${fmt(r.seconds)} s = ${fmt(r.checks / r.seconds)}/s`,
    );
    return r;
  };
  const base = await runChecker('baseline');
  const full = await runChecker('pipeline');
  const demoCpu = await demo.call<{ cpuMs: number; rssMb: number }>('cpu');

  const { rows } = await db.pool.query<{
    ok: number;
    checked: number;
    notifications: number;
    deliveries: number;
    points: number;
  }>(
    `select (select count(*) from products where last_outcome = 'ok')::int as ok,
            (select count(*) from products where last_checked_at is not null)::int as checked,
            (select count(*) from notifications)::int as notifications,
            (select count(*) from deliveries)::int as deliveries,
            (select count(*) from price_points)::int as points`,
  );
  const check = rows[0];
  if (!check) throw new Error('no counts');

  const rate = (r: CheckerRun) => r.checks / r.seconds;
  const perCheck = (r: CheckerRun, ms: number) => ms / Math.max(1, r.checks);
  const describe = (label: string, r: CheckerRun): string[] => [
    label,
    String(r.checks),
    fmt(r.seconds),
    fmt(rate(r)),
    fmt(perCheck(r, r.cpuMs)),
    fmt(perCheck(r, r.cpuSystemMs)),
    `${Math.round(r.eventLoopUtilization * 100)}%`,
    fmt(r.timings.fetchWallMs / Math.max(1, r.timings.fetches)),
    fmt(r.timings.extractCpuMs / Math.max(1, r.timings.extracts)),
    fmt(r.timings.bytesRead / Math.max(1, r.timings.fetches) / 1000),
    `${r.timings.stoppedEarly}/${r.timings.fetches}`,
    String(r.timings.connections),
    fmt(r.peakRssMb),
  ];
  const table: Table = {
    title:
      `Pipeline: ${n} demo products, batch ${BATCH_SIZE}, concurrency ${CONCURRENCY}, ` +
      `fetcher connections/origin ${CONCURRENCY}; checker and demo store in separate processes sharing 2 cores with PostgreSQL`,
    columns: [
      'run',
      'checks',
      's',
      'checks/s',
      'CPU ms/check',
      'of it sys',
      'event loop busy',
      'fetch wall ms',
      'extract CPU ms',
      'decoded kB',
      'stopped early',
      'TCP conns',
      'peak RSS MB',
    ],
    rows: [describe('fetch+extract (no DB)', base), describe('whole pipeline', full)],
    footer: [
      `pipeline result: ${check.checked}/${n} checked, ${check.ok} ok (outcomes ${JSON.stringify(full.timings.outcomes)}), ` +
        `${check.points} price points, ${check.notifications} notifications (expected ${firing}), ${check.deliveries} deliveries`,
      `demo store process: ${fmt(demoCpu.cpuMs / 1000)} CPU-s over the section (warm-up included), RSS ${fmt(demoCpu.rssMb)} MB`,
      `CPU ms/check is the checker process's own CPU (all threads: zlib, GC) per check; sys = kernel time (page faults, sockets).`,
    ],
  };

  const pipelineRate = rate(full);
  const notes = (r: CheckerRun) =>
    `${n} products; checker CPU ${fmt(perCheck(r, r.cpuMs))} ms/check, event loop ${Math.round(r.eventLoopUtilization * 100)}% busy; ` +
    `batch ${BATCH_SIZE}, conc ${CONCURRENCY}; demo store + PostgreSQL on the same 2 cores`;
  return {
    rows: [
      {
        section: SECTION,
        name: 'pipeline checks/s',
        figure: { value: pipelineRate, unit: 'checks/s' },
        budget: { op: '>=', value: 1_000 },
        baseline: { name: 'fetch+extract, no DB', figure: { value: rate(base), unit: 'checks/s' } },
        ratio: { label: 'pipeline/no-DB', value: pipelineRate / rate(base) },
        notes: `${notes(full)}; ${check.notifications}/${firing} alerts written`,
      },
      {
        section: SECTION,
        name: 'checker peak RSS',
        figure: { value: full.peakRssMb, unit: 'MB' },
        budget: { op: '<=', value: 300 },
        baseline: { name: 'fetch+extract process', figure: { value: base.peakRssMb, unit: 'MB' } },
        ratio: { label: 'pipeline/no-DB', value: full.peakRssMb / base.peakRssMb },
        notes: `peak resident set of the checker process under the run above (sampled every 50 ms and getrusage maxrss); at the peak: V8 heap ${fmt(full.heapAtPeakMb)} MB, buffers and other memory outside it ${fmt(full.externalAtPeakMb)} MB`,
      },
    ],
    details: [table],
    data: {
      n,
      batchSize: BATCH_SIZE,
      concurrency: CONCURRENCY,
      baseline: base,
      pipeline: full,
      db: check,
      firing,
      warm,
      demoCpu,
    },
  };
}
