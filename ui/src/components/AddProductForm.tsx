import { useEffect, useId, useState, type FormEvent } from 'react';
import { api, type Marketplace } from '../api';
import { navigate } from '../router';
import { ErrorNote } from './Notice';

const ASIN = /^[A-Z0-9]{10}$/i;

/** A bare ASIN names a product on every Amazon marketplace, so then we ask which one. */
function useAmazonMarketplaces(wanted: boolean): readonly Marketplace[] {
  const [list, setList] = useState<readonly Marketplace[] | null>(null);
  useEffect(() => {
    if (!wanted || list !== null) return;
    let live = true;
    api.marketplaces().then(
      (r) => live && setList(r.marketplaces.filter((m) => m.store === 'amazon')),
      // Without the list the server's default marketplace (amazon.com) applies.
      () => live && setList([]),
    );
    return () => {
      live = false;
    };
  }, [wanted, list]);
  return list ?? [];
}

export function AddProductForm({ autoFocus = false }: { autoFocus?: boolean }) {
  const inputId = useId();
  const errorId = useId();
  const [url, setUrl] = useState('');
  const [marketplace, setMarketplace] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const isAsin = ASIN.test(url.trim());
  const marketplaces = useAmazonMarketplaces(isAsin);

  async function submit(e: FormEvent<HTMLFormElement>): Promise<void> {
    e.preventDefault();
    const input = url.trim();
    if (!input) {
      setError(new Error('Paste a product link from Amazon or another store, or an ASIN.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { product } = await api.addProduct(
        input,
        isAsin && marketplace ? marketplace : undefined,
      );
      navigate(`/products/${product.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form className="add-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor={inputId} className="add-form-label">
        Product URL or ASIN
      </label>
      <div className="add-form-row">
        <input
          id={inputId}
          className="input input-large"
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://www.amazon.de/dp/B0… or B0CX23V2ZK"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          autoFocus={autoFocus}
        />
        {isAsin && marketplaces.length > 0 && (
          <select
            className="input input-large add-form-marketplace"
            aria-label="Marketplace"
            value={marketplace}
            onChange={(e) => setMarketplace(e.target.value)}
          >
            <option value="">amazon.com</option>
            {marketplaces
              .filter((m) => m.id !== 'amazon.com')
              .map((m) => (
                <option key={m.id} value={m.id}>
                  {m.id}
                </option>
              ))}
          </select>
        )}
        <button type="submit" className="button button-primary button-large" disabled={busy}>
          {busy ? 'Adding…' : 'Track'}
        </button>
      </div>
      <ErrorNote error={error} id={errorId} />
    </form>
  );
}
