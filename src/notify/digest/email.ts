/**
 * The daily digest email, as a pure function of the digest: one entry per alert with its image,
 * title, old and new price, the drop, and links to the product's price history and to the store.
 * Scraped text (titles, URLs) is untrusted: escaped in the HTML, flattened to one line in the text
 * and the subject, and linked or loaded only when it is an http(s) URL. Amounts stay integer minor
 * units until `formatMoney` writes them in the user's locale.
 */
import { escapeHtml } from '../email.js';
import { label, priceLine, safeHttpUrl, targetLine, titleOf } from '../channels/render.js';
import type { AlertMessage, DigestMessage } from '../channels/types.js';

/** Deterministic per digest (user and local day), so a resend after a crash is the same message. */
export function digestMessageId(userId: number, localDay: string, publicUrl: string): string {
  return `<digest-${userId}-${localDay}@${new URL(publicUrl).hostname}>`;
}

/** "Tuesday, 11 March 2031" in the user's locale (the day is a calendar date: no zone maths). */
export function digestDayLabel(localDay: string, locale: string): string {
  const [y, m, d] = localDay.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
  const options = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' } as const;
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }).format(date);
  } catch {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' }).format(date);
  }
}

/** "14:32" (or "2:32 PM") in the user's zone and locale: when the alert fired. */
function timeOf(m: AlertMessage, timeZone: string): string {
  const options = { hour: 'numeric', minute: '2-digit' } as const;
  try {
    return new Intl.DateTimeFormat(m.locale, { ...options, timeZone }).format(m.createdAt);
  } catch {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone: 'UTC' }).format(m.createdAt);
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function renderDigestEmail(d: DigestMessage): {
  subject: string;
  text: string;
  html: string;
} {
  const day = digestDayLabel(d.localDay, d.locale);
  const count = plural(d.total, 'alert', 'alerts');
  const first = d.alerts[0];
  const subject = `Daily digest: ${count}${
    first ? ` — ${titleOf(first, 60)}${d.total > 1 ? ' and more' : ''}` : ''
  }`;
  const more = d.total - d.alerts.length;

  const textEntries = d.alerts.map((m, i) => {
    const store = safeHttpUrl(m.storeUrl);
    const target = targetLine(m);
    return [
      `${i + 1}. ${titleOf(m)}`,
      `   ${label(m)}, ${timeOf(m, d.timeZone)}: ${priceLine(m)}`,
      ...(target ? [`   ${target}`] : []),
      `   Price history: ${m.productPageUrl}`,
      ...(store ? [`   Buy it: ${store}`] : []),
    ].join('\n');
  });
  const text = [
    `Hi ${d.userName},`,
    '',
    `Your price alerts for ${day} (${count}):`,
    '',
    textEntries.join('\n\n'),
    '',
    ...(more > 0 ? [`… and ${plural(more, 'more alert', 'more alerts')} in your inbox.`] : []),
    `All your alerts: ${d.inboxUrl}`,
    '',
    '— Pricehawk',
  ].join('\n');

  const e = escapeHtml;
  const htmlEntries = d.alerts.map((m) => {
    const store = safeHttpUrl(m.storeUrl);
    const image = safeHttpUrl(m.imageUrl);
    const page = safeHttpUrl(m.productPageUrl);
    const target = targetLine(m);
    const title = e(titleOf(m));
    return `<tr>
<td style="padding:12px 16px 12px 0;vertical-align:top;width:80px">${image ? `<img src="${e(image)}" alt="" width="80" style="border-radius:6px">` : ''}</td>
<td style="padding:12px 0;vertical-align:top;border-bottom:1px solid #e2e8f0">
<p style="margin:0 0 4px;font-weight:600">${page ? `<a href="${e(page)}" style="color:#1d2433">${title}</a>` : title}</p>
<p style="margin:0;color:#b4461b;font-weight:700">${e(label(m))} · ${e(priceLine(m))}</p>
${target ? `<p style="margin:2px 0 0;color:#4a5568">${e(target)}</p>` : ''}
<p style="margin:4px 0 0;font-size:13px;color:#718096">${e(timeOf(m, d.timeZone))}${store ? ` · <a href="${e(store)}">View in store</a>` : ''}${page ? ` · <a href="${e(page)}">Price history</a>` : ''}</p>
</td></tr>`;
  });
  const html = `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;color:#1d2433;max-width:600px;margin:auto">
<p>Hi ${e(d.userName)},</p>
<p>Your price alerts for ${e(day)} (${e(count)}):</p>
<table role="presentation" cellpadding="0" cellspacing="0" width="100%">
${htmlEntries.join('\n')}
</table>
${more > 0 ? `<p>… and ${e(plural(more, 'more alert', 'more alerts'))} in your inbox.</p>` : ''}
<p><a href="${e(d.inboxUrl)}" style="background:#b4461b;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">All your alerts</a></p>
<p style="color:#718096;font-size:12px">You get this once a day because you chose a daily digest on Pricehawk.</p>
</body></html>`;
  return { subject, text, html };
}
