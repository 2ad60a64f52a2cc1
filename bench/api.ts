/**
 * API budget: p99 latency of GET /api/v1/watches and GET /api/v1/products/{id} at 1,000 requests a
 * second (the two mixed half and half), open loop, from a load process against the product's web
 * role in another process, against DESIGN.md's full-scale seed (10M products, 10M watches, 1M
 * users; --quick: 200k/200k/20k), the catalogue `pricehawk seed` builds, cached between runs (see
 * lib/catalog.ts; the `search` section reads the same one). Every request carries a real session
 * cookie of one of 2,000 random users (sessions with known tokens are added to the seed).
 * Baseline: GET /healthz (no database) at the same rate, same processes.
 */
import type { Pool } from '../src/db/pool.js';
import type { BenchContext, SectionOutput } from './context.js';
import { seededCatalog } from './lib/catalog.js';
import { startChild } from './lib/child.js';
import { postgresCpu } from './lib/proc-cpu.js';
import { progress } from './lib/progress.js';
import { fmt, type Table } from './lib/report.js';
import { quantile } from './lib/stats.js';

const SECTION = 'api';
const RATE = 1_000;

/**
 * Session cookies for `n` random users of the cached catalogue: the session of user u has the
 * token 'bench-tok-<u>' (the table keeps its SHA-256, as createSession does). Upserted, so the
 * sessions of an earlier run are reused with a fresh expiry.
 */
async function sessionCookies(pool: Pool, n: number): Promise<Array<{ cookie: string }>> {
  const { rows } = await pool.query<{ id: number }>(
    `insert into sessions (user_id, token_hash, expires_at, last_used_at)
     select id, sha256(convert_to('bench-tok-' || id, 'UTF8')), now() + interval '30 days', now()
       from (select id from users order by random() limit $1) u
     on conflict (token_hash) do update set expires_at = excluded.expires_at
     returning user_id as id`,
    [n],
  );
  return rows.map((r) => ({ cookie: `ph_session=bench-tok-${r.id}` }));
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
  const durationMs = ctx.quick ? 5_000 : 15_000;
  const db = await seededCatalog(ctx, SECTION, 2);
  const { scale } = db;
  const cookies = await sessionCookies(db.pool, 2_000);
  // Products that exist (seeded ids have gaps where a generated ASIN repeated).
  const { rows: sample } = await db.pool.query<{ id: number }>(
    `select id from products tablesample bernoulli ($1) limit 5000`,
    [Math.min(100, (100 * 10_000) / scale.products)],
  );
  const productPaths = sample.map((r) => `/api/v1/products/${r.id}`);

  const web = await startChild(ctx.scope, 'web', { args: ['--db', db.url] });
  const origin = String(web.ready.url);
  const load = await startChild(ctx.scope, 'open-load');
  const closed = await startChild(ctx.scope, 'load');
  const pg = await postgresCpu(db.pool);

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
  const seedNote = db.built
    ? `seeded in this run in ${fmt(db.buildSeconds ?? 0)} s`
    : 'cached seed';
  const fullScale = scale.products >= 10_000_000;
  const pct = (x: number | null) => (x === null ? '?' : `${Math.round(x * 100)}%`);

  const table: Table = {
    title:
      `API: open loop at ${RATE} req/s, ${durationMs / 1000} s after 2 s warm-up, latency from the scheduled start; ` +
      `seed ${scaleLabel}${fullScale ? " (DESIGN.md's full scale)" : ' (--quick: not the budget scale)'}, ${seedNote}`,
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
      `seed ${scaleLabel}${fullScale ? '' : ' (--quick)'}; p50 ${fmt(s.p50)} ms, ${s.n} req, ${failed} failed; ` +
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
      seedSeconds: db.buildSeconds,
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
