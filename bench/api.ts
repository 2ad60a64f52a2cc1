/**
 * API budget: p99 latency of GET /api/v1/watches and GET /api/v1/products/{id} at 1,000 requests a
 * second (the two mixed half and half), open loop, from a load process against the product's web
 * role in another process. DESIGN.md's budget assumes a full-scale seed (10M products, 10M
 * watches, 1M users); seeding that does not fit in a bench run, so this seeds a tenth of it
 * (1M products, 1M watches, 100k users; --quick: 100k/100k/10k) with generate_series, and says so.
 * Every request carries a real session cookie (users and sessions are seeded with known tokens).
 * Baseline: GET /healthz (no database) at the same rate, same processes.
 */
import type { Pool } from '../src/db/pool.js';
import type { BenchContext, SectionOutput } from './context.js';
import { startChild } from './lib/child.js';
import { postgresCpu } from './lib/proc-cpu.js';
import { progress } from './lib/progress.js';
import { fmt, type Table } from './lib/report.js';
import { quantile } from './lib/stats.js';

const SECTION = 'api';
const RATE = 1_000;

interface Scale {
  users: number;
  products: number;
  watches: number;
}

async function seed(pool: Pool, s: Scale): Promise<void> {
  const step = async (what: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    await pool.query(sql, params);
    progress(SECTION, `seeded ${what} in ${fmt((performance.now() - t) / 1000)} s`);
  };
  await step(
    `${s.users} users`,
    `insert into users (email, name, password_hash, email_verified_at)
     select 'api' || g || '@example.test', 'API user ' || g, 'not-a-hash', now() from generate_series(1, $1) g`,
    [s.users],
  );
  // Session token of user g is 'tok<g>'; the table keeps its SHA-256, as createSession does.
  await step(
    `${s.users} sessions`,
    `insert into sessions (user_id, token_hash, expires_at, last_used_at)
     select g, sha256(convert_to('tok' || g, 'UTF8')), now() + interval '30 days', now()
       from generate_series(1, $1) g`,
    [s.users],
  );
  await step(
    `${s.products} products`,
    `insert into products (store, marketplace, external_id, url, title, image_url, currency,
                           price_buybox, list_price, availability, watcher_count, next_check_at,
                           last_checked_at, last_success_at)
     select 'demo', 'demo.com', 'A' || lpad(g::text, 9, '0'), 'http://demo.invalid/com/dp/A' || g,
            'API bench product ' || g || ', a title about as long as the real ones are', 
            'http://demo.invalid/images/A' || g || '.svg', 'USD', 1000 + g % 50000, 2000 + g % 50000,
            'in_stock', 1, now() + interval '1 hour', now(), now()
       from generate_series(1, $1) g`,
    [s.products],
  );
  await step(
    `${s.watches} watches`,
    `insert into watches (user_id, product_id, price_type, rule_type, target_minor, currency)
     select (g % $2) + 1, ((g::bigint * 7919) % $3) + 1, 'buybox', 'below', 900 + g % 50000, 'USD'
       from generate_series(1, $1) g`,
    [s.watches, s.users, s.products],
  );
  await step(
    `${s.products * 2} price points`,
    `insert into price_points (product_id, price_type, observed_at, amount, currency)
     select g, 'buybox', now() - k * interval '3 days', 1000 + (g + k) % 50000, 'USD'
       from generate_series(1, $1) g cross join generate_series(0, 1) k`,
    [s.products],
  );
  await step('vacuum analyze', 'vacuum analyze');
}

interface LoadResult {
  /** Requests still unanswered 10 s after the schedule ended (their latency so far is counted). */
  unfinished: number;
  latencies: Record<string, number[]>;
  failures: Record<string, number>;
  seconds: number;
  lateStarts: number;
  clientCpu: number;
}

export async function api(ctx: BenchContext): Promise<SectionOutput> {
  const scale: Scale = ctx.quick
    ? { users: 10_000, products: 100_000, watches: 100_000 }
    : { users: 100_000, products: 1_000_000, watches: 1_000_000 };
  const durationMs = ctx.quick ? 5_000 : 15_000;
  const db = await ctx.postgres.freshDatabase(ctx.scope, SECTION, 2);
  const seedStart = performance.now();
  await seed(db.pool, scale);
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const web = await startChild(ctx.scope, 'web', { args: ['--db', db.url] });
  const origin = String(web.ready.url);
  const load = await startChild(ctx.scope, 'open-load');
  const closed = await startChild(ctx.scope, 'load');
  const pg = await postgresCpu(db.pool);

  const cookies = Array.from({ length: 2_000 }, () => ({
    cookie: `ph_session=tok${1 + Math.floor(Math.random() * scale.users)}`,
  }));
  const productPaths = Array.from(
    { length: 5_000 },
    () => `/api/v1/products/${1 + Math.floor(Math.random() * scale.products)}`,
  );

  const measure = async (targets: Array<{ name: string; paths: string[] }>) => {
    const webCpu0 = await web.call<{ cpuMs: number }>('cpu');
    const pg0 = pg.read();
    const t = performance.now();
    const r = await load.call<LoadResult>('run', {
      origin,
      targets: targets.map((x) => ({ ...x, headers: cookies })),
      rate: RATE,
      warmupMs: 2_000,
      durationMs,
      connections: 128,
      graceMs: 10_000,
    });
    const ms = performance.now() - t;
    const webCpu1 = await web.call<{ cpuMs: number }>('cpu');
    const pg1 = pg.read();
    return {
      ...r,
      webCpu: (webCpu1.cpuMs - webCpu0.cpuMs) / ms,
      pgCpu: pg0 === null || pg1 === null ? null : (pg1 - pg0) / ms,
    };
  };
  // How many of these requests the web process can answer right now, closed loop, 16 connections,
  // one user's cookie: if this is not well above the open-loop rate, the latencies below are a
  // queue, and the report should be read as "the machine was too busy", not as one slow query.
  const capacity = await closed.call<{ requests: number; seconds: number }>('run', {
    origin,
    paths: ['/api/v1/watches', ...productPaths.slice(0, 500)].flatMap((x, i) =>
      i === 0 ? [] : ['/api/v1/watches', x],
    ),
    connections: 16,
    warmupMs: 1_000,
    durationMs: 3_000,
    headers: { cookie: cookies[0]?.cookie ?? '' },
  });
  const capacityRate = capacity.requests / capacity.seconds;
  progress(SECTION, `closed-loop capacity of the mix: ${fmt(capacityRate)} req/s`);
  progress(SECTION, `baseline: GET /healthz at ${RATE}/s for ${durationMs / 1000} s`);
  const base = await measure([{ name: 'healthz', paths: ['/healthz'] }]);
  progress(
    SECTION,
    `GET /api/v1/watches + /api/v1/products/{id} at ${RATE}/s for ${durationMs / 1000} s`,
  );
  const mix = await measure([
    { name: 'watches', paths: ['/api/v1/watches'] },
    { name: 'products', paths: productPaths },
  ]);

  const stat = (xs: number[] | undefined) => ({
    n: xs?.length ?? 0,
    p50: quantile(xs ?? [], 0.5),
    p99: quantile(xs ?? [], 0.99),
    max: xs && xs.length > 0 ? Math.max(...xs) : NaN,
  });
  const h = stat(base.latencies.healthz);
  const w = stat(mix.latencies.watches);
  const p = stat(mix.latencies.products);
  const scaleLabel = `${scale.products / 1e6}M products, ${scale.watches / 1e6}M watches, ${scale.users / 1e3}k users`;
  const pct = (x: number | null) => (x === null ? '?' : `${Math.round(x * 100)}%`);

  const table: Table = {
    title:
      `API: open loop at ${RATE} req/s, ${durationMs / 1000} s after 2 s warm-up, latency from the scheduled start; ` +
      `seed ${scaleLabel} (a tenth of DESIGN.md's full scale), seeded in ${fmt(seedSeconds)} s`,
    columns: [
      'endpoint',
      'requests',
      'p50 ms',
      'p99 ms',
      'max ms',
      'failed',
      'web CPU',
      'PostgreSQL CPU',
      'load CPU',
    ],
    rows: [
      [
        'GET /healthz (baseline run)',
        String(h.n),
        fmt(h.p50),
        fmt(h.p99),
        fmt(h.max),
        String(base.failures.healthz ?? 0),
        pct(base.webCpu),
        pct(base.pgCpu),
        pct(base.clientCpu),
      ],
      [
        'GET /api/v1/watches',
        String(w.n),
        fmt(w.p50),
        fmt(w.p99),
        fmt(w.max),
        String(mix.failures.watches ?? 0),
        pct(mix.webCpu),
        pct(mix.pgCpu),
        pct(mix.clientCpu),
      ],
      [
        'GET /api/v1/products/{id}',
        String(p.n),
        fmt(p.p50),
        fmt(p.p99),
        fmt(p.max),
        String(mix.failures.products ?? 0),
        '(same run)',
        '',
        '',
      ],
    ],
    footer: [
      `each watchlist has ~${scale.watches / scale.users} watches; every request carries a session cookie (session lookup included); ` +
        `requests started >5 ms late by the load process: ${mix.lateStarts}; unanswered 10 s after the schedule ` +
        `(counted at their wait so far, a lower bound): healthz ${base.unfinished}, mix ${mix.unfinished}`,
      `closed-loop capacity of the same mix just before (16 connections, one user): ${fmt(capacityRate)} req/s; ` +
        'an open loop near or above it builds a queue, and p99 then measures the queue',
    ],
  };
  const row = (name: string, s: ReturnType<typeof stat>, failed: number) => ({
    section: SECTION,
    name,
    figure: { value: s.p99, unit: 'ms' },
    budget: { op: '<=' as const, value: 50 },
    baseline: { name: 'GET /healthz p99', figure: { value: h.p99, unit: 'ms' } },
    ratio: { label: 'endpoint/healthz', value: s.p99 / h.p99 },
    notes:
      `seed ${scaleLabel} (1/10 of full scale); p50 ${fmt(s.p50)} ms, ${s.n} req, ${failed} failed; ` +
      `${RATE} req/s mixed (closed-loop capacity ${fmt(capacityRate)}/s); web CPU ${pct(mix.webCpu)}, PostgreSQL ${pct(mix.pgCpu)}`,
  });
  return {
    rows: [
      row('API p99 GET /watches', w, mix.failures.watches ?? 0),
      row('API p99 GET /products/{id}', p, mix.failures.products ?? 0),
    ],
    details: [table],
    data: {
      scale,
      seedSeconds,
      rate: RATE,
      capacityRate,
      durationMs,
      healthz: h,
      watches: w,
      products: p,
      base: { ...base, latencies: undefined },
      mix: { ...mix, latencies: undefined },
    },
  };
}
