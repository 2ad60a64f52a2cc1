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

export interface Action {
  readonly busy: boolean;
  readonly error: unknown;
  /** What the last successful run said ("Profile saved."), until the next run or reset. */
  readonly done: string | null;
  /** Runs `work` unless a run is under way; its returned text becomes `done`. */
  readonly run: (work: () => Promise<string | null | void>) => Promise<void>;
  readonly reset: () => void;
}

/** The busy / failed / done state of a button or form that calls the API. */
export function useAction(): Action {
  const [state, setState] = useState<{ busy: boolean; error: unknown; done: string | null }>({
    busy: false,
    error: null,
    done: null,
  });
  const busyRef = useRef(false);

  const run = useCallback(async (work: () => Promise<string | null | void>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setState({ busy: true, error: null, done: null });
    try {
      const done = (await work()) ?? null;
      setState({ busy: false, error: null, done });
    } catch (error) {
      setState({ busy: false, error, done: null });
    } finally {
      busyRef.current = false;
    }
  }, []);
  const reset = useCallback(() => setState({ busy: false, error: null, done: null }), []);

  return { ...state, run, reset };
}
