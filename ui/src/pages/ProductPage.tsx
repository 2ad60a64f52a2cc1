import { useEffect, useRef, useState } from 'react';
import { ApiError, api, type Money, type PricePoint, type Product, type Watch } from '../api';
import { AvailabilityBadge, StateBadge, stateHint } from '../components/Badges';
import { ErrorNote, Loading } from '../components/Notice';
import { PriceChart } from '../components/PriceChart';
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
import { Link } from '../router';

interface ProductView {
  readonly product: Product;
  readonly history: readonly PricePoint[];
  readonly watches: readonly Watch[];
  /** When this was loaded: the chart draws up to here, so it does not redraw on every tick. */
  readonly loadedAt: number;
}

async function loadProduct(id: number): Promise<ProductView> {
  const [{ product, history }, { watches }] = await Promise.all([api.product(id), api.watches()]);
  return {
    product,
    history,
    watches: watches.filter((w) => w.productId === id),
    loadedAt: Date.now(),
  };
}

/** Checks run in the background; these are the moments we look again for the result. */
const RECHECK_DELAYS_MS = [2500, 3000, 5000];

export function ProductPage({ id }: { id: number }) {
  const [view, , update] = useResource(`product:${id}`, () => loadProduct(id));
  const now = useNow();
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

  const { product, history, watches, loadedAt } = view.data;
  const currency = product.currency ?? product.price?.currency ?? null;
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
            onFresh={(fresh) => update((old) => ({ ...old, ...fresh, loadedAt: Date.now() }))}
          />
          <WatchPanel
            product={product}
            watches={watches}
            now={now}
            onChange={(next) => update((old) => ({ ...old, watches: next }))}
          />
        </div>
      </div>
      <section className="card history" aria-labelledby="history-title">
        <div className="history-head">
          <h2 id="history-title">Price history</h2>
          <PriceRange history={history} />
        </div>
        {currency ? (
          <PriceChart history={history} currency={currency} now={loadedAt} />
        ) : (
          <p className="muted">No price recorded yet.</p>
        )}
      </section>
    </div>
  );
}

function ProductSummary({
  product,
  now,
  onFresh,
}: {
  product: Product;
  now: number;
  onFresh: (fresh: { product: Product; history: readonly PricePoint[] }) => void;
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
      <CheckNow product={product} onFresh={onFresh} />
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
  product: Product;
  onFresh: (fresh: { product: Product; history: readonly PricePoint[] }) => void;
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
        const fresh = await api.product(product.id);
        if (!live.current) return;
        onFresh(fresh);
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

/** Lowest and highest price seen, compared exactly in minor units. */
function PriceRange({ history }: { history: readonly PricePoint[] }) {
  let low: PricePoint | null = null;
  let high: PricePoint | null = null;
  for (const p of history) {
    if (p.priceType !== 'buybox' || !p.price) continue;
    if (!low?.price || (compareMoney(p.price, low.price) ?? 0) < 0) low = p;
    if (!high?.price || (compareMoney(p.price, high.price) ?? 0) > 0) high = p;
  }
  if (!low?.price || !high?.price) return null;
  return (
    <dl className="price-range">
      <div>
        <dt>Lowest</dt>
        <dd>
          <span className="price price-good">{formatMoney(low.price)}</span>{' '}
          <span className="muted small">{formatDateTime(low.at)}</span>
        </dd>
      </div>
      <div>
        <dt>Highest</dt>
        <dd>
          <span className="price">{formatMoney(high.price)}</span>{' '}
          <span className="muted small">{formatDateTime(high.at)}</span>
        </dd>
      </div>
    </dl>
  );
}
