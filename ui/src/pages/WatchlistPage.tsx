import { useState } from 'react';
import { api, type Watch } from '../api';
import { AddProductForm } from '../components/AddProductForm';
import { StateBadge, WatchStatusBadge } from '../components/Badges';
import { DemoSuggestions } from '../components/DemoSuggestions';
import { ErrorNote, Loading } from '../components/Notice';
import { ProductImage } from '../components/ProductImage';
import { ruleText } from '../components/RuleText';
import { compareMoney, formatDateTime, formatMoney, timeAgo } from '../format';
import { useNow, useResource, useTitle } from '../hooks';
import { Link } from '../router';

export function WatchlistPage() {
  useTitle('Watchlist');
  const [watches, reload, update] = useResource('watches', () =>
    api.watches().then((r) => r.watches),
  );
  const [error, setError] = useState<unknown>(null);
  const now = useNow();

  async function remove(w: Watch): Promise<void> {
    setError(null);
    update((list) => list.filter((x) => x.id !== w.id));
    try {
      await api.deleteWatch(w.id);
    } catch (err) {
      setError(err);
      reload();
    }
  }

  if (watches.status === 'loading') return <Loading label="Loading your watchlist…" />;
  if (watches.status === 'failed') return <ErrorNote error={watches.error} />;

  if (watches.data.length === 0) {
    return (
      <div className="page">
        <ErrorNote error={error} />
        <section className="hero">
          <h1>Start watching a price</h1>
          <p className="lead">
            Paste an Amazon or store URL below. Pricehawk checks the price around the clock and
            tells you when it drops below what you want to pay.
          </p>
          <AddProductForm />
        </section>
        <DemoSuggestions />
      </div>
    );
  }

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Watchlist</h1>
          <p className="muted">
            {watches.data.length} {watches.data.length === 1 ? 'product' : 'products'} watched
          </p>
        </div>
        <Link to="/add" className="button button-primary">
          Track a product
        </Link>
      </div>
      <ErrorNote error={error} />
      <ul className="watch-list">
        {watches.data.map((w) => (
          <WatchRow key={w.id} watch={w} now={now} onDelete={() => void remove(w)} />
        ))}
      </ul>
    </div>
  );
}

function WatchRow({ watch, now, onDelete }: { watch: Watch; now: number; onDelete: () => void }) {
  const p = watch.product;
  const title = p.title ?? `${p.marketplace} ${p.externalId}`;
  const target = watch.rule.type === 'below' ? watch.rule.price : null;
  const atTarget = p.price && target ? (compareMoney(p.price, target) ?? 1) < 0 : false;

  return (
    <li className="card watch">
      <Link to={`/products/${p.id}`} className="watch-image" tabIndex={-1} aria-hidden="true">
        <ProductImage src={p.imageUrl} alt="" size="small" />
      </Link>
      <div className="watch-main">
        <Link to={`/products/${p.id}`} className="watch-title">
          {title}
        </Link>
        <div className="watch-meta">
          <span className="tag">{p.marketplace}</span>
          <StateBadge state={p.state} />
          {p.lastCheckedAt && (
            <span className="muted" title={formatDateTime(p.lastCheckedAt)}>
              checked {timeAgo(p.lastCheckedAt, now)}
            </span>
          )}
        </div>
      </div>
      <dl className="watch-prices">
        <div>
          <dt>Now</dt>
          <dd className={atTarget ? 'price price-good' : 'price'}>
            {p.price ? formatMoney(p.price) : 'Unavailable'}
          </dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd>{ruleText(watch.rule)}</dd>
        </div>
      </dl>
      <div className="watch-actions">
        <WatchStatusBadge status={watch.status} />
        <a
          href={p.url}
          target="_blank"
          rel="noopener noreferrer"
          className="button button-ghost button-small"
        >
          View on {p.marketplace}
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>
        <button
          type="button"
          className="button button-danger button-small"
          onClick={onDelete}
          title={`Stop watching ${title}`}
        >
          Delete
        </button>
      </div>
    </li>
  );
}
