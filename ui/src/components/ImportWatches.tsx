import { useId, useState, type FormEvent } from 'react';
import {
  catalogApi,
  type ImportAnswer,
  type ImportItem,
  type ImportSource,
  type RuleInput,
} from '../catalog-api';
import { Link } from '../router';
import { ErrorNote } from './Notice';
import { checkPercent } from './WatchForm';

/** The server's limit per import. */
const MAX_URLS = 100;

type ImportRule = 'any_drop' | 'drop_percent' | 'back_in_stock';

const RULES: ReadonlyArray<{ value: ImportRule; label: string }> = [
  { value: 'any_drop', label: 'Any price drop' },
  { value: 'drop_percent', label: 'Drops by a percentage' },
  { value: 'back_in_stock', label: 'Back in stock' },
];

/** What one part of an import (the list of URLs, or the wishlist) came to. */
interface Outcome {
  readonly kind: 'urls' | 'wishlist';
  readonly answer: ImportAnswer | null;
  readonly error: unknown;
}

const STATUS: Readonly<Record<ImportItem['status'], { label: string; tone: string }>> = {
  created: { label: 'Added', tone: 'good' },
  exists: { label: 'Already watched', tone: 'muted' },
  failed: { label: 'Failed', tone: 'danger' },
};

/**
 * Watch many products at once: pasted URLs (one per line) and a public wishlist, each item
 * answered on its own. `onImported` runs after any import that added something.
 */
export function ImportWatches({ onImported }: { onImported: () => void }) {
  const id = useId();
  const [urls, setUrls] = useState('');
  const [wishlist, setWishlist] = useState('');
  const [rule, setRule] = useState<ImportRule>('any_drop');
  const [percent, setPercent] = useState('10');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<readonly Outcome[]>([]);

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    const list = urls
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    const wl = wishlist.trim();
    if (list.length === 0 && !wl) {
      setProblem('Paste at least one product URL, or a wishlist URL.');
      return;
    }
    if (list.length > MAX_URLS) {
      setProblem(`At most ${MAX_URLS} URLs at a time; this list has ${list.length}.`);
      return;
    }
    let r: RuleInput;
    if (rule === 'drop_percent') {
      const check = checkPercent(percent);
      if (!check.ok) {
        setProblem(check.message);
        return;
      }
      r = { type: rule, percent: check.percent };
    } else {
      r = { type: rule };
    }
    setProblem(null);
    setBusy(true);
    setOutcomes([]);
    const parts: Array<[Outcome['kind'], ImportSource]> = [];
    if (list.length > 0) parts.push(['urls', { urls: list }]);
    if (wl) parts.push(['wishlist', { wishlistUrl: wl }]);
    const done: Outcome[] = [];
    for (const [kind, source] of parts) {
      try {
        done.push({
          kind,
          answer: await catalogApi.importWatches(source, r, 'buybox'),
          error: null,
        });
      } catch (error) {
        done.push({ kind, answer: null, error });
      }
      setOutcomes([...done]);
    }
    setBusy(false);
    if (done.some((o) => (o.answer?.summary.created ?? 0) > 0)) onImported();
    // Inputs that worked are cleared; a failed part stays for another try.
    if (done.find((o) => o.kind === 'urls')?.answer) setUrls('');
    if (done.find((o) => o.kind === 'wishlist')?.answer) setWishlist('');
  }

  return (
    <section className="card import" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Import</h2>
      <p className="muted">
        Watch many products at once: paste their links, or the link of a public Amazon or demo store
        wishlist.
      </p>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-urls`}>Product URLs, one per line</label>
          <textarea
            id={`${id}-urls`}
            className="input textarea mono"
            rows={5}
            spellCheck={false}
            autoComplete="off"
            value={urls}
            onChange={(e) => setUrls(e.target.value)}
            aria-describedby={`${id}-urls-hint`}
          />
          <p className="field-hint" id={`${id}-urls-hint`}>
            Amazon links of any marketplace, short links, ASINs, demo store links or other shops’
            product pages; up to {MAX_URLS}.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-wishlist`}>Wishlist URL</label>
          <input
            id={`${id}-wishlist`}
            className="input"
            type="url"
            inputMode="url"
            spellCheck={false}
            autoComplete="off"
            placeholder="https://www.amazon.com/hz/wishlist/ls/…"
            value={wishlist}
            onChange={(e) => setWishlist(e.target.value)}
            aria-describedby={`${id}-wishlist-hint`}
          />
          <p className="field-hint" id={`${id}-wishlist-hint`}>
            The list must be public (Share, then copy the link). Its first {MAX_URLS} items are
            imported.
          </p>
        </div>
        <div className="import-rule">
          <div className="field">
            <label htmlFor={`${id}-rule`}>Alert for each product</label>
            <select
              id={`${id}-rule`}
              className="input select"
              value={rule}
              onChange={(e) => setRule(e.target.value as ImportRule)}
            >
              {RULES.map((x) => (
                <option key={x.value} value={x.value}>
                  {x.label}
                </option>
              ))}
            </select>
          </div>
          {rule === 'drop_percent' && (
            <div className="field">
              <label htmlFor={`${id}-percent`}>Drop percentage</label>
              <div className="input-affix input-affix-short">
                <input
                  id={`${id}-percent`}
                  className="input"
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  value={percent}
                  onChange={(e) => setPercent(e.target.value)}
                />
                <span className="affix affix-end" aria-hidden="true">
                  %
                </span>
              </div>
            </div>
          )}
        </div>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <div className="form-footer">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy && <span className="spinner spinner-inline" aria-hidden="true" />}
            {busy ? 'Importing…' : 'Start import'}
          </button>
        </div>
      </form>
      <div role="status" aria-live="polite">
        {busy && outcomes.length === 0 && (
          <p className="muted small">Reading the products; new ones are fetched once each…</p>
        )}
      </div>
      {outcomes.map((o) => (
        <OutcomeView key={o.kind} outcome={o} />
      ))}
    </section>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  const id = useId();
  const { answer } = outcome;
  const wl = answer?.wishlist;
  const source =
    outcome.kind === 'urls'
      ? 'Your URLs'
      : wl
        ? `Wishlist “${wl.name ?? 'unnamed'}” (${wl.items} ${wl.items === 1 ? 'item' : 'items'}${wl.truncated ? ', more not read' : ''})`
        : 'Wishlist';
  return (
    <section className="import-outcome" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{source}</h3>
      <ErrorNote error={outcome.error} />
      {answer && (
        <>
          <p className="import-summary">
            {answer.summary.created} added, {answer.summary.exists} already watched,{' '}
            {answer.summary.failed} failed
          </p>
          <ul className="import-list">
            {answer.results.map((r) => (
              <ImportRow key={r.index} item={r} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ImportRow({ item }: { item: ImportItem }) {
  const s = STATUS[item.status];
  const name = item.title ?? item.input;
  return (
    <li className="import-item">
      <span className={`badge badge-${s.tone}`}>{s.label}</span>
      <span className="import-item-main">
        {item.productId !== undefined ? (
          <Link to={`/products/${item.productId}`} className="break">
            {name}
          </Link>
        ) : (
          <span className="break">{name}</span>
        )}
        {item.error && <span className="field-error"> {item.error.message}</span>}
        {item.duplicateOf !== undefined && (
          <span className="muted small"> (same product as item {item.duplicateOf + 1})</span>
        )}
      </span>
    </li>
  );
}
