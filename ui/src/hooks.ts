import { useCallback, useEffect, useRef, useState } from 'react';

export type Resource<T> =
  | { readonly status: 'loading'; readonly data?: undefined; readonly error?: undefined }
  | { readonly status: 'ready'; readonly data: T; readonly error?: undefined }
  | { readonly status: 'failed'; readonly data?: undefined; readonly error: unknown };

/**
 * Load something when `key` changes. A reload keeps showing the old data until the new arrives,
 * so screens do not flash back to a spinner after every action; answers that arrive after the
 * key changed are dropped.
 */
export function useResource<T>(
  key: string,
  load: () => Promise<T>,
): [Resource<T>, () => void, (update: (old: T) => T) => void] {
  const [state, setState] = useState<{ key: string; res: Resource<T> }>({
    key,
    res: { status: 'loading' },
  });
  const [generation, setGeneration] = useState(0);

  // `load` is a fresh closure each render; `key` names what it loads, so only the key (and
  // explicit reloads) start a new request.
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let live = true;
    loadRef.current().then(
      (data) => live && setState({ key, res: { status: 'ready', data } }),
      (error: unknown) => live && setState({ key, res: { status: 'failed', error } }),
    );
    return () => {
      live = false;
    };
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const update = useCallback((fn: (old: T) => T) => {
    setState((s) =>
      s.res.status === 'ready' ? { ...s, res: { ...s.res, data: fn(s.res.data) } } : s,
    );
  }, []);

  return [state.key === key ? state.res : { status: 'loading' }, reload, update];
}

/** The current time, refreshed every `intervalMs`, for "3 minutes ago" labels. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Pricehawk` : 'Pricehawk';
  }, [title]);
}
