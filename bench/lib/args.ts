/** Command line of `npm run bench -- [--only a,b] [--quick] [--json] [--strict]`. */
export const SECTIONS = [
  'extraction',
  'early-stop',
  'demo-store',
  'pipeline',
  'database',
  'delivery',
  // Search (one query at a time, latency) before api (an open-loop load): the api run can end
  // with a backlog that keeps PostgreSQL busy for a while and its cache full of other pages, and
  // search measured right after it read 126 ms at p95 instead of 78 ms alone.
  'search',
  'api',
] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface BenchArgs {
  readonly only: ReadonlySet<SectionName>;
  /** Smaller sizes for a smoke run: same code paths, noisier figures. */
  readonly quick: boolean;
  /** Machine-readable output on stdout instead of the tables. */
  readonly json: boolean;
  /** Exit with status 1 when a budget fails, not only when a section breaks. */
  readonly strict: boolean;
}

export const USAGE = `usage: npm run bench -- [--only ${SECTIONS.join(',')}] [--quick] [--json] [--strict]
  --only     run only these sections (comma-separated), in the fixed order
  --quick    smaller sizes for a smoke run
  --json     print one JSON document on stdout instead of the tables (progress stays on stderr)
  --strict   exit 1 when a budget fails (default: only when a section cannot run)`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  let only: Set<SectionName> = new Set(SECTIONS);
  let quick = false;
  let json = false;
  let strict = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--quick') quick = true;
    else if (a === '--json') json = true;
    else if (a === '--strict') strict = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const list = a === '--only' ? argv[++i] : a.slice('--only='.length);
      if (!list) throw new Error(`--only needs a list of sections\n${USAGE}`);
      only = new Set();
      for (const name of list.split(',').map((s) => s.trim())) {
        if (!(SECTIONS as readonly string[]).includes(name)) {
          throw new Error(`unknown section "${name}"\n${USAGE}`);
        }
        only.add(name as SectionName);
      }
    } else if (a === '--help' || a === '-h') {
      throw new Error(USAGE);
    } else throw new Error(`unknown argument "${a}"\n${USAGE}`);
  }
  return { only, quick, json, strict };
}
