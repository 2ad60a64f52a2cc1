/**
 * The fetcher's manners toward stores: it backs off from a host that answers with captchas, and it
 * spreads requests over the configured proxies (and around a proxy that is being blocked).
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.js';
import { createFetcher, FetchError } from './fetcher.js';

/** A CONNECT proxy that records the tunnels asked of it and sends them all to `target`. */
async function startProxy(
  target: number,
): Promise<{ url: string; tunnels: string[]; close(): Promise<void> }> {
  const tunnels: string[] = [];
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const upstream = net.connect(target, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('fetcher politeness', () => {
  let store: http.Server;
  let storePort: number;
  let proxies: Array<Awaited<ReturnType<typeof startProxy>>>;

  beforeAll(async () => {
    store = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>ok</html>'),
    );
    await new Promise<void>((r) => store.listen(0, '127.0.0.1', r));
    storePort = (store.address() as net.AddressInfo).port;
    proxies = [await startProxy(storePort), await startProxy(storePort)];
  });
  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    store.closeAllConnections();
    await new Promise((r) => store.close(r));
  });

  // shop.example "resolves" to a public address; the test proxies tunnel it to the local store.
  const resolve = async () => [{ address: '93.184.216.34', family: 4 }];

  it('uses the proxies in turn, and goes around one that is cooling down for a host', async () => {
    let t = 1_000_000;
    const fetcher = createFetcher({
      logger: createLogger('silent'),
      acceptsHost: () => true,
      proxies: proxies.map((p) => p.url),
      resolve,
      retries: 0,
      hostRatePerSecond: 1000, // the frozen test clock would never refill a small bucket
      now: () => t,
    });
    try {
      const first = await fetcher.fetch({ url: `http://shop.example:${storePort}/a` });
      const second = await fetcher.fetch({ url: `http://shop.example:${storePort}/b` });
      expect([first.route, second.route]).toEqual(['proxy0', 'proxy1']);
      expect(first.body).toBe('<html>ok</html>');
      expect(proxies[0]?.tunnels).toContain(`shop.example:${storePort}`);
      expect(proxies[1]?.tunnels).toContain(`shop.example:${storePort}`);

      // proxy1 gets a captcha for this host: the next requests go through proxy0 only.
      fetcher.report(second, 'blocked');
      const routes = [];
      for (let i = 0; i < 3; i++)
        routes.push((await fetcher.fetch({ url: `http://shop.example:${storePort}/c` })).route);
      expect(routes).toEqual(['proxy0', 'proxy0', 'proxy0']);

      // Both blocked: the fetcher refuses until the earlier cool-down ends, without a request.
      fetcher.report(first, 'blocked');
      const err = await fetcher
        .fetch({ url: `http://shop.example:${storePort}/d` })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FetchError);
      expect((err as FetchError).code).toBe('fetch_cooling_down');
      expect((err as FetchError).retryAt).toBe(1_000_000 + 60_000);

      t += 60_000;
      expect((await fetcher.fetch({ url: `http://shop.example:${storePort}/e` })).route).toBe(
        'proxy1',
      );
    } finally {
      await fetcher.close();
    }
  });

  it('refuses, through a proxy too, a host that resolves to a private address', async () => {
    const fetcher = createFetcher({
      logger: createLogger('silent'),
      acceptsHost: () => true,
      proxies: [proxies[0]?.url ?? ''],
      resolve: async () => [{ address: '10.0.0.5', family: 4 }],
      retries: 0,
    });
    try {
      const before = proxies[0]?.tunnels.length;
      const err = await fetcher.fetch({ url: 'http://intranet.example/' }).catch((e: unknown) => e);
      expect((err as FetchError).code).toBe('fetch_address_refused');
      expect(proxies[0]?.tunnels.length).toBe(before);
    } finally {
      await fetcher.close();
    }
  });

  it('cools down a directly reached host after a captcha, longer each time', async () => {
    let t = 5_000_000;
    const fetcher = createFetcher({
      logger: createLogger('silent'),
      acceptsHost: () => true,
      trustedHosts: [],
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      retries: 0,
      hostRatePerSecond: 1000,
      coolDownMs: 1000,
      now: () => t,
    });
    // Direct connections check the resolved address: make the local store a trusted host name.
    const trustedFetcher = createFetcher({
      logger: createLogger('silent'),
      acceptsHost: () => true,
      trustedHosts: [`127.0.0.1:${storePort}`],
      retries: 0,
    });
    try {
      const res = await trustedFetcher.fetch({ url: `http://127.0.0.1:${storePort}/` });
      // Trusted (operator-run) hosts are never cooled down.
      trustedFetcher.report(res, 'blocked');
      expect((await trustedFetcher.fetch({ url: `http://127.0.0.1:${storePort}/` })).status).toBe(
        200,
      );

      const fake = { ...res, url: 'http://shop.example/', route: 'direct' };
      fetcher.report(fake, 'blocked');
      let err = (await fetcher
        .fetch({ url: 'http://shop.example/' })
        .catch((e: unknown) => e)) as FetchError;
      expect(err.retryAt).toBe(t + 1000);
      t += 1000;
      fetcher.report(fake, 'blocked');
      err = (await fetcher
        .fetch({ url: 'http://shop.example/' })
        .catch((e: unknown) => e)) as FetchError;
      expect(err.code).toBe('fetch_cooling_down');
      expect(err.retryAt).toBe(t + 2000);
    } finally {
      await fetcher.close();
      await trustedFetcher.close();
    }
  });
});
