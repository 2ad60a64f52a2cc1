/**
 * `pricehawk demo-store`: the storefront on its own, with moving prices, until a signal stops it.
 */
import { createLogger } from '../observability/logger.js';
import { createDemoStore, type DemoStore, type DemoStoreLogger } from './server.js';

export interface RunDemoStoreOptions {
  /** Default 3001. */
  readonly port?: number;
  /** Default 127.0.0.1: the store is a test double, not something to expose. */
  readonly host?: string;
  /** Price-move ticks per minute (default 1: a newcomer sees moves within minutes). */
  readonly speed?: number;
  readonly seed?: number;
  readonly productCount?: number;
  /** Byte budget of the page cache (default 64 MiB). */
  readonly pageCacheBytes?: number;
  readonly logger?: DemoStoreLogger;
  /** Stop on SIGINT/SIGTERM (default true); a second signal exits at once. */
  readonly handleSignals?: boolean;
}

export interface RunningDemoStore {
  readonly url: string;
  readonly store: DemoStore;
  /** Resolves when the store has stopped (after close() or a signal). */
  readonly stopped: Promise<void>;
  close(): Promise<void>;
}

export async function runDemoStore(opts: RunDemoStoreOptions = {}): Promise<RunningDemoStore> {
  const logger = opts.logger ?? createLogger('info', { component: 'demo-store' });
  const store = createDemoStore({
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.productCount !== undefined ? { productCount: opts.productCount } : {}),
    ...(opts.pageCacheBytes !== undefined ? { pageCacheBytes: opts.pageCacheBytes } : {}),
    priceMoves: { enabled: true, speed: opts.speed ?? 1 },
    logger,
  });
  const { url } = await store.listen(opts.port ?? 3001, opts.host ?? '127.0.0.1');
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= store.close().then(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      logger.info({}, 'demo store stopped');
      resolveStopped();
    });
    return closing;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'stopping demo store');
    close().catch((err: unknown) => logger.error({ err }, 'demo store did not stop cleanly'));
  };
  if (opts.handleSignals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  const sample = store.productsPage(0, 5).items;
  logger.info(
    {
      url,
      admin: `${url}/_admin/products`,
      examples: sample.map((p) => url + p.path),
      wishlists: `${url}/_admin/wishlists`,
      speed: opts.speed ?? 1,
    },
    'demo store ready: open the URL for the product list',
  );
  return { url, store, stopped, close };
}
