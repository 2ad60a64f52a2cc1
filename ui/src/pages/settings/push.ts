/**
 * Web push in this browser: what it supports, the permission, the service worker (/sw.js, which
 * shows the alerts) and the subscription the server sends to. Every expected failure is a
 * PushProblem whose text says what the person can do about it.
 */

export type PushSupport =
  | 'supported'
  /** No service worker, PushManager or Notification API (older browsers; iOS outside a home-screen app). */
  | 'unsupported'
  /** Push needs https (or localhost). */
  | 'insecure';

export function pushSupport(): PushSupport {
  if (!window.isSecureContext) return 'insecure';
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window))
    return 'unsupported';
  return 'supported';
}

export type PushProblemCode = 'unsupported' | 'insecure' | 'denied' | 'dismissed' | 'service';

export class PushProblem extends Error {
  readonly code: PushProblemCode;
  constructor(code: PushProblemCode, message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'PushProblem';
    this.code = code;
  }
}

/** Served from ui/public at the root, so its scope covers the whole app. */
const SW_URL = '/sw.js';
/** A push service that does not answer (no network, or none in this browser build). */
const SUBSCRIBE_TIMEOUT_MS = 20_000;
/** Which of the server's devices is this browser (the answer to our POST). */
const DEVICE_KEY = 'pricehawk.pushDeviceId';

export const UNSUPPORTED_TEXT =
  'This browser cannot receive push notifications. Use a current Chrome, Edge, Firefox or Safari; on iPhone and iPad, add Pricehawk to your Home Screen first (Share → Add to Home Screen) and open it from there.';
export const INSECURE_TEXT =
  'Push notifications need a secure connection: open Pricehawk over https to turn them on.';
export const DENIED_TEXT =
  'Notifications are blocked for this site. Allow them in your browser’s site settings (the icon at the left of the address bar), then try again.';

/** base64url (the server's VAPID key) to the bytes PushManager.subscribe takes. */
export function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((x, i) => x === b[i]);
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = window.setTimeout(() => reject(onTimeout()), ms);
    p.then(
      (v) => {
        window.clearTimeout(t);
        resolve(v);
      },
      (err: unknown) => {
        window.clearTimeout(t);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** This browser's subscription, if it has one (without asking for anything). */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (pushSupport() !== 'supported') return null;
  const reg = await navigator.serviceWorker.getRegistration('/');
  return (await reg?.pushManager.getSubscription()) ?? null;
}

/**
 * Asks for permission, registers the service worker and subscribes with the server's key; the
 * caller sends the result to the server. An old subscription made with another key is replaced.
 */
export async function subscribeThisBrowser(vapidPublicKey: string): Promise<PushSubscriptionJSON> {
  const support = pushSupport();
  if (support === 'insecure') throw new PushProblem('insecure', INSECURE_TEXT);
  if (support === 'unsupported') throw new PushProblem('unsupported', UNSUPPORTED_TEXT);

  const permission = await Notification.requestPermission();
  if (permission === 'denied') throw new PushProblem('denied', DENIED_TEXT);
  if (permission !== 'granted') {
    throw new PushProblem(
      'dismissed',
      'Your browser did not get an answer: choose “Allow” when it asks whether Pricehawk may show notifications.',
    );
  }

  let reg: ServiceWorkerRegistration;
  try {
    await navigator.serviceWorker.register(SW_URL, { scope: '/' });
    reg = await withTimeout(
      navigator.serviceWorker.ready,
      SUBSCRIBE_TIMEOUT_MS,
      () => new Error('the service worker did not start'),
    );
  } catch (cause) {
    throw new PushProblem(
      'service',
      `The browser could not start Pricehawk’s notification worker (${String(cause instanceof Error ? cause.message : cause)}). Reload the page and try again.`,
      cause,
    );
  }

  const key = base64UrlToBytes(vapidPublicKey);
  const existing = await reg.pushManager.getSubscription();
  if (existing && sameKey(existing.options.applicationServerKey, key)) return existing.toJSON();
  await existing?.unsubscribe();
  try {
    const sub = await withTimeout(
      reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
      SUBSCRIBE_TIMEOUT_MS,
      () => new Error('the browser’s push service did not answer'),
    );
    return sub.toJSON();
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new PushProblem(
      'service',
      `The browser’s push service refused or did not answer (${detail}). Check your connection and try again; private windows cannot receive push.`,
      cause,
    );
  }
}

/** Unsubscribes this browser; returns the endpoint it had, for the server to forget. */
export async function unsubscribeThisBrowser(): Promise<string | null> {
  const sub = await currentSubscription();
  if (!sub) return null;
  const endpoint = sub.endpoint;
  await sub.unsubscribe();
  return endpoint;
}

export function rememberDevice(id: number | null): void {
  try {
    if (id === null) localStorage.removeItem(DEVICE_KEY);
    else localStorage.setItem(DEVICE_KEY, String(id));
  } catch {
    // Storage blocked: the device list just cannot point out this browser.
  }
}

export function rememberedDevice(): number | null {
  try {
    const v = Number(localStorage.getItem(DEVICE_KEY));
    return Number.isSafeInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}
