/**
 * PA-API as a bulk source for the checker: ten ASINs per request instead of one page each. What
 * PA-API cannot answer for a product (not accessible through PA-API, an item error, a failed
 * request) is left to the product's page; a throttled account defers the rest of the batch.
 */
import type { Logger } from '../../observability/logger.js';
import type { Observation } from '../types.js';
import type { PaapiClient } from './client.js';
import { PaapiError } from './errors.js';

export interface BulkRead {
  /** Trusted answers by external id (ASIN); the products not in it are read from their pages. */
  readonly observations: ReadonlyMap<string, Observation>;
  /** Products not answered should wait until then rather than fall back (throttling). */
  readonly deferUntil?: Date | undefined;
}

export interface BulkSource {
  covers(store: string, marketplace: string): boolean;
  read(marketplace: string, ids: readonly string[]): Promise<BulkRead>;
}

/** Only answers that say something about the product count; the rest go to the page. */
function usable(o: Observation): boolean {
  return o.outcome === 'ok';
}

export function createPaapiSource(opts: {
  client: PaapiClient;
  marketplaces: readonly string[];
  logger: Logger;
  clock: () => Date;
}): BulkSource {
  const covered = new Set(opts.marketplaces);
  const log = opts.logger.child({ component: 'paapi' });
  const keep = (m: ReadonlyMap<string, Observation>) =>
    new Map(
      [...m].filter(([, o]) => usable(o)).map(([asin, o]) => [asin, { ...o, store: 'amazon' }]),
    );

  return {
    covers: (store, marketplace) => store === 'amazon' && covered.has(marketplace),
    async read(marketplace, ids) {
      try {
        return { observations: keep(await opts.client.getItems(marketplace, ids)) };
      } catch (err) {
        if (!(err instanceof PaapiError)) throw err;
        log.warn({ err, code: err.code, marketplace }, 'PA-API request failed');
        const deferUntil =
          err.code === 'paapi_throttled'
            ? new Date(opts.clock().getTime() + (err.retryAfterMs ?? 1000))
            : undefined;
        return { observations: keep(err.partial), deferUntil };
      }
    },
  };
}
