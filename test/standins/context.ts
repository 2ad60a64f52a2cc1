/**
 * What channel tests share: the product's real fetcher pointed at the stand-ins (trusted by
 * host:port, provider names resolved to 127.0.0.1), and a send context with a fixed clock.
 */
import { createFetcher, type Fetcher } from '../../src/acquisition/fetcher.js';
import type { AlertMessage, SendContext } from '../../src/notify/channels/types.js';
import { createLogger } from '../../src/observability/logger.js';

export function standinFetcher(opts: {
  /** host:port entries the fetcher may reach although they are loopback. */
  trusted: readonly string[];
  /** Host names to resolve to 127.0.0.1 (the rest resolve to a documentation address). */
  loopbackNames?: readonly string[];
}): Fetcher {
  const names = new Set(opts.loopbackNames ?? []);
  return createFetcher({
    logger: createLogger('silent'),
    // Notification channels reach any public host; the SSRF guard still refuses private ones.
    acceptsHost: () => true,
    trustedHosts: opts.trusted,
    // The outbox retries, not the fetcher: a resend is the delivery engine's decision.
    retries: 0,
    resolve: async (name) =>
      names.has(name)
        ? [{ address: '127.0.0.1', family: 4 }]
        : // Anything else "resolves" to a private address, which the guard must refuse.
          [{ address: '10.11.12.13', family: 4 }],
  });
}

export const FIXED_NOW = new Date('2025-06-01T12:00:00Z');

export function sendContext(fetcher: Fetcher, overrides: Partial<SendContext> = {}): SendContext {
  return {
    fetcher,
    idempotencyKey: 'n42-test',
    clock: () => FIXED_NOW,
    publicUrl: 'https://pricehawk.example',
    ...overrides,
  };
}

/** A title that tries everything: markup, mentions, masked links, entities, line breaks. */
export const EVIL_TITLE =
  'Kettle <b>hot</b> & "cold" @everyone <!channel> <@123> [win](https://evil.example) *now* &amp;\r\nBcc: x';

export function alertFixture(overrides: Partial<AlertMessage> = {}): AlertMessage {
  return {
    notificationId: 42,
    userId: 7,
    kind: 'price_drop',
    productId: 9,
    productTitle: EVIL_TITLE,
    productPageUrl: 'https://pricehawk.example/products/9',
    storeUrl: 'https://www.amazon.de/dp/B000LQXC2Q?tag=x&ref=y',
    imageUrl: 'https://m.media-amazon.com/images/I/kettle.jpg',
    price: { minor: 12999, currency: 'EUR' },
    previous: { minor: 15999, currency: 'EUR' },
    target: { minor: 13000, currency: 'EUR' },
    watch: { id: 5, priceType: 'buybox', rule: 'below' },
    userName: 'Eve',
    locale: 'de-DE',
    currencyDisplay: 'symbol',
    createdAt: FIXED_NOW,
    ...overrides,
  };
}
