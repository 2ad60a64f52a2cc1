import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, type Marketplace } from '../api';
import {
  catalogApi,
  type SearchAnswer,
  type SearchResult,
  type SearchSourceStatus,
} from '../catalog-api';
import { ErrorNote, EmptyState, Loading } from '../components/Notice';
import { ProductImage } from '../components/ProductImage';
import { searchPath } from '../components/SearchBox';
import { formatMoney } from '../format';
import { useResource, useTitle } from '../hooks';
import { Link, navigate, useLocation } from '../router';
import { loginPathFor, useSession } from '../session';

/**
 * Search the local catalogue and the stores' own search pages at once. The query lives in the
 * URL (/search?q=…&marketplace=…), so results can be bookmarked and the back button works.
 */
export function SearchPage() {
  const { query } = useLocation();
  const q = (query.get('q') ?? '').trim();
  const marketplace = query.get('marketplace') ?? '';
  useTitle(q ? `Search: ${q}` : 'Search');

  const [answer] = useResource(`search:${marketplace}:${q}`, () =>
    q ? catalogApi.search(q, marketplace || undefined) : Promise.resolve(null),
  );

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Search</h1>
          <p className="muted">
            Products Pricehawk already tracks, and the stores’ own search results, in one list.
          </p>
        </div>
      </div>
      <SearchForm key={`${marketplace}:${q}`} q={q} marketplace={marketplace} />
      {answer.status === 'loading' && <Loading label="Searching the catalogue and the stores…" />}
      {answer.status === 'failed' && <ErrorNote error={answer.error} />}
      {answer.status === 'ready' && answer.data && <Results answer={answer.data} />}
    </div>
  );
}

function useMarketplaces(): readonly Marketplace[] {
  const [list, setList] = useState<readonly Marketplace[]>([]);
  useEffect(() => {
    let live = true;
    api.marketplaces().then(
      (r) => live && setList(r.marketplaces),
      // Without the list the filter offers "all" only; the search itself still works.
      () => live && setList([]),
    );
    return () => {
      live = false;
    };
  }, []);
  return list;
}

function SearchForm({ q, marketplace }: { q: string; marketplace: string }) {
  const id = useId();
  const [text, setText] = useState(q);
  const [mp, setMp] = useState(marketplace);
  const [problem, setProblem] = useState<string | null>(null);
  const marketplaces = useMarketplaces();
  const demo = marketplaces.filter((m) => m.store === 'demo');
  const others = marketplaces.filter((m) => m.store !== 'demo');

  function submit(e: FormEvent<HTMLFormElement>): void {
    e.preventDefault();
    const t = text.trim();
    if (!t) {
      setProblem('Type a few words, such as “water bottle”, or an ASIN.');
      return;
    }
    setProblem(null);
    navigate(searchPath(t, mp || undefined));
  }

  return (
    <form className="search-form card" role="search" onSubmit={submit} noValidate>
      <div className="search-form-row">
        <div className="field search-form-query">
          <label htmlFor={`${id}-q`} className="field-label">
            Search for
          </label>
          <input
            id={`${id}-q`}
            className="input input-large"
            type="search"
            autoComplete="off"
            maxLength={200}
            placeholder="water bottle, headphones, B0CX23V2ZK…"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            autoFocus={!q}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-mp`} className="field-label">
            Marketplace
          </label>
          <select
            id={`${id}-mp`}
            className="input input-large select"
            value={mp}
            onChange={(e) => setMp(e.target.value)}
          >
            <option value="">All marketplaces</option>
            {mp && !marketplaces.some((m) => m.id === mp) && <option value={mp}>{mp}</option>}
            {demo.length > 0 && (
              <optgroup label="Demo store">
                {demo.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}
                  </option>
                ))}
              </optgroup>
            )}
            {others.length > 0 && (
              <optgroup label="Amazon and other stores">
                {others.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.id}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        </div>
        <button type="submit" className="button button-primary button-large">
          Search
        </button>
      </div>
      {problem && (
        <p className="field-error" id={`${id}-problem`} role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

const PROBLEM: Readonly<Record<SearchSourceStatus['status'], string>> = {
  ok: '',
  blocked: 'the store refused us for now',
  error: 'the store answered with an error',
  timeout: 'the store was too slow',
  skipped: 'not searched',
};

/** Which sources answered, and a quiet line for those that did not. */
function Sources({ sources }: { sources: readonly SearchSourceStatus[] }) {
  const stores = sources.filter((s) => s.source === 'store' && s.status === 'ok');
  const local = sources.some((s) => s.source === 'local' && s.status === 'ok');
  const failed = sources.filter((s) => s.status !== 'ok');
  // One message for sources skipped for the same reason ("log in to search the stores").
  const notes = new Map<string, string[]>();
  for (const s of failed) {
    const why = s.message ?? PROBLEM[s.status];
    const list = notes.get(why) ?? [];
    list.push(s.marketplace ?? 'the catalogue');
    notes.set(why, list);
  }
  const searched = [
    local ? 'the catalogue' : null,
    stores.length > 0
      ? `${stores.length} ${stores.length === 1 ? 'store' : 'stores'} (${stores.map((s) => s.marketplace).join(', ')})`
      : null,
  ].filter((x) => x !== null);
  return (
    <div className="search-sources muted small">
      {searched.length > 0 && <p>Searched {searched.join(' and ')}.</p>}
      {[...notes].map(([why, where]) => (
        <p key={why} className="search-source-problem">
          Not included: {where.join(', ')} ({why}).
        </p>
      ))}
    </div>
  );
}

function Results({ answer }: { answer: SearchAnswer }) {
  const count = answer.results.length;
  return (
    <section aria-labelledby="results-title" className="search-results">
      <h2 id="results-title" className="results-title">
        {count === 0
          ? `Nothing found for “${answer.query.q}”`
          : `${count} ${count === 1 ? 'result' : 'results'} for “${answer.query.q}”`}
        {answer.query.marketplace && <span className="muted"> on {answer.query.marketplace}</span>}
      </h2>
      <Sources sources={answer.sources} />
      {count === 0 ? (
        <EmptyState title="Try other words">
          <p>
            Fewer or more general words find more. You can also{' '}
            <Link to="/add">paste a product URL</Link> to track it directly.
          </p>
        </EmptyState>
      ) : (
        <ul className="result-list">
          {answer.results.map((r) => (
            <ResultRow key={r.key} result={r} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ResultRow({ result: r }: { result: SearchResult }) {
  const id = useId();
  const { user } = useSession();
  const { path, search } = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const title = r.title ?? `${r.marketplace} ${r.externalId}`;

  async function add(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const { product } = await catalogApi.addProduct(r.add);
      navigate(`/products/${product.id}?watch=1`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <li className="card result" aria-labelledby={`${id}-title`}>
      <ProductImage src={r.imageUrl} alt="" size="small" />
      <div className="result-main">
        <p className="result-title" id={`${id}-title`}>
          {r.productId !== null && user ? (
            <Link to={`/products/${r.productId}`}>{title}</Link>
          ) : (
            title
          )}
        </p>
        <div className="watch-meta">
          <span className="tag">{r.marketplace}</span>
          {r.inCatalogue ? (
            <span className="badge badge-info" title="Pricehawk already tracks its price history.">
              In catalogue
            </span>
          ) : (
            <span className="badge badge-muted" title="Found on the store; not tracked yet.">
              New to Pricehawk
            </span>
          )}
          {r.watchers !== null && r.watchers > 0 && (
            <span className="muted">
              {r.watchers} {r.watchers === 1 ? 'watcher' : 'watchers'}
            </span>
          )}
          {r.sponsored && <span className="badge badge-muted">Sponsored</span>}
          <a href={r.url} target="_blank" rel="noopener noreferrer" className="muted">
            View at the store<span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        </div>
        <ErrorNote error={error} />
      </div>
      <p className="result-price">
        <span className="visually-hidden">Price: </span>
        <span className="price">{r.price ? formatMoney(r.price) : 'Unavailable'}</span>
      </p>
      <div className="result-action">
        {!user ? (
          <Link to={loginPathFor(path + search)} className="button button-secondary button-small">
            Log in to watch
          </Link>
        ) : r.productId !== null ? (
          <Link
            to={`/products/${r.productId}?watch=1`}
            className="button button-primary button-small"
            aria-describedby={`${id}-title`}
          >
            Watch
          </Link>
        ) : (
          <button
            type="button"
            className="button button-primary button-small"
            disabled={busy}
            aria-describedby={`${id}-title`}
            onClick={() => void add()}
          >
            {busy ? 'Adding…' : 'Add'}
          </button>
        )}
      </div>
    </li>
  );
}
