/**
 * The words of an alert, shared by every channel: each one escapes them for its own medium
 * (HTML for Telegram, mrkdwn for Slack, markdown for Discord, nothing for SMS and ntfy bodies).
 * Amounts stay integers until `formatMoney` writes them for people.
 */
import { formatMoney, type Money } from '../../money/index.js';
import type { AlertMessage, DigestMessage } from './types.js';

/** Line breaks, tabs and other control characters out; runs of spaces collapsed. */
export function flatten(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- control characters are exactly what we remove
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}

/** At most `max` characters (code points, so an emoji is never cut in half), with an ellipsis. */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** The product title for display: flattened, bounded, never empty. Still untrusted text. */
export function titleOf(m: AlertMessage, max = 200): string {
  const t = flatten(m.productTitle ?? '');
  return truncate(t === '' ? 'A product you watch' : t, max);
}

/** A scraped URL we are willing to link or load: absolute http(s) only. */
export function safeHttpUrl(u: string | null | undefined): string | null {
  if (!u) return null;
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

export function money(m: AlertMessage, amount: Money | null): string {
  return amount ? formatMoney(amount, m.locale, m.currencyDisplay) : 'unavailable';
}

/** The drop from the previous price, in money and whole percent (rounded down, in integers). */
export function dropOf(m: AlertMessage): { amount: Money; percent: number } | null {
  const { price, previous } = m;
  if (m.kind !== 'price_drop' || !price || !previous) return null;
  if (price.currency !== previous.currency || previous.minor <= price.minor) return null;
  const diff = previous.minor - price.minor;
  return {
    amount: { minor: diff, currency: price.currency },
    percent: Math.floor((diff * 100) / previous.minor),
  };
}

/** "Price drop" / "Back in stock", with "Test: " in front for a test message. */
export function label(m: AlertMessage): string {
  const base = m.kind === 'back_in_stock' ? 'Back in stock' : 'Price drop';
  return m.test ? `Test: ${base}` : base;
}

/** One line: "Price drop: Kettle is now €12.34" / "Back in stock: Kettle". Untrusted title. */
export function headline(m: AlertMessage, titleMax = 120): string {
  const title = titleOf(m, titleMax);
  return m.kind === 'back_in_stock'
    ? `${label(m)}: ${title}`
    : `${label(m)}: ${title} is now ${money(m, m.price)}`;
}

/** "Now €12.34 (was €15.00, down 17%)" or "Back in stock at €12.34". */
export function priceLine(m: AlertMessage): string {
  if (m.kind === 'back_in_stock') {
    return m.price ? `Back in stock at ${money(m, m.price)}` : 'Back in stock';
  }
  const drop = dropOf(m);
  const now = `Now ${money(m, m.price)}`;
  return drop
    ? `${now} (was ${money(m, m.previous)}, down ${money(m, drop.amount)} or ${drop.percent}%)`
    : now;
}

export function targetLine(m: AlertMessage): string | null {
  return m.target ? `Your target: ${money(m, m.target)}` : null;
}

/** "now €12.34 (-17%)" / "back in stock at €12.34": one alert's price in a few words. */
export function shortPrice(m: AlertMessage): string {
  if (m.kind === 'back_in_stock') {
    return m.price ? `back in stock at ${money(m, m.price)}` : 'back in stock';
  }
  const drop = dropOf(m);
  return `now ${money(m, m.price)}${drop ? ` (-${drop.percent}%)` : ''}`;
}

export interface DigestSummary {
  /** "Daily digest: 3 alerts". */
  readonly title: string;
  /** One line per alert shown: "Kettle: now €12.34 (-17%)". Titles are untrusted text. */
  readonly lines: readonly string[];
  /** Alerts not shown ("… and 4 more"), 0 when all are. */
  readonly more: number;
  /** The inbox, where every alert is. */
  readonly url: string;
}

/**
 * A digest in a few lines, for the channels that send a short summary of it (chat, push, SMS):
 * the first `maxLines` alerts and a link to the inbox for everything. Each channel escapes it.
 */
export function digestSummary(d: DigestMessage, maxLines = 3, titleMax = 60): DigestSummary {
  const shown = d.alerts.slice(0, maxLines);
  return {
    title: `Daily digest: ${d.total} ${d.total === 1 ? 'alert' : 'alerts'}`,
    lines: shown.map((m) => `${titleOf(m, titleMax)}: ${shortPrice(m)}`),
    more: Math.max(0, d.total - shown.length),
    url: d.inboxUrl,
  };
}

/** "… and 4 more", or null. */
export function moreLine(s: DigestSummary): string | null {
  return s.more > 0 ? `… and ${s.more} more` : null;
}

/** A sample alert for "send a test": a made-up product, clearly marked as a test. */
export function sampleAlert(publicUrl: string, now: Date, userName = 'there'): AlertMessage {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    notificationId: 0,
    userId: 0,
    kind: 'price_drop',
    productId: 0,
    productTitle: 'Pricehawk test alert (no product)',
    productPageUrl: `${base}/`,
    storeUrl: `${base}/`,
    imageUrl: null,
    price: { minor: 1999, currency: 'USD' },
    previous: { minor: 2499, currency: 'USD' },
    target: { minor: 2000, currency: 'USD' },
    watch: null,
    userName,
    locale: 'en-US',
    currencyDisplay: 'symbol',
    createdAt: now,
    test: true,
  };
}
