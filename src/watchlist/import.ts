/**
 * Bulk add: many pasted URLs (or a wishlist's items) become watches with one rule, each through
 * the same path as adding one product (identify, short link, find or create, first check when
 * new). Each item succeeds or fails on its own: a watch is written whole (with its product's
 * watcher count, in one transaction) or not at all, and partial success is the normal answer.
 *
 * Two inputs naming the same product are one item: the first does the work and the others say
 * `exists` (or share its failure). First checks stop after a time budget so that a long list on
 * a slow, rate-limited store still answers: products left unread are due at once and the checker
 * reads them within moments, and their watches are written all the same when the marketplace
 * already tells the currency (Amazon, the demo store).
 */
import { AppError } from '../errors.js';
import { forEachConcurrently } from '../lifecycle.js';
import type { Logger } from '../observability/logger.js';
import type { ProductIdentity } from '../stores/index.js';
import type { PriceType } from '../stores/types.js';
import { addIdentifiedProduct, resolveIdentity, type AddProductDeps } from './add-product.js';
import type { RuleInput } from './rules.js';
import { createWatch, findWatchId } from './watches.js';

export interface ImportDeps extends AddProductDeps {
  readonly intervalWatchedMs: number;
  readonly logger: Pick<Logger, 'error'>;
}

export interface ImportOptions {
  readonly rule: RuleInput;
  readonly priceType: PriceType;
  /** Items worked on at once (each may fetch a page). Default 4. */
  readonly concurrency?: number;
  /** After this long, new products are left to the checker instead of read here. Default 20 s. */
  readonly firstCheckBudgetMs?: number;
  /** Monotonic milliseconds, for the budget. Default `performance.now`. */
  readonly monotonic?: () => number;
  /** The marketplace of bare ASINs among the inputs (default amazon.com). */
  readonly marketplace?: string | undefined;
}

export interface ImportInput {
  readonly input: string;
  /** The title a wishlist shows, used until the product's own page is read. */
  readonly title?: string | null;
}

interface Done {
  readonly status: 'created' | 'exists';
  readonly watchId: number;
  readonly productId: number;
  readonly title: string | null;
}

interface Failed {
  readonly status: 'failed';
  readonly error: { readonly code: string; readonly message: string };
}

export type ImportItemResult = { readonly index: number; readonly input: string } & (
  (Done & { readonly duplicateOf?: number }) | Failed
);

function failure(err: unknown, logger: ImportDeps['logger'], input: string): Failed {
  if (err instanceof AppError) {
    return { status: 'failed', error: { code: err.code, message: err.message } };
  }
  logger.error({ err, input }, 'watch import item failed');
  return {
    status: 'failed',
    error: { code: 'internal', message: 'something went wrong on our side with this item' },
  };
}

const keyOf = (id: ProductIdentity) => `${id.marketplace}\n${id.externalId}`;

export async function importWatches(
  deps: ImportDeps,
  userId: number,
  inputs: readonly ImportInput[],
  opts: ImportOptions,
): Promise<ImportItemResult[]> {
  const concurrency = opts.concurrency ?? 4;
  const monotonic = opts.monotonic ?? (() => performance.now());
  const deadline = monotonic() + (opts.firstCheckBudgetMs ?? 20_000);

  // 1. What each input names (short links are followed here).
  const identities: Array<ProductIdentity | Failed | undefined> = inputs.map(() => undefined);
  await forEachConcurrently([...inputs.keys()], concurrency, undefined, async (i) => {
    const input = inputs[i]?.input ?? '';
    try {
      identities[i] = await resolveIdentity(deps, input, opts.marketplace);
    } catch (err) {
      identities[i] = failure(err, deps.logger, input);
    }
  });

  // 2. One item per product: the first input naming it.
  const owner = new Map<string, number>();
  const owners: number[] = [];
  identities.forEach((id, i) => {
    if (!id || 'status' in id) return;
    const k = keyOf(id);
    if (!owner.has(k)) {
      owner.set(k, i);
      owners.push(i);
    }
  });

  // 3. Products and watches.
  const outcomes = new Map<number, Done | Failed>();
  await forEachConcurrently(owners, concurrency, undefined, async (i) => {
    const identity = identities[i] as ProductIdentity;
    const input = inputs[i];
    try {
      outcomes.set(
        i,
        await watchOne(deps, userId, identity, input?.title ?? null, opts, deadline, monotonic),
      );
    } catch (err) {
      outcomes.set(i, failure(err, deps.logger, input?.input ?? ''));
    }
  });

  return inputs.map(({ input }, index): ImportItemResult => {
    const id = identities[index];
    if (!id) return { index, input, ...failure(new Error('not resolved'), deps.logger, input) };
    if ('status' in id) return { index, input, ...id };
    const first = owner.get(keyOf(id)) ?? index;
    const outcome = outcomes.get(first);
    if (!outcome)
      return { index, input, ...failure(new Error('not processed'), deps.logger, input) };
    if (first === index || outcome.status === 'failed') return { index, input, ...outcome };
    return { index, input, ...outcome, status: 'exists', duplicateOf: first };
  });
}

async function watchOne(
  deps: ImportDeps,
  userId: number,
  identity: ProductIdentity,
  listedTitle: string | null,
  opts: ImportOptions,
  deadline: number,
  monotonic: () => number,
): Promise<Done> {
  const { product } = await addIdentifiedProduct(deps, identity, {
    firstCheck: monotonic() < deadline,
  });
  const title = product.title ?? listedTitle;
  try {
    const watch = await createWatch(
      deps.pool,
      userId,
      { productId: product.id, priceType: opts.priceType, rule: opts.rule },
      deps.clock(),
      deps.intervalWatchedMs,
    );
    return { status: 'created', watchId: watch.id, productId: product.id, title };
  } catch (err) {
    if (err instanceof AppError && err.code === 'watch_exists') {
      const watchId = await findWatchId(deps.pool, userId, {
        productId: product.id,
        priceType: opts.priceType,
        ruleType: opts.rule.type,
      });
      if (watchId !== undefined) return { status: 'exists', watchId, productId: product.id, title };
    }
    throw err;
  }
}
