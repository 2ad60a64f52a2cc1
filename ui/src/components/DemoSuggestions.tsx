import { useState } from 'react';
import { api, type DemoProduct } from '../api';
import { formatMoney } from '../format';
import { useResource } from '../hooks';
import { navigate } from '../router';
import { ErrorNote } from './Notice';
import { ProductImage } from './ProductImage';

/** Products from the built-in demo store, so a newcomer can try Pricehawk without any URL. */
export function DemoSuggestions({ limit = 8 }: { limit?: number }) {
  const [demo] = useResource('demo-store', () => api.demoStore());
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (demo.status !== 'ready' || !demo.data.enabled || demo.data.products.length === 0) return null;

  async function track(p: DemoProduct): Promise<void> {
    setBusy(p.url);
    setError(null);
    try {
      const { product } = await api.addProduct(p.url);
      navigate(`/products/${product.id}`);
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  }

  return (
    <section className="suggestions" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">Or try one from the demo store</h2>
      <p className="muted">
        Its prices move every few minutes, with sales and stock-outs, so alerts arrive quickly.
      </p>
      <ErrorNote error={error} />
      <ul className="suggestion-grid">
        {demo.data.products.slice(0, limit).map((p) => (
          <li key={`${p.marketplace}/${p.asin}`} className="card suggestion">
            <ProductImage src={p.imageUrl} alt="" size="small" />
            <div className="suggestion-body">
              <p className="suggestion-title" title={p.title}>
                {p.title}
              </p>
              <p className="suggestion-meta">
                <span className="price">{p.price ? formatMoney(p.price) : 'Unavailable'}</span>
                <span className="muted"> · {p.marketplace}</span>
              </p>
            </div>
            <button
              type="button"
              className="button button-primary button-small"
              disabled={busy !== null}
              onClick={() => void track(p)}
            >
              {busy === p.url ? 'Adding…' : 'Track'}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
