import type { BenchPostgres } from './lib/postgres.js';
import type { SectionResult } from './lib/report.js';
import type { Scope } from './lib/scope.js';

/** What every section gets from run.ts. */
export interface BenchContext {
  readonly quick: boolean;
  readonly fixturesDir: string;
  /** The run's embedded PostgreSQL, started on first use. */
  readonly postgres: BenchPostgres;
  /** The section's own scope: closed (servers stopped, databases dropped) when it ends. */
  readonly scope: Scope;
  /** The run's scope, for what outlives a section (the cache's PostgreSQL). */
  readonly runScope: Scope;
}

export type SectionOutput = Omit<SectionResult, 'section' | 'seconds' | 'error'>;
export type Section = (ctx: BenchContext) => Promise<SectionOutput>;
