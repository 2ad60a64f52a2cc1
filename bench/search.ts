/**
 * Search budget (issue 6): searching 10 million products in the local catalogue answers in under
 * 100 ms at the 95th percentile. The catalogue is seeded by `pricehawk seed`'s code (realistic
 * titles over every Amazon marketplace, heavy-tailed popularity) into a cached database (see
 * lib/cached-db.ts: the first full run builds it, which takes most of an hour here; later runs
 * reuse it). --quick seeds 200,000 products.
 *
 * Measured: GET /api/v1/search?sources=local through the real web role in its own process, one
 * request at a time (the latency a person sees), over a deterministic mix of queries: one word, two
 * and three words, brands, a marketplace filter, and misspelt words (typo tolerance).
 * Baseline, side by side on the same database: the naive search, `title ILIKE '%word%'` for every
 * word ordered by popularity, as SQL from this process (no HTTP), over the first queries of the
 * same mix.
 */
import { request } from 'undici';
import { SEED_WORDS } from '../src/cli-seed.js';
import type { BenchContext, SectionOutput } from './context.js';
import { seededCatalog } from './lib/catalog.js';
import { startChild } from './lib/child.js';
import { progress } from './lib/progress.js';
import { fmt, type Table } from './lib/report.js';
import { quantile } from './lib/stats.js';

const SECTION = 'search';
const BUDGET_MS = 100;

interface Query {
  readonly kind: string;
  readonly q: string;
  readonly marketplace?: string;
}

/** A deterministic mix of what people type. */
export function searchQueries(n: number, seed = 99): Query[] {
  let s = seed;
  const rnd = (k: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0; // an LCG mod 2^32, in exact integers
    return Math.floor((s / 2 ** 32) * k); // from the high bits: the low bits cycle quickly
  };
  const pick = (a: readonly string[]) => a[rnd(a.length)] as string;
  const typo = (word: string) => {
    // Drop one letter from the middle of the longest word: "Headphones" → "Headphnes".
    const words = word.split(' ');
    const long = words.reduce((a, b) => (b.length > a.length ? b : a));
    const at = 1 + rnd(Math.max(1, long.length - 2));
    return words.map((w) => (w === long ? w.slice(0, at) + w.slice(at + 1) : w)).join(' ');
  };
  const out: Query[] = [];
  for (let i = 0; i < n; i++) {
    const noun = pick(SEED_WORDS.nouns);
    const k = rnd(6);
    const q =
      k === 0
        ? { kind: 'one product word', q: noun }
        : k === 1
          ? { kind: 'brand + product', q: `${pick(SEED_WORDS.brands)} ${noun}` }
          : k === 2
            ? { kind: 'adjective + product', q: `${pick(SEED_WORDS.adjectives)} ${noun}` }
            : k === 3
              ? { kind: 'misspelt', q: typo(noun).toLowerCase() }
              : k === 4
                ? { kind: 'brand only', q: pick(SEED_WORDS.brands) }
                : {
                    kind: 'three words',
                    q: `${pick(SEED_WORDS.brands)} ${pick(SEED_WORDS.adjectives)} ${noun}`,
                  };
    out.push(rnd(5) === 0 ? { ...q, marketplace: 'amazon.de' } : q);
  }
  return out;
}

export async function search(ctx: BenchContext): Promise<SectionOutput> {
  const db = await seededCatalog(ctx, SECTION, 4);
  const { scale } = db;
  const { rows: counted } = await db.pool.query<{ n: string }>(
    'select count(*) as n from product_search',
  );
  const searchable = Number(counted[0]?.n);

  const web = await startChild(ctx.scope, 'web', { args: ['--db', db.url] });
  const origin = String(web.ready.url);
  const queries = searchQueries(ctx.quick ? 150 : 400);
  const pathOf = (x: Query) =>
    `/api/v1/search?sources=local&limit=20&q=${encodeURIComponent(x.q)}` +
    (x.marketplace ? `&marketplace=${x.marketplace}` : '');

  const timed = async (x: Query) => {
    const t = performance.now();
    const res = await request(origin + pathOf(x));
    const body = (await res.body.json()) as { results?: unknown[] };
    const ms = performance.now() - t;
    if (res.statusCode !== 200) throw new Error(`${pathOf(x)} answered ${res.statusCode}`);
    return { ms, results: body.results?.length ?? 0 };
  };
  progress(SECTION, 'warming up (30 queries)');
  for (const x of searchQueries(30, 7)) await timed(x);
  progress(SECTION, `${queries.length} searches, one at a time`);
  const byKind = new Map<string, number[]>();
  const all: number[] = [];
  let empty = 0;
  for (const x of queries) {
    const r = await timed(x);
    all.push(r.ms);
    if (r.results === 0) empty++;
    byKind.set(x.kind, [...(byKind.get(x.kind) ?? []), r.ms]);
  }

  // The naive search on the same data, for the ratio.
  const naiveN = ctx.quick ? 12 : 6;
  progress(SECTION, `baseline: ${naiveN} naive ILIKE searches`);
  const naive: number[] = [];
  for (const x of queries.slice(0, naiveN)) {
    const words = x.q.split(/\s+/).filter(Boolean);
    const params: unknown[] = words.map((w) => `%${w.replace(/[\\%_]/g, '\\$&')}%`);
    const conds = words.map((_, i) => `title ilike $${i + 1}`);
    if (x.marketplace) {
      params.push(x.marketplace);
      conds.push(`marketplace = $${params.length}`);
    }
    const t = performance.now();
    await db.pool.query(
      `select id, title from products where ${conds.join(' and ')}
        order by watcher_count desc, id limit 20`,
      params,
    );
    naive.push(performance.now() - t);
  }

  const p = (xs: number[], q: number) => quantile(xs, q);
  const p95 = p(all, 0.95);
  const naiveP95 = p(naive, 0.95);
  const scaleLabel = `${(searchable / 1e6).toFixed(searchable < 1e6 ? 2 : 1)}M searchable products`;
  const table: Table = {
    title:
      `Search: GET /api/v1/search?sources=local, one request at a time, ${scaleLabel}` +
      (db.built ? ` (seeded in this run: ${fmt(db.buildSeconds ?? 0)} s)` : ' (cached seed)'),
    columns: ['queries', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    rows: [
      ...[...byKind.entries()].map(([kind, xs]) => [
        kind,
        String(xs.length),
        fmt(p(xs, 0.5)),
        fmt(p(xs, 0.95)),
        fmt(p(xs, 0.99)),
        fmt(Math.max(...xs)),
      ]),
      [
        'all',
        String(all.length),
        fmt(p(all, 0.5)),
        fmt(p95),
        fmt(p(all, 0.99)),
        fmt(Math.max(...all)),
      ],
      [
        'baseline: naive ILIKE (SQL only)',
        String(naive.length),
        fmt(p(naive, 0.5)),
        fmt(naiveP95),
        fmt(p(naive, 0.99)),
        fmt(Math.max(...naive)),
      ],
    ],
    footer: [
      `${empty} of ${queries.length} searches found nothing; 20% of queries filter by marketplace; HTTP and JSON included in the search figures, not in the baseline`,
    ],
  };
  return {
    rows: [
      {
        section: SECTION,
        name: 'search p95, local catalogue',
        figure: { value: p95, unit: 'ms' },
        budget: { op: '<=', value: BUDGET_MS },
        baseline: { name: 'naive ILIKE p95', figure: { value: naiveP95, unit: 'ms' } },
        ratio: { label: 'search/naive', value: p95 / naiveP95 },
        notes: `${scaleLabel}${scale.products < 10_000_000 ? ' (--quick: not the budget scale)' : ''}; p50 ${fmt(p(all, 0.5))} ms; ${queries.length} queries incl. typos`,
      },
    ],
    details: [table],
    data: { scale, searchable, built: db.built, buildSeconds: db.buildSeconds, p95, naiveP95 },
  };
}
