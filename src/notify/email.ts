/**
 * The alert email, as a pure function of the alert. Every scraped or user-supplied string is
 * escaped: product titles come from store pages and are untrusted.
 */
import { formatMoney, type Money } from '../money/index.js';

export interface AlertEmailInput {
  readonly notificationId: number;
  readonly kind: 'price_drop' | 'back_in_stock';
  readonly to: string;
  readonly userName: string;
  readonly locale: string;
  readonly currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'name' | undefined;
  readonly productId: number;
  readonly productTitle: string | null;
  readonly productUrl: string;
  readonly imageUrl: string | null;
  readonly price: Money | null;
  readonly previous: Money | null;
  readonly target: Money | null;
  readonly publicUrl: string;
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Header values must not carry line breaks (header injection) and should stay short. */
function oneLine(s: string, max = 120): string {
  const flat = s.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function alertMessageId(notificationId: number, channel: string, publicUrl: string): string {
  return `<alert-${notificationId}-${channel}@${new URL(publicUrl).hostname}>`;
}

export function renderAlertEmail(a: AlertEmailInput) {
  const title = a.productTitle ?? 'A product you watch';
  const fmt = (m: Money | null) =>
    m ? formatMoney(m, a.locale, a.currencyDisplay ?? 'symbol') : 'unavailable';
  const link = `${a.publicUrl}/products/${a.productId}`;
  const subject =
    a.kind === 'back_in_stock'
      ? `Back in stock: ${oneLine(title, 80)}`
      : `Price drop: ${oneLine(title, 80)} is now ${fmt(a.price)}`;
  let dropLine = '';
  if (a.kind === 'price_drop' && a.price && a.previous && a.previous.minor > a.price.minor) {
    const diff = { minor: a.previous.minor - a.price.minor, currency: a.price.currency };
    // Whole percent, rounded down, in integers.
    const pct = Math.floor(((a.previous.minor - a.price.minor) * 100) / a.previous.minor);
    dropLine = `Down ${fmt(diff)} (${pct}%) from ${fmt(a.previous)}.`;
  }
  const targetLine = a.target ? `Your target: ${fmt(a.target)}.` : '';
  const text = [
    `Hi ${a.userName},`,
    '',
    a.kind === 'back_in_stock' ? `${title} is back in stock.` : `${title} is now ${fmt(a.price)}.`,
    dropLine,
    targetLine,
    '',
    `Price history: ${link}`,
    `Buy it: ${a.productUrl}`,
    '',
    '— Pricehawk',
  ]
    .filter((l, i, all) => l !== '' || all[i - 1] !== '')
    .join('\n');
  const e = escapeHtml;
  const html = `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;color:#1d2433;max-width:560px;margin:auto">
<p>Hi ${e(a.userName)},</p>
<table role="presentation" cellpadding="0" cellspacing="0"><tr>
${a.imageUrl ? `<td style="padding-right:16px"><img src="${e(a.imageUrl)}" alt="" width="96" style="border-radius:8px"></td>` : ''}
<td><p style="margin:0 0 8px;font-weight:600">${e(title)}</p>
<p style="margin:0;font-size:24px;font-weight:700;color:#b4461b">${e(a.kind === 'back_in_stock' ? 'Back in stock' : fmt(a.price))}</p>
${dropLine ? `<p style="margin:4px 0 0;color:#4a5568">${e(dropLine)}</p>` : ''}
${targetLine ? `<p style="margin:4px 0 0;color:#4a5568">${e(targetLine)}</p>` : ''}
</td></tr></table>
<p><a href="${e(a.productUrl)}" style="background:#b4461b;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">View in store</a>
&nbsp; <a href="${e(link)}">Price history</a></p>
<p style="color:#718096;font-size:12px">You get this because you set an alert on Pricehawk.</p>
</body></html>`;
  return { subject, text, html };
}
