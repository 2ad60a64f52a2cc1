/**
 * A small client-side router on the History API: the app has a handful of screens, which does not
 * justify a dependency. The server answers every non-API path with index.html, so deep links work.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();

function notify(): void {
  for (const l of listeners) l();
}

window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  notify();
}

/** The current path and query, re-rendering on every navigation. */
export function useLocation(): { path: string; search: string; query: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const q = current.indexOf('?');
  const search = q < 0 ? '' : current.slice(q);
  return {
    path: q < 0 ? current : current.slice(0, q),
    search,
    query: new URLSearchParams(search),
  };
}

/** Only same-app paths: a `next` parameter must not send people to another site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

export function Link({ to, onClick, ...rest }: LinkProps) {
  function handle(e: MouseEvent<HTMLAnchorElement>): void {
    onClick?.(e);
    // Let the browser handle new tabs, downloads and modified clicks.
    if (
      e.defaultPrevented ||
      e.button !== 0 ||
      e.metaKey ||
      e.ctrlKey ||
      e.shiftKey ||
      e.altKey ||
      rest.target === '_blank'
    ) {
      return;
    }
    e.preventDefault();
    navigate(to);
  }
  return <a href={to} onClick={handle} {...rest} />;
}
