/**
 * The watchlist as a CSV file: one row per watch, the columns a spreadsheet user expects, money
 * as exact decimals in the product's currency.
 */
import { minorToDecimal } from '../money/index.js';
import { csvDocument } from './csv.js';
import { thresholdMinor } from './rules.js';
import { currentReading, type WatchView } from './watches.js';

export const EXPORT_COLUMNS = [
  'Product',
  'Marketplace',
  'ASIN/URL',
  'URL',
  'Price type',
  'Rule',
  'Target',
  'Current price',
  'Currency',
  'Status',
  'Created',
  'Last alert',
  'Last alert price',
] as const;

function decimal(minor: number | null, currency: string | null): string | null {
  return minor === null || !currency ? null : minorToDecimal(minor, currency);
}

function ruleText({ watch: w, product }: WatchView): string {
  const currency = w.currency ?? product.currency;
  if (w.rule_type === 'drop_percent') {
    const from = decimal(w.baseline_minor, currency);
    return `drop_percent ${w.drop_percent ?? 0}%${from ? ` from ${from}` : ''}`;
  }
  return w.rule_type;
}

export function watchesCsv(views: readonly WatchView[]): string {
  return csvDocument(
    EXPORT_COLUMNS,
    views.map((v) => {
      const { watch: w, product: p } = v;
      const currency = w.currency ?? p.currency;
      return [
        p.title,
        p.marketplace,
        // Amazon and the demo store name products by ASIN; any other store by its URL.
        p.store === 'structured' ? p.url : p.external_id,
        p.url,
        w.price_type,
        ruleText(v),
        decimal(thresholdMinor(w), currency),
        decimal(currentReading(p, w.price_type).priceMinor, p.currency),
        currency,
        v.status,
        w.created_at.toISOString(),
        w.last_notified_at?.toISOString() ?? null,
        decimal(w.last_notified_minor, currency),
      ];
    }),
  );
}
