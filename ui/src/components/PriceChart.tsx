import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { PricePoint, PriceType } from '../api';
import { amountForChart, formatChartValue } from '../format';

const SERIES: ReadonlyArray<{ type: PriceType; label: string; color: string; width: number }> = [
  { type: 'buybox', label: 'Price', color: 'var(--chart-main)', width: 2.5 },
  { type: 'amazon', label: 'Sold by Amazon', color: 'var(--chart-2)', width: 1.5 },
  { type: 'new', label: 'New (3rd party)', color: 'var(--chart-3)', width: 1.5 },
  { type: 'used', label: 'Used', color: 'var(--chart-4)', width: 1.5 },
];

interface ChartData {
  readonly data: uPlot.AlignedData;
  readonly series: typeof SERIES;
}

/**
 * History holds a row only when a price changed, so each series is a step function: at every
 * timestamp a series keeps its last value, a null price is a gap (unavailable), and the last value
 * is carried to `now` so the line reaches the present.
 */
function toChartData(history: readonly PricePoint[], now: number): ChartData | null {
  const present = SERIES.filter((s) => history.some((p) => p.priceType === s.type));
  if (present.length === 0) return null;
  const times = [...new Set(history.map((p) => Math.floor(Date.parse(p.at) / 1000)))]
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b);
  const end = Math.floor(now / 1000);
  const last = times.at(-1);
  if (last === undefined) return null;
  if (end > last) times.push(end);

  const columns = present.map((s) => {
    const points = history
      .filter((p) => p.priceType === s.type)
      .map((p) => ({ t: Math.floor(Date.parse(p.at) / 1000), price: p.price }))
      .sort((a, b) => a.t - b.t);
    const out: (number | null)[] = [];
    let i = 0;
    let current: number | null = null;
    for (const t of times) {
      for (let p = points[i]; p !== undefined && p.t <= t; p = points[++i]) {
        current = p.price ? amountForChart(p.price.amount) : null;
      }
      out.push(current);
    }
    return out;
  });
  return { data: [times, ...columns], series: present };
}

function cssVar(el: Element, name: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

export function PriceChart({
  history,
  currency,
  now,
  from,
}: {
  history: readonly PricePoint[];
  currency: string;
  now: number;
  /** Start of the chosen range (ms): the time axis spans it even where no price was recorded. */
  from?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useMemo(() => toChartData(history, now), [history, now]);

  useEffect(() => {
    const el = box.current;
    if (!el || !chart) return;
    const color = (v: string) => (v.startsWith('var(') ? cssVar(el, v.slice(4, -1)) : v);
    const axisStroke = cssVar(el, '--muted');
    const grid = { stroke: cssVar(el, '--border'), width: 1 };
    const stepped = uPlot.paths.stepped?.({ align: 1 });
    const money = (v: number | null | undefined) =>
      v === null || v === undefined ? '—' : formatChartValue(v, currency);

    const opts: uPlot.Options = {
      width: el.clientWidth,
      height: Math.max(220, Math.min(340, Math.round(el.clientWidth * 0.45))),
      cursor: { drag: { x: true, y: false } },
      scales: {
        x:
          from === undefined
            ? { time: true }
            : {
                time: true,
                range: (_u, min, max) => [
                  Math.min(min, Math.floor(from / 1000)),
                  Math.max(max, Math.floor(now / 1000)),
                ],
              },
      },
      axes: [
        { stroke: axisStroke, grid, ticks: grid },
        {
          stroke: axisStroke,
          grid,
          ticks: grid,
          size: 80,
          values: (_u, splits) => splits.map((v) => formatChartValue(v, currency)),
        },
      ],
      series: [
        { label: 'Time' },
        ...chart.series.map((s) => ({
          label: s.label,
          stroke: color(s.color),
          width: s.width,
          ...(stepped ? { paths: stepped } : {}),
          points: { show: false },
          value: (_u: uPlot, v: number | null) => money(v),
        })),
      ],
    };
    const plot = new uPlot(opts, chart.data, el);
    const resize = new ResizeObserver(() => {
      const width = el.clientWidth;
      plot.setSize({ width, height: Math.max(220, Math.min(340, Math.round(width * 0.45))) });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [chart, currency, from, now]);

  if (!chart) {
    return <p className="muted chart-empty">No price history yet. It grows with every check.</p>;
  }
  return (
    <div
      ref={box}
      className="price-chart"
      role="figure"
      aria-label={`Price history chart in ${currency}, ${history.length} recorded changes`}
    />
  );
}
