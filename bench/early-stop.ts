/**
 * Early stop: how much of a page a check reads with and without it.
 * 1. Fixture pages, fed as the fetcher feeds them (16 KB pieces of decompressed bytes into
 *    createAmazonEarlyStop()), and the same pages gzip- and brotli-compressed to count the
 *    compressed bytes needed before the early stop says stop. Each cut page is also extracted, to
 *    check it gives the same observation as the whole page.
 * 2. Demo store pages through the real fetcher (SSRF guard, br/gzip, streamed body), one at a
 *    time, with and without `stopWhen`: decoded bytes (FetchResult.bytesRead), bytes taken off the
 *    socket (compressed, headers included), and the fetcher's CPU per page.
 * No budget: DESIGN.md relies on it for the pipeline and memory budgets; this shows the saving.
 */
import zlib from 'node:zlib';
import { createFetcher } from '../src/acquisition/fetcher.js';
import { createAmazonEarlyStop, extractAmazon } from '../src/stores/amazon/extract.js';
import { createStoreRegistry } from '../src/stores/index.js';
import type { BenchContext, SectionOutput } from './context.js';
import { startChild } from './lib/child.js';
import { amazonProductPages } from './lib/fixtures.js';
import { benchLogger } from './lib/logger.js';
import { progress } from './lib/progress.js';
import { fmt, type Table } from './lib/report.js';
import { cpuSince, median, sum } from './lib/stats.js';
import { countWireBytes } from './lib/wire.js';

const SECTION = 'early-stop';
const PIECE = 16 * 1024;

/** Decompressed bytes fed until the early stop says stop (or the whole buffer). */
function decodedStop(bytes: Buffer): number {
  const enough = createAmazonEarlyStop();
  for (let read = 0; read < bytes.length;) {
    const chunk = bytes.subarray(read, read + PIECE);
    read += chunk.length;
    if (enough(chunk)) return read;
  }
  return bytes.length;
}

/**
 * Compressed bytes a client must receive, in 16 KB pieces, before the bytes inflated from them say
 * stop. Truncated prefixes are inflated with a sync flush, which yields all output they determine.
 */
function compressedStop(compressed: Buffer, inflate: (prefix: Buffer) => Buffer): number {
  const enough = createAmazonEarlyStop();
  let decodedSoFar = 0;
  for (let n = PIECE; ; n += PIECE) {
    const end = Math.min(n, compressed.length);
    const out = inflate(compressed.subarray(0, end));
    const fresh = out.subarray(decodedSoFar);
    decodedSoFar = out.length;
    if (enough(fresh)) return end;
    if (end === compressed.length) return end;
  }
}

const gunzipPrefix = (b: Buffer) =>
  zlib.gunzipSync(b, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
const unbrotliPrefix = (b: Buffer) =>
  zlib.brotliDecompressSync(b, { finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });

interface FixtureStop {
  file: string;
  bytes: number;
  stopBytes: number;
  gzipBytes: number;
  gzipStop: number;
  brBytes: number;
  brStop: number;
  same: boolean;
}

function fixtureStops(dir: string): FixtureStop[] {
  const out: FixtureStop[] = [];
  for (const page of amazonProductPages(dir)) {
    const stopBytes = decodedStop(page.bytes);
    const gz = zlib.gzipSync(page.bytes, { level: 6 });
    const br = zlib.brotliCompressSync(page.bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 },
    });
    const prefix = page.bytes.subarray(0, stopBytes).toString('utf8');
    out.push({
      file: page.file,
      bytes: page.bytes.length,
      stopBytes,
      gzipBytes: gz.length,
      gzipStop: compressedStop(gz, gunzipPrefix),
      brBytes: br.length,
      brStop: compressedStop(br, unbrotliPrefix),
      same: JSON.stringify(extractAmazon(prefix)) === JSON.stringify(extractAmazon(page.html)),
    });
  }
  return out;
}

interface DemoFetch {
  decoded: number;
  wire: number;
  cpuMs: number;
  wallMs: number;
  stopped: boolean;
  observation: string;
}

interface DemoProductInfo {
  asin: string;
  marketplace: string;
  path: string;
}

async function demoFetches(
  ctx: BenchContext,
  sampleSize: number,
): Promise<{ early: DemoFetch[]; full: DemoFetch[]; gzip: DemoFetch[]; url: string }> {
  const demo = await startChild(ctx.scope, 'demo-store');
  const url = String(demo.ready.url);
  const all = await demo.call<DemoProductInfo[]>('products');
  const step = Math.max(1, Math.floor(all.length / sampleSize));
  const sample = all.filter((_, i) => i % step === 0).slice(0, sampleSize);
  // Render and compress every sampled page first, as the fetcher asks for it (gzip, br).
  await demo.call('warm', { encoding: 'gzip, br', concurrency: 2 });

  const stores = createStoreRegistry({ demoBaseUrl: url });
  const fetcher = createFetcher({
    logger: benchLogger(),
    acceptsHost: (h) => stores.acceptsHost(h),
    trustedHosts: [new URL(url).host],
  });
  ctx.scope.defer('fetcher', () => fetcher.close());
  const wire = countWireBytes();
  ctx.scope.defer('wire counter', () => wire.close());
  const adapter = stores.adapter('demo');
  if (!adapter) throw new Error('no demo adapter');

  /** `gzipOnly`: what the fetcher would spend if it asked for gzip alone (the store prefers br). */
  const fetchOne = async (
    p: DemoProductInfo,
    early: boolean,
    gzipOnly = false,
  ): Promise<DemoFetch> => {
    const stored = {
      store: 'demo',
      marketplace: p.marketplace,
      externalId: p.asin,
      url: `${url}${p.path}`,
    };
    const plan = adapter.fetchPlan(stored);
    const wireBefore = wire.bytesRead();
    const cpu = process.cpuUsage();
    const t = performance.now();
    const res = await fetcher.fetch({
      url: plan.url,
      headers: gzipOnly ? { ...plan.headers, 'accept-encoding': 'gzip' } : plan.headers,
      ...(early && plan.earlyStop ? { stopWhen: plan.earlyStop() } : {}),
    });
    const wallMs = performance.now() - t;
    const cpuMs = cpuSince(cpu);
    if (res.status !== 200) throw new Error(`${plan.url}: HTTP ${res.status}`);
    // Let undici finish tearing down the stopped connection before reading its counters.
    await new Promise((r) => setImmediate(r));
    return {
      decoded: res.bytesRead,
      wire: wire.bytesRead() - wireBefore,
      cpuMs,
      wallMs,
      stopped: res.stoppedEarly,
      observation: JSON.stringify(adapter.extract(res.body, stored, res.url)),
    };
  };

  const early: DemoFetch[] = [];
  const full: DemoFetch[] = [];
  const gzip: DemoFetch[] = [];
  // Alternate, one request at a time, so load changes on the machine hit both alike and each
  // fetch's socket bytes are its own.
  for (const [i, p] of sample.entries()) {
    early.push(await fetchOne(p, true));
    full.push(await fetchOne(p, false));
    gzip.push(await fetchOne(p, true, true));
    if ((i + 1) % 20 === 0) progress(SECTION, `demo store: ${i + 1}/${sample.length} pages`);
  }
  return { early, full, gzip, url };
}

export async function earlyStop(ctx: BenchContext): Promise<SectionOutput> {
  progress(SECTION, 'fixture pages');
  const fx = fixtureStops(ctx.fixturesDir);
  const sampleSize = ctx.quick ? 20 : 80;
  progress(SECTION, `demo store: ${sampleSize} pages through the real fetcher`);
  const demo = await demoFetches(ctx, sampleSize);

  const share = (part: number, whole: number) => `${fmt((100 * part) / whole)}%`;
  const fxTotal = sum(fx.map((f) => f.bytes));
  const fxStop = sum(fx.map((f) => f.stopBytes));
  const fxGz = sum(fx.map((f) => f.gzipBytes));
  const fxGzStop = sum(fx.map((f) => f.gzipStop));
  const fxBr = sum(fx.map((f) => f.brBytes));
  const fxBrStop = sum(fx.map((f) => f.brStop));
  const fxSame = fx.filter((f) => f.same).length;

  const n = demo.early.length;
  const mean = (xs: DemoFetch[], k: keyof DemoFetch) => sum(xs.map((x) => Number(x[k]))) / n;
  const demoSame = demo.early.filter((e, i) => e.observation === demo.full[i]?.observation).length;
  const demoStopped = demo.early.filter((e) => e.stopped).length;

  const fixtureTable: Table = {
    title:
      'Early stop on fixture pages (16 KB pieces; compressed: gzip -6 and brotli q5 of the page)',
    columns: [
      'page',
      'kB',
      'read kB',
      'read %',
      'gzip kB',
      'gzip read kB',
      'br kB',
      'br read kB',
      'same obs',
    ],
    rows: fx.map((f) => [
      f.file,
      fmt(f.bytes / 1000),
      fmt(f.stopBytes / 1000),
      share(f.stopBytes, f.bytes),
      fmt(f.gzipBytes / 1000),
      fmt(f.gzipStop / 1000),
      fmt(f.brBytes / 1000),
      fmt(f.brStop / 1000),
      f.same ? 'yes' : 'NO',
    ]),
    footer: [
      `all pages: decoded ${share(fxStop, fxTotal)} read (median ${share(median(fx.map((f) => f.stopBytes / f.bytes)), 1)}), ` +
        `gzip ${share(fxGzStop, fxGz)}, brotli ${share(fxBrStop, fxBr)}; same observation as the whole page ${fxSame}/${fx.length}`,
    ],
  };
  const demoTable: Table = {
    title: `Early stop on demo store pages through the real fetcher (${n} pages, sequential; means per page)`,
    columns: ['', 'decoded kB', 'socket kB', 'fetcher CPU ms', 'wall ms'],
    rows: (
      [
        ['with early stop', demo.early],
        ['without', demo.full],
        ['early stop, asking gzip only (what-if)', demo.gzip],
      ] as const
    ).map(([label, xs]) => [
      label,
      fmt(mean(xs, 'decoded') / 1000),
      fmt(mean(xs, 'wire') / 1000),
      fmt(mean(xs, 'cpuMs')),
      fmt(mean(xs, 'wallMs')),
    ]),
    footer: [
      `stopped early ${demoStopped}/${n}; same observation with and without ${demoSame}/${n}; ` +
        `socket bytes are compressed (the fetcher asks for gzip, br; the demo store answers br) and include headers`,
    ],
  };

  const fullDecoded = mean(demo.full, 'decoded');
  const earlyDecoded = mean(demo.early, 'decoded');
  return {
    rows: [
      {
        section: SECTION,
        name: 'early stop: decoded bytes/check',
        figure: { value: earlyDecoded / 1000, unit: 'kB' },
        budget: null,
        baseline: { name: 'whole page', figure: { value: fullDecoded / 1000, unit: 'kB' } },
        ratio: { label: 'early/whole', value: earlyDecoded / fullDecoded },
        notes:
          `demo store via fetcher, ${n} pages, same obs ${demoSame}/${n}; socket ${fmt(mean(demo.early, 'wire') / 1000)} vs ` +
          `${fmt(mean(demo.full, 'wire') / 1000)} kB; fixtures read ${share(fxStop, fxTotal)} decoded, ` +
          `${share(fxGzStop, fxGz)} gzip, same obs ${fxSame}/${fx.length}`,
      },
      {
        section: SECTION,
        name: 'early stop: fetcher CPU/check',
        figure: { value: mean(demo.early, 'cpuMs'), unit: 'ms' },
        budget: null,
        baseline: { name: 'whole page', figure: { value: mean(demo.full, 'cpuMs'), unit: 'ms' } },
        ratio: {
          label: 'early/whole',
          value: mean(demo.early, 'cpuMs') / mean(demo.full, 'cpuMs'),
        },
        notes:
          'CPU of this process per sequential fetch (connect, decompress, early-stop scan over the bytes, one decode); ' +
          `asking for gzip only instead of "gzip, br": ${fmt(mean(demo.gzip, 'cpuMs'))} ms`,
      },
    ],
    details: [fixtureTable, demoTable],
    data: {
      fixtures: fx,
      demo: {
        early: demo.early.map(strip),
        full: demo.full.map(strip),
        gzipOnly: demo.gzip.map(strip),
      },
    },
  };
}

const strip = ({ observation: _o, ...rest }: DemoFetch) => rest;
