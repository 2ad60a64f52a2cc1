/**
 * Database budget: price updates with watch evaluation and outbox writes per second, measured on
 * the path the checker takes: applyObservations (src/acquisition/apply.ts) applying a batch of
 * BATCH observations in one transaction, on BATCH_CONNECTIONS connections at once. Products carry
 * two `below` watches each; every observation changes the price, and half of them cross both
 * watches' target, so notifications and deliveries get written. Each product is applied once
 * (applying releases the lease it checks), so the run seeds more leased products than it can use
 * in its time limit.
 * The database holds a history (one price point and one sent alert per product) as a running
 * instance does.
 * Beside it, in the same run:
 * - applyObservation, one observation per transaction on CONCURRENCY connections (the shape before
 *   batches; now a batch of one through the same code);
 * - baselines: a plain `update products set price_buybox = $1 where id = $2` (autocommit) on
 *   CONCURRENCY connections, and the same update for a whole batch (`update ... from unnest`) on
 *   BATCH_CONNECTIONS: the summary compares the batch apply with the latter, its own shape.
 * Then an instrumented pass times every statement of the batch transaction (client-side, alone
 * and under the same concurrency) and EXPLAIN ANALYZE shows what the server itself spends on the
 * watch query of one batch.
 */
import { applyObservation, applyObservations, type ApplyPolicy } from '../src/acquisition/apply.js';
import type { PoolClient, Pool } from '../src/db/pool.js';
import { emptyObservation, type Observation } from '../src/stores/types.js';
import type { BenchContext, SectionOutput } from './context.js';
import { postgresCpu, type PostgresCpu } from './lib/proc-cpu.js';
import { progress } from './lib/progress.js';
import { fmt, type Table } from './lib/report.js';

const SECTION = 'database';
const CONCURRENCY = 32;
/** Observations per transaction, as a checker batch (bench/pipeline.ts claims 100). */
const BATCH = 100;
/** Batches in flight: a few checker workers, each applying its batch. */
const BATCH_CONNECTIONS = 8;
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
  // History, as a running instance has it: the current price's point, and one past alert per
  // product, sent. Besides realism, this keeps the planner honest: PostgreSQL plans the foreign
  // key checks of the outbox inserts once per session, and planned against an empty
  // `notifications` they scan it whole for the rest of the run (a deployed instance never sees that).
  await pool.query(
    `insert into price_points (product_id, price_type, observed_at, amount, currency)
     select id, 'buybox', now() - interval '30 days', price_buybox, currency from products`,
  );
  await pool.query(
    `insert into notifications (user_id, product_id, watch_id, kind, price_type, price_minor,
                                previous_minor, currency, created_at, read_at)
     select distinct on (w.product_id) w.user_id, w.product_id, w.id, 'price_drop', 'buybox', $1::bigint,
            $1 + 500, 'USD', now() - interval '30 days', now() - interval '29 days'
       from watches w order by w.product_id, w.id`,
    [PRICE],
  );
  await pool.query(
    `insert into deliveries (notification_id, channel, destination, state, attempts,
                             next_attempt_at, sent_at)
     select n.id, 'email', u.email, 'sent', 1, n.created_at, n.created_at
       from notifications n join users u on u.id = n.user_id`,
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

/** The batch's ids: `BATCH` consecutive ids from `first`, up to `last`. */
function idsFrom(first: number, last: number): number[] {
  return Array.from({ length: Math.min(BATCH, last - first + 1) }, (_, i) => first + i);
}

async function applyBatch(client: PoolClient, ids: readonly number[]): Promise<void> {
  const results = await applyObservations(
    client,
    ids.map((id) => ({ productId: id, owner: OWNER, obs: observation(id) })),
    new Date(),
    POLICY,
    Math.random,
  );
  const lost = results.filter((r) => !r.applied).length;
  if (lost > 0) throw new Error(`${lost} of ${ids.length} products not applied (lease)`);
}

/** Runs `fn` in a transaction on its own connection, like withTransaction. */
async function inTransaction(pool: Pool, fn: (client: PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await fn(client);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The batch transaction, with every statement's latency recorded by kind. */
async function timedBatch(
  pool: Pool,
  ids: readonly number[],
  stats: Map<string, { n: number; ms: number }>,
): Promise<void> {
  const record = (sql: string, ms: number) => {
    const kind = sql.replace(/\s+/g, ' ').trim().slice(0, 48);
    const s = stats.get(kind) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += ms;
    stats.set(kind, s);
  };
  const client = await pool.connect();
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
    await applyBatch(timed, ids);
    await timed.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function database(ctx: BenchContext): Promise<SectionOutput> {
  const products = ctx.quick ? 40_000 : 200_000;
  const limitMs = ctx.quick ? 4_000 : 12_000;
  const instrumentedBatches = ctx.quick ? 40 : 150;
  const db = await ctx.postgres.freshDatabase(ctx.scope, SECTION, CONCURRENCY + 2);
  progress(SECTION, `seeding ${products} products with 2 watches each`);
  await seed(db.pool, products);
  // Open every connection first, so the CPU of all backends is counted from the start.
  const clients = await Promise.all(Array.from({ length: CONCURRENCY }, () => db.pool.connect()));
  for (const c of clients) c.release();
  const pg = await postgresCpu(db.pool);

  // Baselines first: they rewrite the same price, so the products stay as seeded for the applies.
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
  let bb = 0;
  const batchBaseline = await drive(
    pg,
    () => ((bb++ * BATCH) % (products - BATCH)) + 1,
    async (first) => {
      await db.pool.query(
        `update products p set price_buybox = $1 from unnest($2::bigint[]) as v(id) where p.id = v.id`,
        [PRICE, idsFrom(first, products)],
      );
    },
    limitMs,
    BATCH_CONNECTIONS,
  );
  const batchBaseRate = (batchBaseline.ops * BATCH) / batchBaseline.seconds;
  progress(SECTION, `batch baseline: ${fmt(batchBaseRate)} updates/s`);

  // The timed runs take ids from the front, the instrumented passes from the back.
  let front = 1;
  let back = products;
  const reserved = (instrumentedBatches + 10) * BATCH;
  const single = await drive(
    pg,
    () => (front <= back - reserved ? front++ : undefined),
    async (id) => {
      await inTransaction(db.pool, async (client) => {
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
      });
    },
    limitMs,
  );
  progress(SECTION, `applyObservation: ${fmt(single.ops / single.seconds)} observations/s`);

  const batchedFrom = front;
  const batched = await drive(
    pg,
    () => {
      if (front + BATCH - 1 > back - reserved) return undefined;
      const first = front;
      front += BATCH;
      return first;
    },
    (first) => inTransaction(db.pool, (c) => applyBatch(c, idsFrom(first, products))),
    limitMs,
    BATCH_CONNECTIONS,
  );
  const batchRate = (batched.ops * BATCH) / batched.seconds;
  progress(SECTION, `applyObservations: ${fmt(batchRate)} observations/s`);
  if (front + BATCH - 1 > back - reserved) {
    progress(
      SECTION,
      'ran out of seeded products before the time limit: the figure is still a rate',
    );
  }

  // The same products again with the same observations: a check that finds the price as it was,
  // as most checks do (no price point, no watch written, no alert). Informational.
  const batchedTo = front - 1;
  await db.pool.query(
    `update products set lease_owner = $1, lease_until = now() + interval '1 hour'
      where id between $2 and $3`,
    [OWNER, batchedFrom, batchedTo],
  );
  let again = batchedFrom;
  const steady = await drive(
    pg,
    () => {
      if (again + BATCH - 1 > batchedTo) return undefined;
      again += BATCH;
      return again - BATCH;
    },
    (first) => inTransaction(db.pool, (c) => applyBatch(c, idsFrom(first, batchedTo))),
    limitMs,
    BATCH_CONNECTIONS,
  );
  const steadyRate = (steady.ops * BATCH) / steady.seconds;
  progress(SECTION, `applyObservations, prices unchanged: ${fmt(steadyRate)} observations/s`);

  // One connection alone first: each statement's own cost, without waiting behind the others.
  const nextBack = () => {
    if (back - BATCH + 1 < front) return undefined;
    back -= BATCH;
    return back + 1;
  };
  const alone = new Map<string, { n: number; ms: number }>();
  let aloneLeft = Math.ceil(instrumentedBatches / 4);
  const alonePass = await drive(
    pg,
    () => (aloneLeft-- > 0 ? nextBack() : undefined),
    (first) => timedBatch(db.pool, idsFrom(first, products), alone),
    limitMs,
    1,
  );
  const stats = new Map<string, { n: number; ms: number }>();
  let timedLeft = instrumentedBatches;
  const timedPass = await drive(
    pg,
    () => (timedLeft-- > 0 ? nextBack() : undefined),
    (first) => timedBatch(db.pool, idsFrom(first, products), stats),
    limitMs,
    BATCH_CONNECTIONS,
  );

  const { rows: counts } = await db.pool.query<{ n: number; d: number; p: number }>(
    `select (select count(*) from notifications)::int as n, (select count(*) from deliveries)::int as d,
            (select count(*) from price_points)::int as p`,
  );
  // The watch query of one batch (the products of the first batch applied: their rows exist).
  const explain = await db.pool.query<{ 'QUERY PLAN': string }>(
    `explain (analyze, buffers)
     select w.id, w.product_id, w.user_id, w.price_type, w.rule_type, w.target_minor,
            w.drop_percent, w.baseline_minor, w.armed, w.last_seen_minor, w.last_notified_minor,
            w.alerts_day::text as alerts_day, w.alerts_today,
            u.email, u.email_verified_at, u.time_zone, u.notification_prefs
       from watches w
      cross join lateral (
        select email, email_verified_at, time_zone, notification_prefs
          from users where id = w.user_id limit 1) u
      where w.product_id = any($1::bigint[]) and not w.paused
      order by w.id`,
    [idsFrom(1, products)],
  );
  const planLines = explain.rows.map((r) => r['QUERY PLAN']);

  const baseRate = baseline.ops / baseline.seconds;
  const singleRate = single.ops / single.seconds;
  const totalMs = [...stats.values()].reduce((a, s) => a + s.ms, 0);
  const aloneMs = [...alone.values()].reduce((a, s) => a + s.ms, 0);
  const perTx = timedPass.ops || 1;
  const stmtsPerTx = [...stats.values()].reduce((a, s) => a + s.n, 0) / perTx;
  const statTable: Table = {
    title:
      `Database: statements of one applyObservations transaction (${BATCH} observations), client-observed latency ` +
      `(${timedPass.ops} transactions at concurrency ${BATCH_CONNECTIONS}; ${alonePass.ops} on one connection alone)`,
    columns: [
      'statement',
      'per tx',
      `mean ms at ${BATCH_CONNECTIONS}`,
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
      `statements per transaction ${fmt(stmtsPerTx)} for ${BATCH} observations; ` +
        `mean transaction ${fmt(totalMs / perTx)} ms of statement latency (alone ${fmt(aloneMs / Math.max(1, alonePass.ops))} ms); ` +
        `server-side EXPLAIN ANALYZE of the watch query of one batch: ${planLines.filter((l) => /Execution Time|Planning Time/.test(l)).join(', ')}`,
      `rows in total (${products} of each seeded as history): ${counts[0]?.n ?? 0} notifications, ${counts[0]?.d ?? 0} deliveries, ${counts[0]?.p ?? 0} price points`,
      'PostgreSQL runs with fsync=off, synchronous_commit=off (ephemeral): commits cost less than on a durable server.',
    ],
  };
  const pct = (x: number | null) => (x === null ? '?' : `${Math.round(x * 100)}%`);
  const row = (name: string, conns: number, pass: Pass, perOp: number | null, rate: number) => [
    name,
    String(conns),
    fmt(rate),
    perOp === null ? '-' : fmt((pass.ops / pass.seconds) * perOp),
    pct(pass.clientCpu),
    pct(pass.pgCpu),
    String(pass.errors),
  ];
  const cpuTable: Table = {
    title: 'Database: throughput and CPU (share of one core; the machine has 2)',
    columns: [
      'pass',
      'connections',
      'rows/s',
      'statements/s',
      'bench client CPU',
      'PostgreSQL CPU',
      'errors',
    ],
    rows: [
      row('plain UPDATE, one row', CONCURRENCY, baseline, 1, baseRate),
      row(
        `plain UPDATE ... FROM unnest, ${BATCH} rows`,
        BATCH_CONNECTIONS,
        batchBaseline,
        1,
        batchBaseRate,
      ),
      row('applyObservation, one per tx', CONCURRENCY, single, null, singleRate),
      row(`applyObservations, ${BATCH} per tx`, BATCH_CONNECTIONS, batched, stmtsPerTx, batchRate),
      row(
        `applyObservations, ${BATCH} per tx, prices unchanged`,
        BATCH_CONNECTIONS,
        steady,
        null,
        steadyRate,
      ),
      row(
        `applyObservations, ${BATCH} per tx, timed`,
        BATCH_CONNECTIONS,
        timedPass,
        stmtsPerTx,
        (timedPass.ops * BATCH) / timedPass.seconds,
      ),
    ],
  };
  return {
    rows: [
      {
        section: SECTION,
        name: 'price updates + watches + outbox/s',
        figure: { value: batchRate, unit: 'obs/s' },
        budget: { op: '>=', value: 20_000 },
        baseline: {
          name: `plain UPDATE, ${BATCH} rows/tx`,
          figure: { value: batchBaseRate, unit: 'updates/s' },
        },
        ratio: { label: 'apply/plain', value: batchRate / batchBaseRate },
        notes:
          `applyObservations: ${batched.ops} transactions of ${BATCH} in ${fmt(batched.seconds)} s on ${BATCH_CONNECTIONS} connections, half firing 2 alerts; ` +
          `${fmt(stmtsPerTx)} statements/tx; the same with prices unchanged (most checks): ${fmt(steadyRate)}/s; one observation per tx (applyObservation, ${CONCURRENCY} conns): ${fmt(singleRate)}/s; ` +
          `plain one-row UPDATE: ${fmt(baseRate)}/s; CPU: PostgreSQL ${pct(batched.pgCpu)}, client ${pct(batched.clientCpu)} of a core; fsync off`,
      },
    ],
    details: [cpuTable, statTable],
    data: {
      products,
      concurrency: CONCURRENCY,
      batch: BATCH,
      batchConnections: BATCH_CONNECTIONS,
      batched,
      steady,
      single,
      baseline,
      batchBaseline,
      timedPass,
      statements: Object.fromEntries(stats),
      statementsAlone: Object.fromEntries(alone),
      explain: planLines,
      counts: counts[0],
    },
  };
}
