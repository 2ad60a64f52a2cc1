import { useEffect, useRef, useState } from 'react';
import { ApiError, api, type Money } from '../api';
import { catalogApi, type CatalogProduct, type WatchDetail } from '../catalog-api';
import { AvailabilityBadge, StateBadge, stateHint } from '../components/Badges';
import { ErrorNote, Loading } from '../components/Notice';
import { PriceHistoryPanel } from '../components/PriceHistoryPanel';
import { ProductImage } from '../components/ProductImage';
import { WatchPanel } from '../components/WatchPanel';
import {
  compareMoney,
  currencyDigits,
  formatDateTime,
  formatMoney,
  timeAgo,
  toMinor,
} from '../format';
import { useNow, useResource, useTitle } from '../hooks';
import { Link, useLocation } from '../router';
import { loginPathFor, useSession } from '../session';

interface ProductView {
  readonly product: CatalogProduct;
  readonly watches: readonly WatchDetail[];
}

/** A visitor (not logged in) sees the product without watches. */
async function loadProduct(id: number, signedIn: boolean): Promise<ProductView> {
  const [{ product }, { watches }] = await Promise.all([
    catalogApi.product(id),
    signedIn ? catalogApi.watches() : Promise.resolve({ watches: [] as WatchDetail[] }),
  ]);
  return { product, watches: watches.filter((w) => w.productId === id) };
}

/** Checks run in the background; these are the moments we look again for the result. */
const RECHECK_DELAYS_MS = [2500, 3000, 5000];

export function ProductPage({ id }: { id: number }) {
  const { user } = useSession();
  const signedIn = Boolean(user);
  const [view, , update] = useResource(`product:${id}:${signedIn ? 'user' : 'visitor'}`, () =>
    loadProduct(id, signedIn),
  );
  const now = useNow();
  // ?watch=1: arriving from a search result's Watch button, straight to the alert form.
  const { query, path, search } = useLocation();
  const focusWatch = query.get('watch') === '1';
  useTitle(view.status === 'ready' ? (view.data.product.title ?? 'Product') : 'Product');

  if (view.status === 'loading') return <Loading label="Loading product…" />;
  if (view.status === 'failed') {
    const missing = view.error instanceof ApiError && view.error.status === 404;
    return (
      <div className="page">
        {missing ? (
          <>
            <h1>Product not found</h1>
            <p>
              It may have been removed. <Link to="/">Back to the start page</Link>
            </p>
          </>
        ) : (
          <ErrorNote error={view.error} />
        )}
      </div>
    );
  }

  const { product, watches } = view.data;
  const title = product.title ?? `${product.marketplace} ${product.externalId}`;
  return (
    <div className="page">
      <div className="product-layout">
        <div className="product-media">
          <ProductImage src={product.imageUrl} alt={product.title ?? ''} size="large" />
        </div>
        <div className="product-summary">
          <ProductSummary
            product={product}
            now={now}
            signedIn={signedIn}
            onFresh={(fresh) => update((old) => ({ ...old, product: fresh }))}
          />
          {signedIn ? (
            <WatchPanel
              product={product}
              watches={watches}
              now={now}
              onChange={(next) => update((old) => ({ ...old, watches: next }))}
              focusForm={focusWatch}
            />
          ) : (
            <section className="card watch-invite" aria-label="Price alerts">
              <p>
                <Link to={loginPathFor(path + search)}>Log in</Link> or{' '}
                <Link to="/signup">sign up</Link> to be told when this price drops.
              </p>
            </section>
          )}
        </div>
      </div>
      <PriceHistoryPanel
        productId={product.id}
        title={title}
        version={`${product.lastCheckedAt ?? ''}/${product.lastChangedAt ?? ''}`}
      />
    </div>
  );
}

function ProductSummary({
  product,
  now,
  signedIn,
  onFresh,
}: {
  product: CatalogProduct;
  now: number;
  signedIn: boolean;
  onFresh: (fresh: CatalogProduct) => void;
}) {
  const title = product.title ?? `${product.marketplace} ${product.externalId}`;
  const hint = stateHint(product.state);
  return (
    <div className="summary">
      <div className="tags">
        <span className="tag">{product.marketplace}</span>
        <StateBadge state={product.state} />
        <AvailabilityBadge availability={product.availability} />
      </div>
      <h1 className="product-title">{title}</h1>
      <div className="price-block">
        <span className="visually-hidden">Current price: </span>
        <span className="price-large">
          {product.price ? formatMoney(product.price) : 'Unavailable'}
        </span>
        {product.price && product.listPrice && (
          <ListPrice price={product.price} list={product.listPrice} />
        )}
      </div>
      {hint && product.state !== 'active' && (
        <p className={`notice ${product.state === 'blocked' ? 'notice-error' : 'notice-warn'}`}>
          {hint}
        </p>
      )}
      <p className="muted small">
        {product.lastCheckedAt ? (
          <>
            checked{' '}
            <time dateTime={product.lastCheckedAt} title={formatDateTime(product.lastCheckedAt)}>
              {timeAgo(product.lastCheckedAt, now)}
            </time>
          </>
        ) : (
          'not checked yet'
        )}
        {product.lastChangedAt && (
          <>
            {' · price changed '}
            <time dateTime={product.lastChangedAt} title={formatDateTime(product.lastChangedAt)}>
              {timeAgo(product.lastChangedAt, now)}
            </time>
          </>
        )}
      </p>
      {signedIn ? (
        <CheckNow product={product} onFresh={onFresh} />
      ) : (
        <p>
          <a href={product.url} target="_blank" rel="noopener noreferrer">
            View on {product.marketplace}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        </p>
      )}
    </div>
  );
}

/** The list price, struck through, when the store shows one above today's price. */
function ListPrice({ price, list }: { price: Money; list: Money }) {
  if ((compareMoney(list, price) ?? 0) <= 0) return null;
  const digits = currencyDigits(price.currency);
  const p = toMinor(price.amount, digits);
  const l = toMinor(list.amount, digits);
  const off = p !== null && l !== null && l > 0n ? ((l - p) * 100n) / l : null;
  return (
    <span className="list-price">
      <span className="visually-hidden">List price </span>
      <s>{formatMoney(list)}</s>
      {off !== null && off > 0n && <span className="badge badge-good">−{off.toString()}%</span>}
    </span>
  );
}

function CheckNow({
  product,
  onFresh,
}: {
  product: CatalogProduct;
  onFresh: (fresh: CatalogProduct) => void;
}) {
  const [phase, setPhase] = useState<'idle' | 'checking' | 'done' | 'pending'>('idle');
  const [error, setError] = useState<unknown>(null);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  async function check(): Promise<void> {
    setError(null);
    setPhase('checking');
    const before = product.lastCheckedAt;
    try {
      await api.checkProduct(product.id);
      for (const delay of RECHECK_DELAYS_MS) {
        await new Promise((resolve) => window.setTimeout(resolve, delay));
        if (!live.current) return;
        const fresh = await catalogApi.product(product.id);
        if (!live.current) return;
        onFresh(fresh.product);
        if (fresh.product.lastCheckedAt !== before) {
          setPhase('done');
          return;
        }
      }
      setPhase('pending');
    } catch (err) {
      if (!live.current) return;
      setError(err);
      setPhase('idle');
    }
  }

  return (
    <div className="check-now">
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          disabled={phase === 'checking'}
          onClick={() => void check()}
        >
          {phase === 'checking' && <span className="spinner spinner-inline" aria-hidden="true" />}
          Check now
        </button>
        <a
          href={product.url}
          target="_blank"
          rel="noopener noreferrer"
          className="button button-ghost"
        >
          View on {product.marketplace}
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </div>
      <p className="muted small" role="status">
        {phase === 'checking' && 'Checking the store…'}
        {phase === 'done' && 'Up to date.'}
        {phase === 'pending' && 'The check is queued; the price will update shortly.'}
      </p>
      <ErrorNote error={error} />
    </div>
  );
}
