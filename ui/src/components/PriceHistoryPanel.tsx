import { useId, useMemo, useState } from 'react';
import type { PricePoint, PriceType } from '../api';
import {
  PRICE_TYPES,
  PRICE_TYPE_LABEL,
  catalogApi,
  links,
  type PriceHistory,
} from '../catalog-api';
import { useResource } from '../hooks';
import { ErrorNote, Loading } from './Notice';
import { PriceChart } from './PriceChart';
import { PriceStatsPanel } from './PriceStatsPanel';

const DAY_MS = 86_400_000;

const RANGES = [
  { id: '30d', label: '30 days', days: 30 },
  { id: '90d', label: '90 days', days: 90 },
  { id: '1y', label: '1 year', days: 365 },
  { id: 'all', label: 'All', days: null },
] as const;

type RangeId = (typeof RANGES)[number]['id'];

interface Loaded {
  readonly history: PriceHistory;
  /** When it was asked for: the chart draws up to here. */
  readonly now: number;
  /** The range's start in ms, or undefined for all of it. */
  readonly from: number | undefined;
}

async function load(productId: number, range: RangeId): Promise<Loaded> {
  const now = Date.now();
  const days = RANGES.find((r) => r.id === range)?.days ?? null;
  const from = days === null ? undefined : now - days * DAY_MS;
  const history = await catalogApi.history(productId, {
    from: from === undefined ? undefined : new Date(from).toISOString(),
  });
  return { history, now, from };
}

function pointsOf(h: PriceHistory, type: PriceType): PricePoint[] {
  const series = h.series.find((s) => s.priceType === type);
  return (series?.points ?? []).map((p) => ({ priceType: type, at: p.at, price: p.price }));
}

/**
 * The product's price history over a chosen range and price type, its statistics, and the feed
 * and chart links. `version` changes when the product was checked again, which reloads it.
 */
export function PriceHistoryPanel({
  productId,
  title,
  version,
}: {
  productId: number;
  title: string;
  version: string;
}) {
  const id = useId();
  const [range, setRange] = useState<RangeId>('90d');
  const [chosenType, setChosenType] = useState<PriceType | null>(null);
  const [res] = useResource(`history:${productId}:${range}:${version}`, () =>
    load(productId, range),
  );

  // Price types with any history, in the usual order; the buy box first when it has some.
  const types = useMemo(
    () =>
      res.status === 'ready'
        ? PRICE_TYPES.filter((t) => res.data.history.stats.some((s) => s.priceType === t))
        : [],
    [res],
  );
  const type: PriceType =
    chosenType && types.includes(chosenType) ? chosenType : (types[0] ?? 'buybox');
  const stats =
    res.status === 'ready' ? res.data.history.stats.find((s) => s.priceType === type) : undefined;
  const points = useMemo(
    () => (res.status === 'ready' ? pointsOf(res.data.history, type) : []),
    [res, type],
  );
  // A history younger than the range: draw what there is rather than a line squeezed to the edge.
  const firstSeen = stats?.firstSeen ? Date.parse(stats.firstSeen) : null;
  const shorter =
    res.status === 'ready' &&
    res.data.from !== undefined &&
    firstSeen !== null &&
    firstSeen > res.data.from;
  const series =
    res.status === 'ready' ? res.data.history.series.find((s) => s.priceType === type) : undefined;

  return (
    <section className="card history" aria-labelledby={`${id}-title`}>
      <div className="history-head">
        <h2 id={`${id}-title`}>Price history</h2>
        <div className="history-controls">
          <div className="segmented" role="group" aria-label="Range">
            {RANGES.map((r) => (
              <button
                key={r.id}
                type="button"
                className="segment"
                aria-pressed={range === r.id}
                onClick={() => setRange(r.id)}
              >
                {r.label}
              </button>
            ))}
          </div>
          {types.length > 1 && (
            <div className="inline-field">
              <label htmlFor={`${id}-type`}>Price type</label>
              <select
                id={`${id}-type`}
                className="input select"
                value={type}
                onChange={(e) => setChosenType(e.target.value as PriceType)}
              >
                {types.map((t) => (
                  <option key={t} value={t}>
                    {PRICE_TYPE_LABEL[t]}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
      </div>
      {res.status === 'loading' && <Loading label="Loading price history…" />}
      {res.status === 'failed' && <ErrorNote error={res.error} />}
      {res.status === 'ready' &&
        (stats ? (
          <>
            <PriceChart
              history={points}
              currency={stats.currency}
              now={res.data.now}
              from={shorter ? undefined : res.data.from}
            />
            {shorter && (
              <p className="muted small">
                Its history is shorter than this range: the chart shows all of it.
              </p>
            )}
            {series?.downsampled && (
              <p className="muted small">
                {series.total} price changes in this range, drawn from {series.points.length} points
                that keep every low and high.
              </p>
            )}
            <PriceStatsPanel stats={stats} />
          </>
        ) : (
          <p className="muted chart-empty">
            No price recorded yet. It appears after the first check.
          </p>
        ))}
      <FeedLinks productId={productId} title={title} type={type} />
    </section>
  );
}

/** The product's Atom feed and its embeddable chart, as absolute URLs people can copy. */
function FeedLinks({
  productId,
  title,
  type,
}: {
  productId: number;
  title: string;
  type: PriceType;
}) {
  const id = useId();
  const origin = window.location.origin;
  const chart = `${origin}${links.productChart(productId, type)}`;
  const snippet = `<img src="${chart}" alt="${`Price history: ${title}`.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`)}" width="640" height="320">`;
  return (
    <div className="feed-links">
      <p className="actions">
        <a href={links.productFeed(productId)} className="button button-ghost button-small">
          Atom feed of price changes
        </a>
        <a
          href={links.productChart(productId, type)}
          className="button button-ghost button-small"
          target="_blank"
          rel="noopener"
        >
          Chart image (SVG)
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </p>
      <details className="embed">
        <summary>Embed this chart on another site</summary>
        <label htmlFor={`${id}-embed`} className="field-label">
          HTML to paste
        </label>
        <input
          id={`${id}-embed`}
          className="input mono"
          readOnly
          value={snippet}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
      </details>
    </div>
  );
}
