/**
 * Extraction budget: CPU per real Amazon product page for extractAmazon, next to a cheerio
 * load-and-select extractor doing the same job (the comparison DESIGN.md names) and one indexOf
 * pass over the page (the floor). CPU time from process.cpuUsage (all threads of this process, so
 * GC helper threads count), median of many runs per page, then the median over pages.
 */
import { extractAmazon } from '../src/stores/amazon/extract.js';
import { extractWithCheerio } from './cheerio-extractor.js';
import type { BenchContext, SectionOutput } from './context.js';
import { amazonProductPages, type FixturePage } from './lib/fixtures.js';
import { progress } from './lib/progress.js';
import { fmt, type Table } from './lib/report.js';
import { cpuMs, forceGc, median, sum } from './lib/stats.js';

const SECTION = 'extraction';

/** Something the optimiser cannot prove unused. */
let sink = 0;

function measure(fn: () => void, warmup: number, runs: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(cpuMs(fn));
  return median(samples);
}

interface PageResult {
  readonly file: string;
  readonly bytes: number;
  readonly oursMs: number;
  readonly indexOfMs: number;
  readonly cheerioMs: number;
  readonly oursRight: boolean;
  readonly cheerioRight: boolean;
}

/** A price matching INDEX.tsv (or no price where the index says there is none). */
const right = (page: FixturePage, minor: number | null | undefined) =>
  (minor ?? null) === page.expectedMinor;

export async function extraction(ctx: BenchContext): Promise<SectionOutput> {
  const pages = amazonProductPages(ctx.fixturesDir);
  const runs = ctx.quick ? { ours: 15, cheerio: 2 } : { ours: 60, cheerio: 5 };
  const results: PageResult[] = [];

  for (const [i, page] of pages.entries()) {
    const html = page.html;
    // Each extractor starts on a clean heap, so one's garbage is not collected on the other's clock.
    forceGc();
    const oursMs = measure(() => (sink += extractAmazon(html).price?.minor ?? 0), 5, runs.ours);
    forceGc();
    const indexOfMs = measure(
      () => (sink += html.indexOf('\u0000never-present\u0000')),
      5,
      runs.ours,
    );
    forceGc();
    const cheerioMs = measure(
      () => (sink += extractWithCheerio(html).price?.minor ?? 0),
      1,
      runs.cheerio,
    );
    results.push({
      file: page.file,
      bytes: page.bytes.length,
      oursMs,
      indexOfMs,
      cheerioMs,
      oursRight: right(page, extractAmazon(html).price?.minor),
      cheerioRight: right(page, extractWithCheerio(html).price?.minor),
    });
    progress(
      SECTION,
      `${i + 1}/${pages.length} ${page.file}: ours ${fmt(oursMs)} ms, cheerio ${fmt(cheerioMs)} ms`,
    );
    // Let progress lines and signals through between pages.
    await new Promise((r) => setImmediate(r));
  }

  const mb = (r: PageResult) => r.bytes / 1e6;
  const oursMedian = median(results.map((r) => r.oursMs));
  const indexOfMedian = median(results.map((r) => r.indexOfMs));
  const cheerioMedian = median(results.map((r) => r.cheerioMs));
  const speedups = results.map((r) => r.cheerioMs / r.oursMs);
  const overFloor = results.map((r) => r.oursMs / r.indexOfMs);
  const oursPerMb = median(results.map((r) => r.oursMs / mb(r)));
  const cheerioPerMb = median(results.map((r) => r.cheerioMs / mb(r)));
  const indexOfPerMb = median(results.map((r) => r.indexOfMs / mb(r)));
  const worst = results.reduce((a, b) => (b.oursMs > a.oursMs ? b : a));
  const totalMb = sum(results.map(mb));
  const oursRight = results.filter((r) => r.oursRight).length;
  const cheerioRight = results.filter((r) => r.cheerioRight).length;
  const n = results.length;

  const table: Table = {
    title: `Extraction: median CPU ms per page (ours ${runs.ours} runs, indexOf ${runs.ours}, cheerio ${runs.cheerio}); price right = matches INDEX.tsv`,
    columns: [
      'page',
      'kB',
      'ours',
      'indexOf',
      'cheerio',
      'cheerio/ours',
      'ours/indexOf',
      'ours right',
      'cheerio right',
    ],
    rows: results.map((r) => [
      r.file,
      String(Math.round(r.bytes / 1000)),
      fmt(r.oursMs),
      fmt(r.indexOfMs),
      fmt(r.cheerioMs),
      `${fmt(r.cheerioMs / r.oursMs)}×`,
      `${fmt(r.oursMs / r.indexOfMs)}×`,
      r.oursRight ? 'yes' : 'NO',
      r.cheerioRight ? 'yes' : 'NO',
    ]),
    footer: [
      `median per MB: ours ${fmt(oursPerMb)} ms, indexOf ${fmt(indexOfPerMb)} ms, cheerio ${fmt(cheerioPerMb)} ms; ` +
        `corpus ${n} pages, ${fmt(totalMb)} MB (mean ${fmt(totalMb / n)} MB/page)`,
    ],
  };

  return {
    rows: [
      {
        section: SECTION,
        name: 'extraction CPU/page',
        figure: { value: oursMedian, unit: 'ms' },
        budget: { op: '<=', value: 2 },
        baseline: { name: 'indexOf pass', figure: { value: indexOfMedian, unit: 'ms' } },
        ratio: { label: 'ours/indexOf', value: median(overFloor) },
        notes:
          `median of ${n} product pages; ${fmt(oursPerMb)} ms/MB; ` +
          `slowest ${fmt(worst.oursMs)} ms (${worst.file}); price right ${oursRight}/${n}`,
      },
      {
        section: SECTION,
        name: 'extraction vs cheerio',
        figure: { value: median(speedups), unit: '×' },
        budget: { op: '>=', value: 50 },
        baseline: { name: 'cheerio load+select', figure: { value: cheerioMedian, unit: 'ms' } },
        ratio: { label: 'cheerio/ours', value: median(speedups) },
        notes:
          `median per-page speed-up, min ${fmt(Math.min(...speedups))}×; ` +
          `cheerio ${fmt(cheerioPerMb)} ms/MB, price right ${cheerioRight}/${n}`,
      },
    ],
    details: [table],
    data: {
      pages: results,
      runs,
      median: { oursMs: oursMedian, indexOfMs: indexOfMedian, cheerioMs: cheerioMedian },
      perMb: { ours: oursPerMb, indexOf: indexOfPerMb, cheerio: cheerioPerMb },
      speedup: { median: median(speedups), min: Math.min(...speedups) },
      sink,
    },
  };
}
