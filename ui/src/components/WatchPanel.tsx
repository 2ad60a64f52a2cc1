import { useEffect, useRef, useState } from 'react';
import {
  PRICE_TYPE_LABEL,
  catalogApi,
  type CatalogProduct,
  type WatchDetail,
} from '../catalog-api';
import { formatDateTime, formatMoney, timeAgo } from '../format';
import { WatchStatusBadge, watchStatusNote } from './Badges';
import { ErrorNote } from './Notice';
import { ruleText } from './RuleText';
import { WatchForm } from './WatchForm';

/** The user's alerts on one product: each with its status, edit, pause and delete; and a new one. */
export function WatchPanel({
  product,
  watches,
  now,
  onChange,
  focusForm = false,
}: {
  product: CatalogProduct;
  watches: readonly WatchDetail[];
  now: number;
  onChange: (watches: readonly WatchDetail[]) => void;
  /** Bring the form into view (arriving from a search result's Watch button). */
  focusForm?: boolean;
}) {
  const [adding, setAdding] = useState(false);
  const [justSet, setJustSet] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (!focusForm) return;
    heading.current?.scrollIntoView({ block: 'center' });
    heading.current?.focus();
  }, [focusForm]);

  const replace = (w: WatchDetail) => onChange(watches.map((x) => (x.id === w.id ? w : x)));
  const showForm = watches.length === 0 || adding;

  return (
    <section className="card watch-panel" aria-labelledby="watch-panel-title">
      <h2 id="watch-panel-title" ref={heading} tabIndex={-1}>
        {watches.length > 0 ? 'Your alerts' : 'Get an alert'}
      </h2>
      {justSet && (
        <p className="notice notice-success" role="status">
          Alert set. Alerts arrive in your notifications and through your alert channels.
        </p>
      )}
      {watches.length > 0 && (
        <ul className="alert-list">
          {watches.map((w) => (
            <WatchItem
              key={w.id}
              watch={w}
              product={product}
              now={now}
              onSaved={(saved) => {
                setJustSet(false);
                replace(saved);
              }}
              onDeleted={() => {
                setJustSet(false);
                onChange(watches.filter((x) => x.id !== w.id));
              }}
            />
          ))}
        </ul>
      )}
      {showForm ? (
        <>
          {watches.length > 0 && <h3 className="watch-form-title">Another alert</h3>}
          <WatchForm
            product={product}
            onSaved={(w) => {
              setJustSet(true);
              setAdding(false);
              onChange([...watches, w]);
            }}
            onCancel={watches.length > 0 ? () => setAdding(false) : undefined}
          />
        </>
      ) : (
        <div>
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => {
              setJustSet(false);
              setAdding(true);
            }}
          >
            Add another alert
          </button>
        </div>
      )}
    </section>
  );
}

function WatchItem({
  watch: w,
  product,
  now,
  onSaved,
  onDeleted,
}: {
  watch: WatchDetail;
  product: CatalogProduct;
  now: number;
  onSaved: (w: WatchDetail) => void;
  onDeleted: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const note = watchStatusNote(w.status);

  async function act(work: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const togglePause = () =>
    act(async () => {
      const { watch } = await catalogApi.updateWatch(w.id, { paused: !w.paused });
      onSaved(watch);
    });
  const remove = () =>
    act(async () => {
      await catalogApi.deleteWatch(w.id);
      onDeleted();
    });

  return (
    <li className="alert-item">
      <div className="alert-main">
        <p className="alert-rule">
          {ruleText(w.rule)}
          <span className="muted"> · {PRICE_TYPE_LABEL[w.priceType]}</span>{' '}
          <WatchStatusBadge status={w.status} />
        </p>
        {note && <p className="muted small">{note}</p>}
        <p className="muted small">
          {w.target && w.rule.type === 'drop_percent' && (
            <>Alerts at {formatMoney(w.target)} or less · </>
          )}
          Set <time dateTime={w.createdAt}>{timeAgo(w.createdAt, now)}</time>
          {w.lastNotifiedAt && (
            <>
              {' · last alert '}
              <time dateTime={w.lastNotifiedAt} title={formatDateTime(w.lastNotifiedAt)}>
                {timeAgo(w.lastNotifiedAt, now)}
              </time>
              {w.lastNotifiedPrice && <> at {formatMoney(w.lastNotifiedPrice)}</>}
            </>
          )}
        </p>
        {editing && (
          <div className="alert-edit">
            <WatchForm
              product={product}
              editing={w}
              onSaved={(saved) => {
                setEditing(false);
                onSaved(saved);
              }}
              onCancel={() => setEditing(false)}
            />
          </div>
        )}
        <ErrorNote error={error} />
      </div>
      {!editing && (
        <div className="alert-actions">
          <button
            type="button"
            className="button button-ghost button-small"
            disabled={busy}
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
          <button
            type="button"
            className="button button-ghost button-small"
            disabled={busy}
            onClick={() => void togglePause()}
          >
            {w.paused ? 'Resume' : 'Pause'}
          </button>
          <button
            type="button"
            className="button button-danger button-small"
            disabled={busy}
            onClick={() => void remove()}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}
