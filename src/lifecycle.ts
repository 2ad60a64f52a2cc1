/**
 * Background loops and their orderly stop. A loop calls `tick` again at once while it finds work
 * and waits `idleMs` when it finds none; stopping aborts the wait, lets the tick in progress finish
 * (it sees the signal and releases what it has not started), and resolves when the loop is done.
 */
import type { Logger } from './observability/logger.js';

export interface Loop {
  readonly name: string;
  stop(): Promise<void>;
}

export function startLoop(opts: {
  name: string;
  logger: Logger;
  idleMs: number;
  tick: (signal: AbortSignal) => Promise<number>;
}): Loop {
  const controller = new AbortController();
  const signal = controller.signal;
  const log = opts.logger.child({ loop: opts.name });
  let failures = 0;

  const done = (async () => {
    while (!signal.aborted) {
      let worked = 0;
      try {
        worked = await opts.tick(signal);
        failures = 0;
      } catch (err) {
        failures++;
        log.error({ err, failures }, 'loop tick failed');
      }
      if (signal.aborted) break;
      if (worked === 0 || failures > 0) {
        const wait = failures > 0 ? Math.min(30_000, opts.idleMs * 2 ** failures) : opts.idleMs;
        await sleep(wait, signal);
      }
    }
  })();

  return {
    name: opts.name,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `fn` over `items` with at most `concurrency` at once, in order, starting no new item once
 * `signal` is aborted. Returns the items that were never started (to hand back their leases).
 * `fn` must not throw: errors belong to the caller's per-item handling.
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  fn: (item: T) => Promise<void>,
): Promise<T[]> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (!signal?.aborted && next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
  return items.slice(next);
}
