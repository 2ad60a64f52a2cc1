/**
 * The seeded catalogue the `search` and `api` sections measure against, built once by `pricehawk
 * seed`'s code into the bench cache (lib/cached-db.ts). Full: DESIGN.md's full scale, 10M
 * products, 10M watches, 1M users; --quick: 200k products, 200k watches, 20k users. No history
 * beyond the current price: neither section reads long histories, and 10M products × a year of
 * changes would not fit a bench machine's disk or afternoon.
 */
import { seedCatalog } from '../../src/cli-seed.js';
import type { BenchContext } from '../context.js';
import { cachedDatabase, type CachedDatabase } from './cached-db.js';
import { progress } from './progress.js';

export interface CatalogScale {
  readonly products: number;
  readonly users: number;
  readonly watches: number;
}

export function catalogScale(quick: boolean): CatalogScale {
  return quick
    ? { products: 200_000, users: 20_000, watches: 200_000 }
    : { products: 10_000_000, users: 1_000_000, watches: 10_000_000 };
}

export function seededCatalog(
  ctx: BenchContext,
  section: string,
  poolMax: number,
): Promise<CachedDatabase & { scale: CatalogScale }> {
  const scale = catalogScale(ctx.quick);
  return cachedDatabase(
    ctx.runScope,
    ctx.scope,
    `catalog_${scale.products}`,
    poolMax,
    async (pool) => {
      progress(section, `seeding ${scale.products.toLocaleString('en')} products (once; cached)`);
      let last = '';
      await seedCatalog(pool, {
        ...scale,
        historyDays: 0,
        seed: 1,
        onProgress: (p) => {
          const line = `${p.phase} ${Math.floor((100 * p.done) / Math.max(1, p.total))}%`;
          if (line !== last) progress(section, `seed: ${line}`);
          last = line;
        },
      });
    },
  ).then((db) => ({ ...db, scale }));
}
