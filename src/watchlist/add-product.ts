/**
 * From what a person pastes to a product in the catalogue: identify the URL or ASIN, follow a
 * short link through the fetcher (SSRF guard included), find or create the shared product, and
 * read a new product's page at once. A page that turns out to hold no product leaves nothing
 * behind. Used by adding one product and by the watchlist's bulk import, so both answer alike.
 */
import type { Checker } from '../acquisition/checker.js';
import type { Fetcher } from '../acquisition/fetcher.js';
import { findOrCreateProduct, getProduct, type ProductRecord } from '../catalog/products.js';
import type { Pool } from '../db/pool.js';
import { AppError } from '../errors.js';
import type { ProductIdentity, StoreRegistry } from '../stores/index.js';

export interface AddProductDeps {
  readonly pool: Pool;
  readonly stores: Pick<StoreRegistry, 'identify'>;
  readonly fetcher: Pick<Fetcher, 'fetch'>;
  readonly checker: Pick<Checker, 'checkNow'>;
  readonly clock: () => Date;
}

/** The product a pasted URL or ASIN names; `marketplace` applies to a bare ASIN. */
export async function resolveIdentity(
  deps: Pick<AddProductDeps, 'stores' | 'fetcher'>,
  input: string,
  marketplace?: string,
): Promise<ProductIdentity> {
  let found = deps.stores.identify(input, marketplace ? { marketplace } : {});
  if (found.kind === 'short_link') {
    // amzn.to / a.co: follow the redirect through the fetcher and read the product from where it
    // lands; the page itself is not needed.
    try {
      const res = await deps.fetcher.fetch({ url: found.url, stopWhen: () => true });
      found = deps.stores.identify(res.url);
    } catch (cause) {
      throw new AppError('short_link_failed', 'could not follow that short link', 422, { cause });
    }
  }
  if (found.kind !== 'product') {
    throw new AppError(
      'unsupported_url',
      found.kind === 'unrecognised'
        ? `cannot track this: ${found.reason}`
        : 'cannot track this link',
      400,
    );
  }
  return found.identity;
}

/**
 * Finds or creates the product and, while it has never been read, reads it now (unless
 * `firstCheck` is false: then the checker reads it soon, as a new product is due at once).
 */
export async function addIdentifiedProduct(
  deps: AddProductDeps,
  identity: ProductIdentity,
  opts: { firstCheck?: boolean } = {},
): Promise<{ product: ProductRecord; created: boolean }> {
  const { product, created } = await findOrCreateProduct(deps.pool, identity, deps.clock());
  if (product.last_success_at === null && opts.firstCheck !== false) {
    const check = await deps.checker.checkNow(product.id);
    if (created && check && (check.outcome === 'unsupported' || check.outcome === 'not_found')) {
      // Nothing to track there: do not keep a product nobody can ever watch.
      await deps.pool.query('delete from products where id = $1 and watcher_count = 0', [
        product.id,
      ]);
      throw new AppError(
        'not_a_product',
        check.outcome === 'not_found'
          ? 'the store says this page does not exist'
          : 'no product with a price could be read from this page',
        422,
      );
    }
  }
  return { product: (await getProduct(deps.pool, product.id)) ?? product, created };
}

/** `resolveIdentity` then `addIdentifiedProduct`: what POST /products does with its body. */
export async function addProduct(
  deps: AddProductDeps,
  input: string,
  opts: { marketplace?: string | undefined; firstCheck?: boolean } = {},
): Promise<{ product: ProductRecord; created: boolean }> {
  const identity = await resolveIdentity(deps, input, opts.marketplace);
  return addIdentifiedProduct(deps, identity, opts);
}
