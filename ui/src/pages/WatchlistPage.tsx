import { useState } from 'react';
import { PRICE_TYPE_LABEL, catalogApi, links, type WatchDetail } from '../catalog-api';
import { AddProductForm } from '../components/AddProductForm';
import { StateBadge, WatchStatusBadge, watchStatusNote } from '../components/Badges';
import { DemoSuggestions } from '../components/DemoSuggestions';
import { ImportWatches } from '../components/ImportWatches';
import { ErrorNote, Loading } from '../components/Notice';
import { ProductImage } from '../components/ProductImage';
import { ruleText } from '../components/RuleText';
import { compareMoney, formatDateTime, formatMoney, timeAgo } from '../format';
import { useNow, useResource, useTitle } from '../hooks';
import { Link } from '../router';

export function WatchlistPage() {
  useTitle('Watchlist');
  const [watches, reload, update] = useResource('watches', () =>
    catalogApi.watches().then((r) => r.watches),
  );
  const [error, setError] = useState<unknown>(null);
  const [importing, setImporting] = useState(false);
  const now = useNow();

  async function remove(w: WatchDetail): Promise<void> {
    setError(null);
    update((list) => list.filter((x) => x.id !== w.id));
    try {
      await catalogApi.deleteWatch(w.id);
    } catch (err) {
      setError(err);
      reload();
    }
  }

  async function togglePause(w: WatchDetail): Promise<void> {
    setError(null);
    try {
      const { watch } = await catalogApi.updateWatch(w.id, { paused: !w.paused });
      update((list) => list.map((x) => (x.id === watch.id ? watch : x)));
    } catch (err) {
      setError(err);
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
          <p className="muted">
            Or <Link to="/search">search</Link> the catalogue and the stores.
          </p>
        </section>
        <ImportWatches onImported={reload} />
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
        <div className="actions">
          <a href={links.exportCsv} download className="button button-ghost">
            Export CSV
          </a>
          <button
            type="button"
            className="button button-secondary"
            aria-expanded={importing}
            onClick={() => setImporting((x) => !x)}
          >
            Import
          </button>
          <Link to="/add" className="button button-primary">
            Track a product
          </Link>
        </div>
      </div>
      {importing && <ImportWatches onImported={reload} />}
      <ErrorNote error={error} />
      <ul className="watch-list">
        {watches.data.map((w) => (
          <WatchRow
            key={w.id}
            watch={w}
            now={now}
            onDelete={() => void remove(w)}
            onTogglePause={() => void togglePause(w)}
          />
        ))}
      </ul>
    </div>
  );
}

function WatchRow({
  watch,
  now,
  onDelete,
  onTogglePause,
}: {
  watch: WatchDetail;
  now: number;
  onDelete: () => void;
  onTogglePause: () => void;
}) {
  const p = watch.product;
  const title = p.title ?? `${p.marketplace} ${p.externalId}`;
  // The price this watch follows (its price type), against the highest price its rule accepts.
  const current = watch.currentPrice;
  const atTarget =
    current && watch.target ? (compareMoney(current, watch.target) ?? 1) <= 0 : false;
  const note = watchStatusNote(watch.status);

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
          <dt>Now{watch.priceType !== 'buybox' && ` (${PRICE_TYPE_LABEL[watch.priceType]})`}</dt>
          <dd className={atTarget ? 'price price-good' : 'price'}>
            {current ? formatMoney(current) : 'Unavailable'}
          </dd>
        </div>
        <div>
          <dt>Alert</dt>
          <dd>{ruleText(watch.rule)}</dd>
        </div>
      </dl>
      <div className="watch-actions">
        <WatchStatusBadge status={watch.status} />
        {note && <span className="visually-hidden">{note}</span>}
        <Link
          to={`/products/${p.id}`}
          className="button button-ghost button-small"
          aria-label={`Edit the alert on ${title}`}
        >
          Edit
        </Link>
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={onTogglePause}
          aria-label={`${watch.paused ? 'Resume' : 'Pause'} the alert on ${title}`}
        >
          {watch.paused ? 'Resume' : 'Pause'}
        </button>
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
