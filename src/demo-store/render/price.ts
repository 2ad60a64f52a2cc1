/**
 * Prices as Amazon marks them up: an `.a-price` with the whole text in `.a-offscreen` and the same
 * number split into symbol / whole / decimal / fraction for display. The text comes from Intl in
 * the marketplace's locale ("1.299,00 €" with a no-break space, "￥1,280", "₹1,23,456.00").
 */
import { minorToDecimal, type Money } from '../../money/index.js';
import { esc } from './html.js';

export interface PriceParts {
  /** The whole formatted price ("1.299,00 €"). */
  readonly text: string;
  readonly symbol: string;
  /** Integer part with grouping ("1.299"). */
  readonly whole: string;
  /** Decimal separator, or '' for currencies without a minor unit. */
  readonly decimal: string;
  readonly fraction: string;
  readonly symbolAfter: boolean;
}

const formats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let nf = formats.get(key);
  if (!nf) {
    nf = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, nf);
  }
  return nf;
}

export function priceParts(m: Money, locale: string): PriceParts {
  const decimal = minorToDecimal(m.minor, m.currency) as Intl.StringNumericLiteral;
  const parts = numberFormat(locale, m.currency).formatToParts(decimal);
  let text = '';
  let symbol = '';
  let whole = '';
  let sep = '';
  let fraction = '';
  let symbolAfter = false;
  let seenNumber = false;
  for (const p of parts) {
    text += p.value;
    if (p.type === 'currency') {
      symbol = p.value;
      symbolAfter = seenNumber;
    } else if (p.type === 'integer' || p.type === 'group') {
      whole += p.value;
      seenNumber = true;
    } else if (p.type === 'decimal') sep = p.value;
    else if (p.type === 'fraction') fraction = p.value;
  }
  // Same text as formatMoney, from a cached formatter: pages format a few hundred prices.
  return { text, symbol, whole, decimal: sep, fraction, symbolAfter };
}

/** The aria-hidden display half of an `.a-price`: symbol, whole, decimal and fraction spans. */
export function priceDisplaySpans(p: PriceParts): string {
  const symbol = `<span class="a-price-symbol">${esc(p.symbol)}</span>`;
  const whole = p.decimal
    ? `<span class="a-price-whole">${esc(p.whole)}<span class="a-price-decimal">${esc(p.decimal)}</span></span><span class="a-price-fraction">${p.fraction}</span>`
    : `<span class="a-price-whole">${esc(p.whole)}</span>`;
  return p.symbolAfter ? whole + symbol : symbol + whole;
}

export interface APriceOptions {
  /** Extra classes after `a-price` (priceToPay, apexPriceToPay, a-text-price…). */
  readonly classes?: string;
  readonly size?: string;
  readonly color?: string;
  readonly strike?: boolean;
  /** Leave `.a-offscreen` blank, as some real pages do: only the display spans carry the number. */
  readonly blankOffscreen?: boolean;
  /** Display the text as one run ("$29.99") instead of split spans, as text-price variants do. */
  readonly plainDisplay?: boolean;
}

export function aPrice(p: PriceParts, o: APriceOptions = {}): string {
  const cls = o.classes ? `a-price ${o.classes}` : 'a-price';
  const strike = o.strike ? ' data-a-strike="true"' : '';
  const offscreen = o.blankOffscreen ? ' ' : esc(p.text);
  const display = o.plainDisplay ? esc(p.text) : priceDisplaySpans(p);
  return `<span class="${cls}" data-a-size="${o.size ?? 'xl'}"${strike} data-a-color="${o.color ?? 'base'}"><span class="a-offscreen">${offscreen}</span><span aria-hidden="true">${display}</span></span>`;
}

/**
 * A price as the 2015-2020 pages printed it, as HTML: "EUR 1.299,00" on amazon.de (currency code
 * first), "￥ 1,280" on amazon.co.jp, and on amazon.in no rupee sign at all but an empty
 * `span.currencyINR` that a web font drew it in (`<span class="currencyINR">&nbsp;&nbsp;</span>
 * 1,299.00`). Elsewhere the current format.
 */
export function legacyPriceHtml(m: Money, locale: string): string {
  const p = priceParts(m, locale);
  const number = p.decimal ? `${p.whole}${p.decimal}${p.fraction}` : p.whole;
  if (m.currency === 'EUR') return `EUR ${esc(number)}`;
  if (m.currency === 'JPY') return `￥ ${esc(number)}`;
  if (m.currency === 'INR') return `<span class="currencyINR">&nbsp;&nbsp;</span> ${esc(number)}`;
  return esc(p.text);
}
