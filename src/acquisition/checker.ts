/**
 * The checker: claims due products in batches with a lease (FOR UPDATE SKIP LOCKED, so any number
 * of workers share the queue through PostgreSQL alone), fetches each page through the one fetcher,
 * extracts an observation with the product's store adapter, and applies the batch's observations
 * together in one transaction (a fixed number of set-based statements, however large the batch).
 */
import { withTransaction, type Pool, type PoolClient } from '../db/pool.js';
import { forEachConcurrently } from '../lifecycle.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import {
  detachedFromPage,
  emptyObservation,
  type Observation,
  type StoreRegistry,
} from '../stores/index.js';
import type { BulkRead, BulkSource } from '../stores/paapi/index.js';
import { applyObservations, type ApplyPolicy, type ApplyResult } from './apply.js';
import { FetchError, type Fetcher } from './fetcher.js';

export interface CheckerDeps {
  readonly pool: Pool;
  readonly fetcher: Fetcher;
  readonly stores: StoreRegistry;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: () => Date;
  readonly random: () => number;
  readonly workerId: string;
  readonly policy: ApplyPolicy;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly leaseMs: number;
  /** A source that reads many products a request (PA-API), tried before their pages. */
  readonly bulk?: BulkSource | undefined;
}

export interface ClaimedProduct {
  readonly id: number;
  readonly store: string;
  readonly marketplace: string;
  readonly external_id: string;
  readonly url: string;
}

export interface CheckResult extends ApplyResult {
  readonly outcome: string;
  readonly bytesRead: number;
}

export interface Checker {
  /** Claims one batch and checks it; returns how many products were claimed. */
  runBatch(signal?: AbortSignal): Promise<number>;
  /** Checks one product now (for a product just added); waits if another worker holds it. */
  checkNow(productId: number): Promise<CheckResult | null>;
}

export function createChecker(deps: CheckerDeps): Checker {
  const log = deps.logger.child({ component: 'checker', worker: deps.workerId });
  const flushAfterMs = Math.min(5_000, deps.leaseMs / 4);

  async function claim(limit: number): Promise<ClaimedProduct[]> {
    const now = deps.clock();
    const { rows } = await deps.pool.query<ClaimedProduct>(
      `update products p set lease_owner = $1, lease_until = $2
        where p.id in (
          select id from products
           where next_check_at <= $3 and state <> 'gone'
             and (lease_until is null or lease_until < $3)
           order by next_check_at
           limit $4
           for update skip locked)
        returning p.id, p.store, p.marketplace, p.external_id, p.url`,
      [deps.workerId, new Date(now.getTime() + deps.leaseMs), now, limit],
    );
    return rows;
  }

  async function claimOne(productId: number): Promise<ClaimedProduct | undefined> {
    const now = deps.clock();
    const { rows } = await deps.pool.query<ClaimedProduct>(
      `update products set lease_owner = $1, lease_until = $2
        where id = $3 and (lease_until is null or lease_until < $4)
        returning id, store, marketplace, external_id, url`,
      [deps.workerId, new Date(now.getTime() + deps.leaseMs), productId, now],
    );
    return rows[0];
  }

  async function release(ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await deps.pool.query(
      `update products set lease_owner = null, lease_until = null
        where id = any($1::bigint[]) and lease_owner = $2`,
      [ids, deps.workerId],
    );
  }

  /** Back to the queue without counting a failure: the host asked us to wait, not the product. */
  async function defer(p: ClaimedProduct, until: Date): Promise<void> {
    await deps.pool.query(
      `update products set next_check_at = $3, lease_owner = null, lease_until = null
        where id = $1 and lease_owner = $2`,
      [p.id, deps.workerId, until],
    );
  }

  async function observe(
    p: ClaimedProduct,
  ): Promise<{ obs: Observation; bytesRead: number } | { deferUntil: Date }> {
    const adapter = deps.stores.adapter(p.store);
    if (!adapter) {
      return { obs: emptyObservation(p.store, 'unsupported'), bytesRead: 0 };
    }
    const stored = {
      store: p.store,
      marketplace: p.marketplace,
      externalId: p.external_id,
      url: p.url,
    };
    const plan = adapter.fetchPlan(stored);
    try {
      const res = await deps.fetcher.fetch({
        url: plan.url,
        headers: plan.headers,
        ...(plan.earlyStop ? { stopWhen: plan.earlyStop() } : {}),
      });
      deps.metrics.bytesRead.inc({ store: p.store }, res.bytesRead);
      if (res.status === 404 || res.status === 410) {
        return { obs: emptyObservation(p.store, 'not_found'), bytesRead: res.bytesRead };
      }
      if (res.status === 429) {
        return { obs: emptyObservation(p.store, 'blocked'), bytesRead: res.bytesRead };
      }
      // Extract even from 5xx answers: Amazon serves its robot check with 503 at times, and the
      // extractor tells a captcha from an error page.
      const obs = adapter.extract(res.body, stored, res.url);
      if (obs.outcome === 'captcha' || obs.outcome === 'blocked')
        deps.fetcher.report(res, 'blocked');
      else if (obs.outcome === 'ok') deps.fetcher.report(res, 'ok');
      if (res.status >= 400 && obs.outcome === 'ok') {
        return { obs: emptyObservation(p.store, 'error'), bytesRead: res.bytesRead };
      }
      // Kept until the whole batch is applied: without its page.
      return { obs: detachedFromPage(obs), bytesRead: res.bytesRead };
    } catch (err) {
      if (err instanceof FetchError && err.code === 'fetch_cooling_down') {
        return { deferUntil: new Date(err.retryAt ?? Date.now() + 60_000) };
      }
      if (err instanceof FetchError) {
        log.warn({ err, productId: p.id, url: plan.url }, 'fetch failed');
        // A request we refuse to make (SSRF guard) will never succeed: not a readable product.
        return {
          obs: emptyObservation(p.store, err.transient ? 'error' : 'unsupported'),
          bytesRead: 0,
        };
      }
      throw err;
    }
  }

  /** An observation read, waiting to be applied with the rest of its batch. */
  interface Seen {
    readonly p: ClaimedProduct;
    readonly obs: Observation;
    readonly bytesRead: number;
    readonly started: bigint;
  }

  /** Reads one product's page; a deferred product goes back to the queue at once. */
  async function read(p: ClaimedProduct): Promise<Seen | null> {
    const started = process.hrtime.bigint();
    const seen = await observe(p);
    if ('deferUntil' in seen) {
      await defer(p, seen.deferUntil);
      deps.metrics.checks.inc({ store: p.store, outcome: 'deferred' });
      return null;
    }
    return { p, obs: seen.obs, bytesRead: seen.bytesRead, started };
  }

  function apply(client: PoolClient, seen: readonly Seen[]): Promise<ApplyResult[]> {
    return applyObservations(
      client,
      seen.map((s) => ({ productId: s.p.id, owner: deps.workerId, obs: s.obs })),
      deps.clock(),
      deps.policy,
      deps.random,
    );
  }

  /**
   * Applies the observations read in one transaction. Should that fail (a bug, a deadlock, a
   * constraint a single product trips), each is applied in its own transaction, so that one bad
   * observation costs only itself; a product that fails alone keeps its lease until it expires,
   * and another worker retries it then. Returns one result per observation, null for a failure
   * (with `rethrow`, the error of the transaction instead, for a caller waiting on one product).
   */
  async function commit(
    seen: readonly Seen[],
    opts: { rethrow?: boolean } = {},
  ): Promise<Array<CheckResult | null>> {
    if (seen.length === 0) return [];
    let results: Array<ApplyResult | null>;
    try {
      results = await withTransaction(deps.pool, (c) => apply(c, seen));
    } catch (err) {
      if (opts.rethrow) throw err;
      log.error(
        { err, products: seen.map((s) => s.p.id) },
        `applying a batch of ${seen.length} observations failed; applying them one by one`,
      );
      results = [];
      for (const s of seen) {
        try {
          const [r] = await withTransaction(deps.pool, (c) => apply(c, [s]));
          results.push(r ?? null);
        } catch (err) {
          log.error({ err, productId: s.p.id, outcome: s.obs.outcome }, 'check failed');
          results.push(null);
        }
      }
    }
    const finished = process.hrtime.bigint();
    return seen.map((s, i) => {
      const r = results[i];
      if (!r) return null;
      if (!r.applied) {
        // Another worker took the product over after our lease expired: its check counts.
        log.warn({ productId: s.p.id }, 'lease lost before the observation was applied');
        deps.metrics.checks.inc({ store: s.p.store, outcome: 'lease_lost' });
        return { ...r, outcome: 'lease_lost', bytesRead: s.bytesRead };
      }
      deps.metrics.checks.inc({ store: s.p.store, outcome: s.obs.outcome });
      deps.metrics.checkSeconds.observe({ store: s.p.store }, Number(finished - s.started) / 1e9);
      if (r.notifications > 0) deps.metrics.alerts.inc({ kind: 'price_drop' }, r.notifications);
      log.debug(
        { productId: s.p.id, outcome: s.obs.outcome, changed: r.changed, bytesRead: s.bytesRead },
        'checked',
      );
      return { ...r, outcome: s.obs.outcome, bytesRead: s.bytesRead };
    });
  }

  /**
   * Reads what a bulk source (PA-API) covers, many products a request, handing each answer to
   * `add`; returns the products left to read from their pages.
   */
  async function readInBulk(
    bulk: BulkSource,
    batch: ClaimedProduct[],
    add: (s: Seen) => void,
  ): Promise<ClaimedProduct[]> {
    const groups = new Map<string, ClaimedProduct[]>();
    const pages: ClaimedProduct[] = [];
    for (const p of batch) {
      if (!bulk.covers(p.store, p.marketplace)) pages.push(p);
      else groups.set(p.marketplace, [...(groups.get(p.marketplace) ?? []), p]);
    }
    for (const [marketplace, group] of groups) {
      const started = process.hrtime.bigint();
      let answer: BulkRead;
      try {
        answer = await bulk.read(
          marketplace,
          group.map((p) => p.external_id),
        );
      } catch (err) {
        log.error({ err, marketplace }, 'bulk read failed; reading pages instead');
        pages.push(...group);
        continue;
      }
      for (const p of group) {
        const obs = answer.observations.get(p.external_id);
        try {
          if (obs) add({ p, obs, bytesRead: 0, started });
          else if (answer.deferUntil) await defer(p, answer.deferUntil);
          else pages.push(p);
        } catch (err) {
          log.error({ err, productId: p.id }, 'deferring a product failed');
        }
      }
    }
    return pages;
  }

  return {
    async runBatch(signal) {
      const batch = await claim(deps.batchSize);
      if (batch.length === 0) return 0;
      // Observations wait for the rest of the batch to be applied with it, in one transaction;
      // but not for long (a slow page, or a host that allows one request a second, makes a batch
      // slow), so that they are stored soon and well within their leases.
      let pending: Seen[] = [];
      let timer: NodeJS.Timeout | undefined;
      const commits: Array<Promise<unknown>> = [];
      const flush = () => {
        clearTimeout(timer);
        timer = undefined;
        const chunk = pending;
        pending = [];
        // commit() handles its own failures; this catch only keeps a bug from going unhandled.
        commits.push(commit(chunk).catch((err: unknown) => log.error({ err }, 'commit failed')));
      };
      const add = (s: Seen) => {
        pending.push(s);
        timer ??= setTimeout(flush, flushAfterMs);
      };
      const pages = deps.bulk ? await readInBulk(deps.bulk, batch, add) : batch;
      const untouched = await forEachConcurrently(pages, deps.concurrency, signal, async (p) => {
        try {
          const s = await read(p);
          if (s) add(s);
        } catch (err) {
          // Unexpected (a bug or the database going away): keep the lease until it expires so
          // another worker retries later, and carry on with the batch.
          log.error({ err, productId: p.id }, 'check failed');
        }
      });
      // Everything read is applied, even when stopping: the pages were fetched already.
      flush();
      await Promise.all(commits);
      // Products claimed but not started because we are stopping go back to the queue now rather
      // than when their lease expires.
      await release(untouched.map((p) => p.id));
      return batch.length;
    },

    async checkNow(productId) {
      for (let i = 0; i < 100; i++) {
        const p = await claimOne(productId);
        if (p) {
          const s = await read(p);
          if (!s) {
            return {
              applied: false,
              changed: [],
              notifications: 0,
              outcome: 'deferred',
              bytesRead: 0,
            };
          }
          // The caller waits for this product: its failure is the caller's to handle.
          const [result] = await commit([s], { rethrow: true });
          return result ?? null;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      return null;
    },
  };
}
