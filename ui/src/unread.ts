/**
 * How many alerts are unread, shared by the header's badge and the inbox. Every inbox page the
 * server sends carries the count; the inbox also changes it at once when alerts are marked read,
 * and the header asks again after each navigation and every minute while the tab is visible.
 */
import { useSyncExternalStore } from 'react';
import { api } from './api';

let count: number | null = null;
/** Bumped by every local change, so an answer to an older question cannot overwrite it. */
let version = 0;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** null until the first answer (and after logging out): no badge rather than a wrong one. */
export function useUnreadCount(): number | null {
  return useSyncExternalStore(subscribe, () => count);
}

export function setUnreadCount(n: number | null): void {
  version++;
  if (n === count) return;
  count = n;
  for (const l of listeners) l();
}

/** A relative change (one alert marked read: -1), applied only when the count is known. */
export function adjustUnreadCount(delta: number): void {
  if (count !== null) setUnreadCount(Math.max(0, count + delta));
}

/** Asks the server; a failure keeps the last count (the next refresh tries again). */
export async function refreshUnreadCount(): Promise<void> {
  const asked = version;
  try {
    const page = await api.notifications({ limit: 1 });
    if (version === asked) setUnreadCount(page.unread);
  } catch {
    // Offline or logged out: the badge keeps its last value; a 401 ends the session anyway.
  }
}
