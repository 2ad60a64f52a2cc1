import { useState } from 'react';
import { PRICE_TYPE_LABEL, catalogApi, type PopularProduct, type PriceDrop } from '../catalog-api';
import { EmptyState, ErrorNote, Loading } from '../components/Notice';
import { ProductImage } from '../components/ProductImage';
import { formatDateTime, formatMoney, timeAgo } from '../format';
import { useNow, useResource, useTitle } from '../hooks';
import { Link } from '../router';

const WINDOWS = [
  { id: '24h', label: '24 hours' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
] as const;

type WindowId = (typeof WINDOWS)[number]['id'];

/** Public: the biggest price drops among watched products, and what people watch most. */
export function DealsPage() {
  useTitle('Deals');
  const [period, setPeriod] = useState<WindowId>('24h');
  const [rank, setRank] = useState<'percent' | 'amount'>('percent');
  const [deals] = useResource(`deals:${period}`, () => catalogApi.deals(period));
  const now = useNow();
  const label = WINDOWS.find((w) => w.id === period)?.label ?? period;

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Deals</h1>
          <p className="muted">
            The biggest price drops among the products Pricehawk users watch, and the most watched
            products.
          </p>
        </div>
      </div>
      <section className="card deals" aria-labelledby="drops-title">
        <div className="history-head">
          <h2 id="drops-title">Top drops in the last {label}</h2>
          <div className="history-controls">
            <div className="segmented" role="group" aria-label="Period">
              {WINDOWS.map((w) => (
                <button
                  key={w.id}
                  type="button"
                  className="segment"
                  aria-pressed={period === w.id}
                  onClick={() => setPeriod(w.id)}
                >
                  {w.label}
                </button>
              ))}
            </div>
            <div className="segmented" role="group" aria-label="Rank by">
              <button
                type="button"
                className="segment"
                aria-pressed={rank === 'percent'}
                onClick={() => setRank('percent')}
              >
                By percent
              </button>
              <button
                type="button"
                className="segment"
                aria-pressed={rank === 'amount'}
                onClick={() => setRank('amount')}
              >
                By amount{deals.status === 'ready' ? ` (${deals.data.currency})` : ''}
              </button>
            </div>
          </div>
        </div>
        {deals.status === 'loading' && <Loading label="Loading deals…" />}
        {deals.status === 'failed' && <ErrorNote error={deals.error} />}
        {deals.status === 'ready' && (
          <DropList
            drops={rank === 'percent' ? deals.data.drops.byPercent : deals.data.drops.byAmount}
            now={now}
          />
        )}
      </section>
      {deals.status === 'ready' && <Popular products={deals.data.popular} />}
    </div>
  );
}

function DropList({ drops, now }: { drops: readonly PriceDrop[]; now: number }) {
  if (drops.length === 0) {
    return (
      <EmptyState title="No drops in this period">
        <p>Prices of watched products have not fallen yet. Look again later.</p>
      </EmptyState>
    );
  }
  return (
    <ol className="deal-list">
      {drops.map((d) => {
        const p = d.product;
        const title = p.title ?? `${p.marketplace} ${p.externalId}`;
        return (
          <li key={`${p.id}:${d.priceType}`} className="deal">
            <ProductImage src={p.imageUrl} alt="" size="small" />
            <div className="watch-main">
              <Link to={`/products/${p.id}`} className="watch-title">
                {title}
              </Link>
              <div className="watch-meta">
                <span className="tag">{p.marketplace}</span>
                {d.priceType !== 'buybox' && (
                  <span className="muted">{PRICE_TYPE_LABEL[d.priceType]}</span>
                )}
                <span className="muted" title={formatDateTime(d.changedAt)}>
                  dropped {timeAgo(d.changedAt, now)}
                </span>
              </div>
            </div>
            <p className="deal-prices">
              <span className="visually-hidden">Was </span>
              <s className="muted">{formatMoney(d.before)}</s>{' '}
              <span className="visually-hidden">now </span>
              <span className="price price-good">{formatMoney(d.after)}</span>{' '}
              <span className="badge badge-good">
                −{d.dropPercent.toFixed(1)}%<span className="visually-hidden">,</span>{' '}
                {formatMoney(d.drop)} off
              </span>
            </p>
          </li>
        );
      })}
    </ol>
  );
}

function Popular({ products }: { products: readonly PopularProduct[] }) {
  return (
    <section className="suggestions" aria-labelledby="popular-title">
      <h2 id="popular-title">Popular</h2>
      {products.length === 0 ? (
        <p className="muted">Nobody watches anything yet.</p>
      ) : (
        <ul className="suggestion-grid">
          {products.map((p) => (
            <li key={p.id} className="card suggestion">
              <ProductImage src={p.imageUrl} alt="" size="small" />
              <div className="suggestion-body">
                <Link to={`/products/${p.id}`} className="suggestion-title" title={p.title ?? ''}>
                  {p.title ?? `${p.marketplace} ${p.externalId}`}
                </Link>
                <p className="suggestion-meta">
                  <span className="price">{p.price ? formatMoney(p.price) : 'Unavailable'}</span>
                  <span className="muted">
                    {' '}
                    · {p.marketplace} · {p.watchers} {p.watchers === 1 ? 'watcher' : 'watchers'}
                  </span>
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
