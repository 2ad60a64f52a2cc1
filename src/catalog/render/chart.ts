/**
 * A price chart as a self-contained SVG image, for embedding anywhere (`<img src=…>`): the price
 * as a step line (a price holds until it changes), gaps where it was not available, the lowest,
 * highest and current prices labelled in the product's currency, the dates at both ends. Pure:
 * the same input gives the same bytes, so the image can carry an ETag.
 */
import { formatMoney } from '../../money/index.js';
import { truncate, xmlEscape } from './xml.js';

export interface ChartPoint {
  /** Epoch ms. */
  readonly at: number;
  /** Minor units; null when not available. */
  readonly amount: number | null;
}

export interface ChartInput {
  readonly title: string | null;
  readonly currency: string;
  /** "Buy box", "Used"… */
  readonly priceTypeLabel: string;
  readonly from: number;
  readonly to: number;
  /** Sorted by time; the first may sit at `from` (the price in effect then). */
  readonly points: readonly ChartPoint[];
  readonly width?: number;
  readonly height?: number;
  /** Number format of the labels (default en-US). */
  readonly locale?: string;
}

const MARGIN = { left: 92, right: 20, top: 44, bottom: 34 } as const;

const r1 = (n: number) => Math.round(n * 10) / 10;

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function renderPriceChart(c: ChartInput): string {
  const width = c.width ?? 640;
  const height = c.height ?? 320;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const locale = c.locale ?? 'en-US';
  const money = (minor: number) => formatMoney({ minor, currency: c.currency }, locale);
  // About 9 px a character of the 14 px heading.
  const name = c.title ? truncate(c.title, Math.floor((width - 32) / 9)) : 'Product';
  const heading = `${name} · ${c.priceTypeLabel} (${c.currency})`;
  const span = Math.max(1, c.to - c.from);
  const x = (t: number) =>
    r1(MARGIN.left + ((Math.min(Math.max(t, c.from), c.to) - c.from) / span) * plotW);

  const amounts = c.points.flatMap((p) => (p.amount === null ? [] : [p.amount]));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xmlEscape(heading)}">`,
    `<title>${xmlEscape(heading)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="16" y="22" font-family="system-ui, sans-serif" font-size="14" font-weight="600" fill="#1a1a1a">${xmlEscape(name)}</text>`,
    `<text x="16" y="38" font-family="system-ui, sans-serif" font-size="11" fill="#555555">${xmlEscape(`${c.priceTypeLabel} price, ${c.currency}`)}</text>`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="#fafafa" stroke="#dddddd"/>`,
  );

  const lo0 = amounts.length ? Math.min(...amounts) : 0;
  const hi0 = amounts.length ? Math.max(...amounts) : 0;
  if (amounts.length === 0) {
    parts.push(
      `<text x="${r1(MARGIN.left + plotW / 2)}" y="${r1(MARGIN.top + plotH / 2)}" text-anchor="middle" font-family="system-ui, sans-serif" font-size="13" fill="#777777">No price history yet</text>`,
    );
  } else {
    const pad = Math.max(1, Math.round((hi0 - lo0) * 0.1), Math.round(hi0 * 0.02));
    const lo = Math.max(0, lo0 - pad);
    const hi = hi0 + pad;
    const y = (a: number) => r1(MARGIN.top + ((hi - a) / (hi - lo)) * plotH);

    for (const [value, label] of [
      [hi0, 'highest'],
      [lo0, 'lowest'],
    ] as const) {
      parts.push(
        `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(value)}" y2="${y(value)}" stroke="#cccccc" stroke-dasharray="4 3"/>`,
        `<text x="${MARGIN.left - 6}" y="${r1(y(value) + 4)}" text-anchor="end" font-family="system-ui, sans-serif" font-size="11" fill="#444444">${xmlEscape(money(value))}</text>`,
        `<text x="${MARGIN.left - 6}" y="${r1(y(value) + (label === 'highest' ? -8 : 16))}" text-anchor="end" font-family="system-ui, sans-serif" font-size="9" fill="#888888">${label}</text>`,
      );
    }

    // Step line: horizontal to the next change, then vertical; a null lifts the pen.
    let d = '';
    let down = false;
    let last: number | null = null;
    for (const p of c.points) {
      if (p.at > c.to) break;
      if (p.amount === null) {
        if (down) d += ` H${x(p.at)}`;
        down = false;
        last = null;
        continue;
      }
      d += down ? ` H${x(p.at)} V${y(p.amount)}` : ` M${x(p.at)} ${y(p.amount)}`;
      down = true;
      last = p.amount;
    }
    if (down) d += ` H${x(c.to)}`;
    if (d) {
      parts.push(
        `<path d="${d.trim()}" fill="none" stroke="#2d6cdf" stroke-width="2" stroke-linejoin="round"/>`,
      );
    }
    if (last !== null) {
      parts.push(
        `<circle cx="${x(c.to)}" cy="${y(last)}" r="3" fill="#2d6cdf"/>`,
        `<text x="${r1(MARGIN.left + plotW - 4)}" y="${r1(Math.max(MARGIN.top + 12, y(last) - 8))}" text-anchor="end" font-family="system-ui, sans-serif" font-size="11" font-weight="600" fill="#2d6cdf">${xmlEscape(`now ${money(last)}`)}</text>`,
      );
    }
  }

  const base = height - MARGIN.bottom + 16;
  parts.push(
    `<text x="${MARGIN.left}" y="${base}" font-family="system-ui, sans-serif" font-size="11" fill="#444444">${day(c.from)}</text>`,
    `<text x="${r1(MARGIN.left + plotW / 2)}" y="${base}" text-anchor="middle" font-family="system-ui, sans-serif" font-size="11" fill="#444444">${day(c.from + span / 2)}</text>`,
    `<text x="${MARGIN.left + plotW}" y="${base}" text-anchor="end" font-family="system-ui, sans-serif" font-size="11" fill="#444444">${day(c.to)}</text>`,
    `<text x="${width - 4}" y="${height - 4}" text-anchor="end" font-family="system-ui, sans-serif" font-size="8" fill="#aaaaaa">Pricehawk</text>`,
    '</svg>',
  );
  return `<?xml version="1.0" encoding="utf-8"?>\n${parts.join('\n')}\n`;
}
