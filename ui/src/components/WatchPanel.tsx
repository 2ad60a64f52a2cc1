import { useId, useState, type FormEvent } from 'react';
import { api, type Product, type Watch } from '../api';
import {
  checkTargetPrice,
  currencySymbol,
  formatDateTime,
  suggestedTarget,
  timeAgo,
} from '../format';
import { WatchStatusBadge } from './Badges';
import { ErrorNote } from './Notice';
import { ruleText } from './RuleText';

/** The user's alerts on one product, or the form to set one. */
export function WatchPanel({
  product,
  watches,
  now,
  onChange,
}: {
  product: Product;
  watches: readonly Watch[];
  now: number;
  onChange: (watches: readonly Watch[]) => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [justSet, setJustSet] = useState(false);

  async function remove(w: Watch): Promise<void> {
    setBusy(w.id);
    setError(null);
    setJustSet(false);
    try {
      await api.deleteWatch(w.id);
      onChange(watches.filter((x) => x.id !== w.id));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card watch-panel" aria-labelledby="watch-panel-title">
      <h2 id="watch-panel-title">{watches.length > 0 ? 'Your alert' : 'Get an alert'}</h2>
      {watches.length > 0 ? (
        <>
          {justSet && (
            <p className="notice notice-success" role="status">
              Alert set. You will get an email when the price drops below your target.
            </p>
          )}
          <ul className="alert-list">
            {watches.map((w) => (
              <li key={w.id} className="alert-item">
                <div>
                  <p className="alert-rule">
                    {ruleText(w.rule)} <WatchStatusBadge status={w.status} />
                  </p>
                  <p className="muted small">
                    Set <time dateTime={w.createdAt}>{timeAgo(w.createdAt, now)}</time>
                    {w.lastNotifiedAt && (
                      <>
                        {' · last alert '}
                        <time dateTime={w.lastNotifiedAt} title={formatDateTime(w.lastNotifiedAt)}>
                          {timeAgo(w.lastNotifiedAt, now)}
                        </time>
                      </>
                    )}
                  </p>
                </div>
                <button
                  type="button"
                  className="button button-danger button-small"
                  disabled={busy === w.id}
                  onClick={() => void remove(w)}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
          <ErrorNote error={error} />
        </>
      ) : (
        <TargetForm
          product={product}
          onCreated={(w) => {
            setJustSet(true);
            onChange([w]);
          }}
        />
      )}
    </section>
  );
}

function TargetForm({ product, onCreated }: { product: Product; onCreated: (w: Watch) => void }) {
  const id = useId();
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const currency = product.currency ?? product.price?.currency ?? null;
  const example = product.price ? suggestedTarget(product.price) : null;

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    setError(null);
    const check = checkTargetPrice(value, currency);
    if (!check.ok) {
      setProblem(check.message);
      return;
    }
    setProblem(null);
    setBusy(true);
    try {
      const { watch } = await api.createWatch(product.id, check.amount);
      onCreated(watch);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form className="target-form" onSubmit={(e) => void submit(e)} noValidate>
      <p className="target-sentence" id={`${id}-sentence`}>
        Alert me when the price drops below
      </p>
      <label htmlFor={id} className="field-label">
        Target price
      </label>
      <div className="target-row">
        <div className="input-affix">
          {currency && (
            <span className="affix" aria-hidden="true">
              {currencySymbol(currency)}
            </span>
          )}
          <input
            id={id}
            className="input"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            placeholder={example ?? '0.00'}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-describedby={`${id}-sentence${problem ? ` ${id}-problem` : ''}`}
            aria-invalid={problem ? true : undefined}
          />
          {currency && <span className="affix affix-end">{currency}</span>}
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Set alert'}
        </button>
      </div>
      {problem && (
        <p className="field-error" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={error} />
    </form>
  );
}
