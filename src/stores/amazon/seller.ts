/**
 * Whether Amazon itself sells the buy-box offer. Decided by structure, which does not depend on
 * the page language: a third-party seller is always a link to its seller profile (`seller=` in
 * the URL, `#sellerProfileTriggerId`), and "Fulfilled by Amazon" for someone else's offer is the
 * `#SSOFpopoverLink` link. Only when neither is present does the name "Amazon" in the seller line
 * ("Ships from and sold by Amazon.com", "Verkauf und Versand durch Amazon", "Vendido por
 * Amazon.com.br", "Amazon.co.jp が販売、発送します") mean Amazon sells it.
 */
import { elementEnd, findClass, textBetween } from './html.js';
import { windowsOf, type PageIndex, type Window } from './page.js';

const THIRD_PARTY_LINK = /[?&;]seller=|sellerProfileTriggerId|SSOFpopoverLink/;

function decideFrom(w: string, from: number, to: number): boolean | undefined {
  const markup = w.slice(from, to);
  if (THIRD_PARTY_LINK.test(markup)) return false;
  const text = textBetween(w, from, to);
  if (text === '') return undefined;
  return /amazon/i.test(text) ? true : undefined;
}

function decideElement(win: Window): boolean | undefined {
  return decideFrom(win.w, win.tag.end, elementEnd(win.w, win.tag));
}

/** The Kindle buy box's "Sold by:" row names a publisher or Amazon. */
function decideKindleRow(win: Window): boolean | undefined {
  const end = elementEnd(win.w, win.tag);
  const row = findClass(win.w, win.tag.end, end, 'print-sold-by');
  if (!row) return undefined;
  const rowEnd = elementEnd(win.w, row);
  const name = findClass(win.w, row.end, rowEnd, 'a-color-base');
  if (!name) return undefined;
  const text = textBetween(win.w, name.end, elementEnd(win.w, name));
  if (text === '') return undefined;
  return /amazon/i.test(text);
}

export function soldByStore(page: PageIndex): boolean | undefined {
  for (const id of [
    'merchantInfoFeature_feature_div',
    'tabular-buybox',
    'merchant-info',
  ] as const) {
    for (const win of windowsOf(page, id, 8_000)) {
      const d = decideElement(win);
      if (d !== undefined) return d;
    }
  }
  for (const win of windowsOf(page, 'buybox')) {
    const d = decideKindleRow(win);
    if (d !== undefined) return d;
  }
  return undefined;
}
