/**
 * `npm run bench`: every budget of DESIGN.md measured against a baseline run side by side, as a
 * table (or `--json`), with progress on stderr. Starts everything it needs itself, offline (an
 * embedded PostgreSQL in a temp dir, the demo store, an SMTP server) and stops it all at the end,
 * on failure and on Ctrl-C. See USAGE in lib/args.ts.
 *
 * Exit status: 1 if a section could not run (or, with --strict, a budget failed); else 0. A FAIL
 * is a finding to report, not a broken bench.
 */
import os from 'node:os';
import { api } from './api.js';
import type { BenchContext, Section } from './context.js';
import { database } from './database.js';
import { delivery } from './delivery.js';
import { demoStore } from './demo-store.js';
import { earlyStop } from './early-stop.js';
import { extraction } from './extraction.js';
import { parseArgs, SECTIONS, type SectionName } from './lib/args.js';
import { hasTaskset } from './lib/child.js';
import { fixturesDir } from './lib/paths.js';
import { BenchPostgres } from './lib/postgres.js';
import { elapsedSeconds, progress } from './lib/progress.js';
import { renderTable, statusOf, summaryTable, type SectionResult } from './lib/report.js';
import { closeAllScopes, Scope, withScope } from './lib/scope.js';
import { pipeline } from './pipeline.js';
import { search } from './search.js';

const RUNNERS: Record<SectionName, Section> = {
  extraction,
  'early-stop': earlyStop,
  'demo-store': demoStore,
  pipeline,
  database,
  delivery,
  api,
  search,
};

function loadavg(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/**
 * What first touching fresh memory costs here (page faults), in ms per MB: on some VMs it is many
 * times what it is on bare metal, and every large string or buffer a check allocates pays it.
 */
function firstTouchMsPerMb(): number {
  const mb = 64;
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const b = Buffer.allocUnsafeSlow(mb * 2 ** 20);
    const t = performance.now();
    b.fill(1);
    samples.push((performance.now() - t) / mb);
  }
  return Math.min(...samples);
}

interface MachineInfo {
  cpus: number;
  cpuModel: string;
  availableParallelism: number;
  memoryGb: number;
  node: string;
  platform: string;
  taskset: boolean;
  exposeGc: boolean;
  loadavgAtStart: number[];
  firstTouchMsPerMb: number;
  postgres?: string;
  loadavgAtEnd?: number[];
  totalSeconds?: number;
}

function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? '?',
    availableParallelism: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    taskset: hasTaskset(),
    exposeGc: typeof (globalThis as { gc?: unknown }).gc === 'function',
    loadavgAtStart: os.loadavg(),
    firstTouchMsPerMb: firstTouchMsPerMb(),
  };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const runScope = new Scope('run');
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) process.exit(130); // a second Ctrl-C: leave now
    interrupted = true;
    process.stderr.write(`bench: ${signal}, stopping servers and removing temp dirs\n`);
    void closeAllScopes()
      .then(() => runScope.close())
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // While stopping, work in flight fails as its servers go away; that must not end the process
  // before the cleanup has removed the temp dirs.
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`bench: unhandled rejection: ${String(err)}\n`);
    if (!interrupted) process.exitCode = 1;
  });

  const machine = machineInfo();
  const postgres = new BenchPostgres(runScope);
  const results: SectionResult[] = [];
  if (!args.json) {
    process.stdout.write(
      `Pricehawk bench${args.quick ? ' (--quick: smaller sizes, smoke run)' : ''}\n` +
        `machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, ` +
        `node ${process.version}, ${machine.platform}; taskset ${hasTaskset() ? 'yes' : 'no'}; ` +
        `loadavg at start ${loadavg()} (shared machine: figures are noisy); ` +
        `first touch of fresh memory ${machine.firstTouchMsPerMb.toFixed(2)} ms/MB\n\n`,
    );
  }

  try {
    for (const name of SECTIONS) {
      if (!args.only.has(name)) continue;
      const started = performance.now();
      const loadBefore = loadavg();
      progress(name, `starting (loadavg ${loadBefore})`);
      let result: SectionResult;
      try {
        const out = await withScope(name, (scope) => {
          const ctx: BenchContext = {
            quick: args.quick,
            fixturesDir: fixturesDir(),
            postgres,
            scope,
            runScope,
          };
          return RUNNERS[name](ctx);
        });
        result = { section: name, ...out, seconds: (performance.now() - started) / 1000 };
      } catch (err) {
        const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
        progress(name, `FAILED: ${message}`);
        result = {
          section: name,
          rows: [],
          details: [],
          data: null,
          seconds: (performance.now() - started) / 1000,
          error: err instanceof Error ? err.message : String(err),
        };
      }
      const loadAfter = loadavg();
      results.push({ ...result, data: { ...(result.data ?? {}), loadBefore, loadAfter } });
      progress(name, `done in ${result.seconds.toFixed(1)} s (loadavg ${loadAfter})`);
      if (!args.json) {
        for (const t of result.details) process.stdout.write(`${renderTable(t)}\n\n`);
        process.stdout.write(
          `[${name}: ${result.seconds.toFixed(1)} s, loadavg ${loadBefore} → ${loadAfter}]\n\n`,
        );
      }
      if (interrupted) break;
    }
    if (postgres.started) machine.postgres = await postgres.version();
  } finally {
    await runScope.close();
  }

  machine.loadavgAtEnd = os.loadavg();
  machine.totalSeconds = elapsedSeconds();
  if (args.json) {
    const sections = results.map((r) => ({
      ...r,
      rows: r.rows.map((row) => ({ ...row, status: statusOf(row) })),
    }));
    process.stdout.write(`${JSON.stringify({ machine, quick: args.quick, sections }, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderTable(summaryTable(results))}\n\n`);
    process.stdout.write(
      `total ${elapsedSeconds().toFixed(0)} s; loadavg at end ${loadavg()}` +
        (machine.postgres ? `; PostgreSQL ${machine.postgres}` : '') +
        '\n',
    );
  }
  const broken = results.some((r) => r.error !== undefined);
  const failed = results.some((r) => r.rows.some((row) => statusOf(row) === 'FAIL'));
  return broken || (args.strict && failed) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
