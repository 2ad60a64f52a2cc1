// @ts-check
/// <reference lib="webworker" />
/**
 * Pricehawk's service worker. It does two things: show the alerts the server pushes (web push),
 * and open the product when one is clicked. It caches nothing and handles no fetches, so the app
 * itself always comes fresh from the server.
 *
 * The push payload is JSON written by src/notify/channels/webpush.ts, plain text only: an alert
 * (webPushPayload: `{v, kind, notificationId, title, body, url, storeUrl, image, tag, timestamp}`)
 * or a daily digest (webPushDigestPayload: `kind: 'digest'`, the same title, body, url and tag).
 * Type-checked with ui/public/tsconfig.json (lib WebWorker).
 */

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (globalThis));

/** Where a notification without a usable link leads: the inbox, which lists every alert. */
const INBOX = new URL('/notifications', sw.location.origin).href;

sw.addEventListener('install', (event) => {
  // Nothing to prepare; a new version of this file takes over at once.
  event.waitUntil(sw.skipWaiting());
});

sw.addEventListener('activate', (event) => {
  // Control pages that are already open, so a click can bring one of them to the product.
  event.waitUntil(sw.clients.claim());
});

/**
 * @typedef {object} Alert
 * @property {string} title
 * @property {string} body
 * @property {string} url
 * @property {string | undefined} icon
 * @property {string | undefined} tag
 * @property {number | undefined} timestamp
 */

/** @param {unknown} value */
function text(value) {
  return typeof value === 'string' ? value : '';
}

/** Only absolute http(s) URLs: a payload must not make a click run script or open a data: URL. */
function httpUrl(/** @type {unknown} */ value) {
  if (typeof value !== 'string') return undefined;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The alert in a push message. A message that is not what the server writes still shows
 * something: subscriptions are `userVisibleOnly`, so every push must end in a notification.
 * @param {PushMessageData | null} data
 * @returns {Alert}
 */
function readAlert(data) {
  /** @type {Record<string, unknown>} */
  let p = {};
  try {
    const parsed = /** @type {unknown} */ (data?.json());
    if (parsed && typeof parsed === 'object') p = /** @type {Record<string, unknown>} */ (parsed);
  } catch {
    // Not JSON: the generic alert below.
  }
  return {
    title: text(p.title) || 'Pricehawk',
    body: text(p.body) || 'A price you watch has changed.',
    url: httpUrl(p.url) ?? INBOX,
    // The product's picture. No fallback: Pricehawk's own icon is an SVG, which notifications do
    // not show everywhere (Android wants a raster image).
    icon: httpUrl(p.image),
    tag: text(p.tag) || undefined,
    timestamp: typeof p.timestamp === 'number' ? p.timestamp : undefined,
  };
}

sw.addEventListener('push', (event) => {
  const alert = readAlert(event.data);
  /** @type {NotificationOptions & {timestamp?: number}} */
  const options = { body: alert.body, data: { url: alert.url } };
  if (alert.icon) options.icon = alert.icon;
  // The same tag replaces an earlier notification, so a resent alert shows once.
  if (alert.tag) options.tag = alert.tag;
  if (alert.timestamp !== undefined) options.timestamp = alert.timestamp;
  event.waitUntil(sw.registration.showNotification(alert.title, options));
});

/**
 * Brings the user to `url`: a window already showing it, else one of Pricehawk's windows taken
 * there, else a new window.
 * @param {string} url
 */
async function openOrFocus(url) {
  const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const showing = windows.find((w) => w.url === url);
  if (showing) return showing.focus();
  if (new URL(url).origin === sw.location.origin) {
    for (const w of windows) {
      try {
        // navigate() works only on windows this worker controls; null means it left our origin.
        const moved = await w.navigate(url);
        if (moved) return moved.focus();
      } catch {
        // Not controlled by this worker: try the next window, or open one.
      }
    }
  }
  return sw.clients.openWindow(url);
}

sw.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = /** @type {unknown} */ (event.notification.data);
  const url =
    data && typeof data === 'object' && 'url' in data ? (httpUrl(data.url) ?? INBOX) : INBOX;
  event.waitUntil(openOrFocus(url));
});

/**
 * The browser replaced the subscription (its push service rotated it): tell the server the new
 * one and forget the old. The session cookie goes along, as with any same-origin request.
 * @param {PushSubscriptionChangeEvent} event
 */
async function resubscribe(event) {
  const old = event.oldSubscription;
  const fresh =
    event.newSubscription ??
    (old ? await sw.registration.pushManager.subscribe(old.options) : null);
  /** @param {'POST' | 'DELETE'} method @param {unknown} body */
  const call = (method, body) =>
    sw.fetch('/api/v1/me/push-subscriptions', {
      method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  if (fresh) await call('POST', fresh.toJSON());
  if (old && old.endpoint !== fresh?.endpoint) await call('DELETE', { endpoint: old.endpoint });
}

sw.addEventListener('pushsubscriptionchange', (event) => {
  event.waitUntil(resubscribe(event));
});
