/**
 * Database budget: price updates with watch evaluation and outbox writes per second. Many
 * concurrent connections each run applyObservation (src/acquisition/apply.ts) in its own
 * transaction, on products that carry two `below` watches each; every observation changes the
 * price, and half of them cross both watches' target, so notifications and deliveries get written.
 * Each product is applied once (applyObservation releases the lease it checks), so the run seeds
 * more leased products than it can use in its time limit.
 * Baseline: a plain `update products set price_buybox = $1 where id = $2` (autocommit), same
 * connections and concurrency.
 * Then an instrumented pass times every statement of the transaction (client-side, under the same
 * concurrency) and EXPLAIN ANALYZE shows what the server itself spends on the heaviest one.
 */
import { applyObservation, type ApplyPolicy } from '../src/acquisition/apply.js';
import type { PoolClient, Pool } from '../src/db/pool.js';
import { emptyObservation, type Observation } from '../src/stores/types.js';
import type { BenchContext, SectionOutput } from './context.js';
import { postgresCpu, type PostgresCpu } from './lib/proc-cpu.js';
import { progress } from './lib/progress.js';
import { fmt, type Table } from './lib/report.js';

const SECTION = 'database';
const CONCURRENCY = 32;
const OWNER = 'bench-db';
const PRICE = 10_000;
const TARGET = 9_000;
const POLICY: ApplyPolicy = {
  intervalWatchedMs: 3_600_000,
  intervalUnwatchedMs: 86_400_000,
  dailyCap: 3,
  furtherDropPercent: 5,
};

/** Even ids cross the targets (8,500 ≤ 9,000): two notifications + two deliveries each. */
function observation(id: number): Observation {
  return {
    ...emptyObservation('demo', 'ok', { marketplace: 'demo.com', productId: `B${id}` }),
    title: `Bench product ${id}`,
    price: { minor: id % 2 === 0 ? 8_500 : 9_500, currency: 'USD' },
    availability: 'in_stock',
  };
}

/** Users have confirmed addresses, so a firing watch writes its email delivery too. */
async function seed(pool: Pool, products: number): Promise<void> {
  const users = Math.max(1_000, products / 2);
  await pool.query(
    `insert into users (email, name, password_hash, email_verified_at)
     select 'db' || g || '@example.test', 'Bench user ' || g, 'not-a-hash', now() from generate_series(1, $1) g`,
    [users],
  );
  await pool.query(
    `insert into products (store, marketplace, external_id, url, title, currency, price_buybox,
                           availability, watcher_count, lease_owner, lease_until, next_check_at)
     select 'demo', 'demo.com', 'B' || lpad(g::text, 9, '0'), 'http://demo.invalid/com/dp/' || g,
            'Bench product ' || g, 'USD', $2, 'in_stock', 2, $3, now() + interval '1 hour',
            now() + interval '1 hour'
       from generate_series(1, $1) g`,
    [products, PRICE, OWNER],
  );
  await pool.query(
    `insert into watches (user_id, product_id, price_type, rule_type, target_minor, currency)
     select ((p.id * 2 + k) % $2) + 1, p.id, 'buybox', 'below', $1, 'USD'
       from products p cross join generate_series(0, 1) k`,
    [TARGET, users],
  );
  await pool.query('vacuum analyze');
}

interface Pass {
  ops: number;
  seconds: number;
  errors: number;
  /** Share of one core used by this (client) process and by PostgreSQL during the pass. */
  clientCpu: number;
  pgCpu: number | null;
}

/** Runs `op` over ids from `next()` on `workers` workers until ids or time run out. */
async function drive(
  pg: PostgresCpu,
  next: () => number | undefined,
  op: (id: number) => Promise<void>,
  limitMs: number,
  workers = CONCURRENCY,
): Promise<Pass> {
  let ops = 0;
  let errors = 0;
  const cpu = process.cpuUsage();
  const pgBefore = pg.read();
  const started = performance.now();
  const deadline = started + limitMs;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const id = next();
        if (id === undefined) return;
        try {
          await op(id);
          ops++;
        } catch (err) {
          errors++;
          if (errors === 1) progress(SECTION, `first error: ${String(err)}`);
        }
      }
    }),
  );
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const pgAfter = pg.read();
  return {
    ops,
    seconds: ms / 1000,
    errors,
    clientCpu: (used.user + used.system) / 1000 / ms,
    pgCpu: pgBefore === null || pgAfter === null ? null : (pgAfter - pgBefore) / ms,
  };
}

/** The same transaction as withTransaction, with every statement's latency recorded by kind. */
async function timedApply(
  pool: Pool,
  id: number,
  stats: Map<string, { n: number; ms: number }>,
): Promise<void> {
  const client = await pool.connect();
  const record = (sql: string, ms: number) => {
    const kind = sql.replace(/\s+/g, ' ').trim().slice(0, 48);
    const s = stats.get(kind) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += ms;
    stats.set(kind, s);
  };
  const timed = {
    async query(sql: string, values?: unknown[]) {
      const t = performance.now();
      try {
        return await client.query(sql, values);
      } finally {
        record(sql, performance.now() - t);
      }
    },
  } as unknown as PoolClient;
  try {
    await timed.query('begin');
    await applyObservation(timed, id, OWNER, observation(id), new Date(), POLICY, Math.random);
    await timed.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function database(ctx: BenchContext): Promise<SectionOutput> {
  const products = ctx.quick ? 6_000 : 60_000;
  const limitMs = ctx.quick ? 4_000 : 12_000;
  const instrumented = ctx.quick ? 1_000 : 4_000;
  const db = await ctx.postgres.freshDatabase(ctx.scope, SECTION, CONCURRENCY + 2);
  progress(SECTION, `seeding ${products} products with 2 watches each`);
  await seed(db.pool, products);
  // Open every connection first, so the CPU of all backends is counted from the start.
  const clients = await Promise.all(Array.from({ length: CONCURRENCY }, () => db.pool.connect()));
  for (const c of clients) c.release();
  const pg = await postgresCpu(db.pool);

  // Baseline first: it rewrites the same price, so the products stay as seeded for the real run.
  let b = 0;
  const baseline = await drive(
    pg,
    () => (b++ % products) + 1,
    async (id) => {
      await db.pool.query('update products set price_buybox = $1 where id = $2', [PRICE, id]);
    },
    limitMs,
  );
  progress(SECTION, `baseline: ${fmt(baseline.ops / baseline.seconds)} updates/s`);

  // The timed run takes ids from the front, the instrumented pass from the back.
  let front = 1;
  let back = products;
  const apply = await drive(
    pg,
    () => (front <= back - instrumented ? front++ : undefined),
    async (id) => {
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        const r = await applyObservation(
          client,
          id,
          OWNER,
          observation(id),
          new Date(),
          POLICY,
          Math.random,
        );
        if (!r.applied) throw new Error(`product ${id} not applied (lease)`);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    limitMs,
  );
  progress(SECTION, `applyObservation: ${fmt(apply.ops / apply.seconds)} observations/s`);

  // One connection alone first: each statement's own cost, without waiting behind 31 others.
  const alone = new Map<string, { n: number; ms: number }>();
  let aloneLeft = ctx.quick ? 100 : 300;
  const alonePass = await drive(
    pg,
    () => (aloneLeft-- > 0 && back >= front ? back-- : undefined),
    (id) => timedApply(db.pool, id, alone),
    limitMs,
    1,
  );
  const stats = new Map<string, { n: number; ms: number }>();
  const timedPass = await drive(
    pg,
    () => (back >= front ? back-- : undefined),
    (id) => timedApply(db.pool, id, stats),
    limitMs,
  );

  const { rows: counts } = await db.pool.query<{ n: number; d: number; p: number }>(
    `select (select count(*) from notifications)::int as n, (select count(*) from deliveries)::int as d,
            (select count(*) from price_points)::int as p`,
  );
  const explainId = front - 1;
  const explain = await db.pool.query<{ 'QUERY PLAN': string }>(
    `explain (analyze, buffers) select w.*, u.email, u.time_zone from watches w join users u on u.id = w.user_id
      where w.product_id = $1 and not w.paused order by w.id`,
    [explainId],
  );
  const planLines = explain.rows.map((r) => r['QUERY PLAN']);

  const rate = apply.ops / apply.seconds;
  const baseRate = baseline.ops / baseline.seconds;
  const totalMs = [...stats.values()].reduce((a, s) => a + s.ms, 0);
  const aloneMs = [...alone.values()].reduce((a, s) => a + s.ms, 0);
  const perTx = timedPass.ops || 1;
  const stmtsPerTx = [...stats.values()].reduce((a, s) => a + s.n, 0) / perTx;
  const statTable: Table = {
    title:
      `Database: statements of one applyObservation transaction, client-observed latency ` +
      `(${timedPass.ops} transactions at concurrency ${CONCURRENCY}; ${alonePass.ops} on one connection alone)`,
    columns: [
      'statement',
      'per tx',
      `mean ms at ${CONCURRENCY}`,
      'share of tx time',
      'mean ms alone',
      'share alone',
    ],
    rows: [...stats.entries()]
      .sort((x, y) => y[1].ms - x[1].ms)
      .map(([kind, s]) => {
        const a = alone.get(kind);
        return [
          kind,
          fmt(s.n / perTx),
          fmt(s.ms / s.n),
          `${fmt((100 * s.ms) / totalMs)}%`,
          a ? fmt(a.ms / a.n) : '-',
          a ? `${fmt((100 * a.ms) / aloneMs)}%` : '-',
        ];
      }),
    footer: [
      `statements per transaction ${fmt([...stats.values()].reduce((a, s) => a + s.n, 0) / perTx)}; ` +
        `mean transaction ${fmt(totalMs / perTx)} ms of statement latency (alone ${fmt(aloneMs / Math.max(1, alonePass.ops))} ms); ` +
        `server-side EXPLAIN ANALYZE of the watch query: ${planLines.filter((l) => /Execution Time|Planning Time/.test(l)).join(', ')}`,
      `rows written in total: ${counts[0]?.n ?? 0} notifications, ${counts[0]?.d ?? 0} deliveries, ${counts[0]?.p ?? 0} price points`,
      'PostgreSQL runs with fsync=off, synchronous_commit=off (ephemeral): commits cost less than on a durable server.',
    ],
  };
  const pct = (x: number | null) => (x === null ? '?' : `${Math.round(x * 100)}%`);
  const cpuTable: Table = {
    title: 'Database: throughput and CPU (share of one core; the machine has 2)',
    columns: ['pass', 'ops/s', 'statements/s', 'bench client CPU', 'PostgreSQL CPU', 'errors'],
    rows: [
      [
        'plain UPDATE',
        fmt(baseRate),
        fmt(baseRate),
        pct(baseline.clientCpu),
        pct(baseline.pgCpu),
        String(baseline.errors),
      ],
      [
        'applyObservation',
        fmt(rate),
        fmt(rate * stmtsPerTx),
        pct(apply.clientCpu),
        pct(apply.pgCpu),
        String(apply.errors),
      ],
      [
        'applyObservation, timed',
        fmt(timedPass.ops / timedPass.seconds),
        fmt((timedPass.ops / timedPass.seconds) * stmtsPerTx),
        pct(timedPass.clientCpu),
        pct(timedPass.pgCpu),
        String(timedPass.errors),
      ],
    ],
  };
  return {
    rows: [
      {
        section: SECTION,
        name: 'price updates + watches + outbox/s',
        figure: { value: rate, unit: 'obs/s' },
        budget: { op: '>=', value: 20_000 },
        baseline: { name: 'plain UPDATE', figure: { value: baseRate, unit: 'updates/s' } },
        ratio: { label: 'apply/plain', value: rate / baseRate },
        notes:
          `${apply.ops} transactions in ${fmt(apply.seconds)} s, ${CONCURRENCY} connections, half firing 2 alerts; ` +
          `${fmt(stmtsPerTx)} statements/tx (${fmt(rate * stmtsPerTx)} statements/s); ` +
          `CPU: PostgreSQL ${pct(apply.pgCpu)}, client ${pct(apply.clientCpu)} of a core; fsync off`,
      },
    ],
    details: [cpuTable, statTable],
    data: {
      products,
      concurrency: CONCURRENCY,
      apply,
      baseline,
      timedPass,
      statements: Object.fromEntries(stats),
      statementsAlone: Object.fromEntries(alone),
      explain: planLines,
      counts: counts[0],
    },
  };
}
