/**
 * `npx tsx src/stores/amazon/perf-check.ts [fixtures dir]`: median CPU time of extractAmazon per
 * Amazon fixture page, next to a bare indexOf pass over the same page (the floor) and a cheerio
 * load-and-select of the same page (the comparison the budget names); the share of the page a
 * streaming fetcher needs before amazonHasEnough says stop (exactly, and at 32 KiB checks); and
 * the CPU those checks cost during a download, called on the growing body or incrementally. A
 * measuring tool, not a test: timings belong to `npm run bench`, never to assertions.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import { amazonHasEnough, createAmazonEarlyStop, extractAmazon } from '../src/stores/amazon/extract.js';
import { extractAmazonSearch } from '../src/stores/amazon/search.js';

const ITERATIONS = 50;
/** cheerio takes tens of milliseconds a page; a few runs give a stable enough median. */
const CHEERIO_ITERATIONS = 5;
const dir = path.resolve(
  process.argv[2] ?? path.join(import.meta.dirname, '../../shared/fixtures/pages'),
);

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

function measure(fn: () => void, iterations = ITERATIONS): number {
  for (let i = 0; i < Math.min(5, iterations); i++) fn(); // warm-up: let the JIT settle
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) samples.push(cpuMs(fn));
  return median(samples);
}

/** What a cheerio extractor does at least: parse the page and select the price and title. */
function cheerioBaseline(html: string): number {
  const $ = cheerio.load(html);
  const price = $('#corePrice_feature_div .a-offscreen, #priceblock_ourprice, .kindle-price')
    .first()
    .text();
  return price.length + $('#productTitle').text().length;
}

/** The shortest prefix amazonHasEnough accepts (it is monotone), or the whole page. */
function exactStop(html: string): number {
  if (!amazonHasEnough(html)) return html.length;
  let lo = 0;
  let hi = html.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (amazonHasEnough(html.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Where a fetcher that checks every 32 KiB (as ours does) stops. */
function chunkedStop(html: string): number {
  const step = 32 * 1024;
  for (let end = step; end < html.length; end += step) {
    if (amazonHasEnough(html.slice(0, end))) return end;
  }
  return html.length;
}

/**
 * CPU of the early-stop checks during one simulated download, decoded as our fetcher decodes
 * (16 KiB network chunks, a check every 32 KiB): either `amazonHasEnough` on the growing body,
 * as the fetcher calls it today, or the incremental `createAmazonEarlyStop` fed each new piece.
 */
function earlyStopCpu(bytes: Buffer, incremental: boolean): number {
  const samples: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    samples.push(
      cpuMs(() => {
        const decoder = new TextDecoder('utf-8');
        const enough = createAmazonEarlyStop();
        let body = '';
        let fresh = '';
        let checkedAt = 0;
        for (let read = 0; read < bytes.length;) {
          const chunk = bytes.subarray(read, read + 16 * 1024);
          read += chunk.length;
          const text = decoder.decode(chunk, { stream: true });
          body += text;
          fresh += text;
          if (read - checkedAt < 32 * 1024) continue;
          checkedAt = read;
          const stop = incremental ? enough(fresh) : amazonHasEnough(body);
          fresh = '';
          if (stop) break;
        }
      }),
    );
  }
  return Math.min(...samples);
}

const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.html') && /amazon/.test(f))
  .sort();

const rows: string[] = [];
const perMb: number[] = [];
const speedups: number[] = [];
const stops: number[] = [];
const stopCosts: number[] = [];
const stopCostsIncremental: number[] = [];
let sink = 0;
for (const file of files) {
  const html = fs.readFileSync(path.join(dir, file), 'utf8');
  const search = /_search/.test(file);
  const extract = measure(() => {
    sink += search
      ? extractAmazonSearch(html, {}).results.length
      : (extractAmazon(html).price?.minor ?? 0);
  });
  const floor = measure(() => {
    sink += html.indexOf('\u0000never-present\u0000');
  });
  const viaCheerio = measure(() => {
    sink += cheerioBaseline(html);
  }, CHEERIO_ITERATIONS);
  const mb = Buffer.byteLength(html) / 1e6;
  const product = !search && mb > 0.1;
  const exact = exactStop(html) / html.length;
  const bytes = fs.readFileSync(path.join(dir, file));
  const stopCpu = product ? earlyStopCpu(bytes, false) : 0;
  const stopCpuIncremental = product ? earlyStopCpu(bytes, true) : 0;
  if (product) {
    perMb.push(extract / mb);
    speedups.push(viaCheerio / extract);
    stops.push(exact);
    stopCosts.push(stopCpu);
    stopCostsIncremental.push(stopCpuIncremental);
  }
  const pct = (x: number) => `${(x * 100).toFixed(0).padStart(3)}%`;
  rows.push(
    [
      file.padEnd(50),
      `${(mb * 1000).toFixed(0).padStart(5)} kB`,
      `${extract.toFixed(3).padStart(6)} ms`,
      `${floor.toFixed(3).padStart(6)} ms`,
      `${viaCheerio.toFixed(1).padStart(6)} ms`,
      `${(viaCheerio / extract).toFixed(0).padStart(5)}x`,
      product ? pct(exact) : '   -',
      product ? pct(chunkedStop(html) / html.length) : '   -',
      product ? `${stopCpu.toFixed(1).padStart(6)} ms` : '       -',
      product ? `${stopCpuIncremental.toFixed(2).padStart(6)} ms` : '       -',
    ].join('  '),
  );
}

const header = [
  'page'.padEnd(50),
  '   size ',
  'extract ',
  'indexOf ',
  ' cheerio ',
  'speed-up',
  'stop',
  'stop@32K',
  'checks ',
  'incremental',
];
process.stdout.write(
  `median CPU per page (${ITERATIONS} runs; cheerio ${CHEERIO_ITERATIONS})\n` +
    `${header.join('  ')}\n${rows.join('\n')}\n`,
);
process.stdout.write(
  `product pages: median ${median(perMb).toFixed(3)} ms CPU per MB, ` +
    `median ${median(speedups).toFixed(0)}x faster than cheerio (min ${Math.min(...speedups).toFixed(0)}x), ` +
    `median early stop at ${(median(stops) * 100).toFixed(0)}% of the page; ` +
    `early-stop checks per download: median ${median(stopCosts).toFixed(1)} ms on the growing ` +
    `body, ${median(stopCostsIncremental).toFixed(2)} ms incremental\n`,
);
if (sink === Number.MIN_SAFE_INTEGER) process.stdout.write('\n');
