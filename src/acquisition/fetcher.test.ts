import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.js';
import { createFetcher, FetchError, type Fetcher } from './fetcher.js';
import { isPrivateAddress } from './ssrf.js';

const page = '<html>' + '<p>filler</p>'.repeat(20_000) + '<span id="price">$9.99</span></html>';

describe('fetcher', () => {
  let server: http.Server;
  let origin: string;
  let host: string;
  let fetcher: Fetcher;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/gzip') {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-encoding': 'gzip',
        });
        res.end(zlib.gzipSync(page));
      } else if (req.url === '/plain') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(page);
      } else if (req.url === '/to-metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
      } else if (req.url === '/to-plain') {
        res.writeHead(301, { location: '/plain' });
        res.end();
      } else if (req.url === '/slow') {
        res.writeHead(200);
        res.write('<html>');
        setTimeout(() => res.end('</html>'), 2000);
      } else {
        res.writeHead(404);
        res.end('not here');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address() as { port: number };
    host = `127.0.0.1:${a.port}`;
    origin = `http://${host}`;
    fetcher = createFetcher({
      logger: createLogger('silent'),
      acceptsHost: (h) => h.endsWith('.example') || h === 'store.test',
      trustedHosts: [host],
      retries: 0,
      // Test DNS: one name on a public address (nothing listens there: never connected to), one
      // that points at loopback like a DNS-rebinding attacker's would.
      resolve: async (name) =>
        name === 'rebind.example'
          ? [{ address: '127.0.0.1', family: 4 }]
          : [{ address: '10.1.2.3', family: 4 }],
    });
  });

  afterAll(async () => {
    await fetcher.close();
    await new Promise((r) => server.close(r));
  });

  const code = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e instanceof FetchError ? e.code : String(e);
    }
    return 'no error';
  };

  it('reads a configured host and decodes gzip', async () => {
    const res = await fetcher.fetch({ url: `${origin}/gzip` });
    expect(res.status).toBe(200);
    expect(res.body).toBe(page);
    expect(res.stoppedEarly).toBe(false);
  });

  it('refuses hosts that no store adapter accepts', async () => {
    expect(await code(fetcher.fetch({ url: 'http://intranet.corp/' }))).toBe('fetch_host_refused');
  });

  it('refuses private and loopback address literals that are not configured', async () => {
    expect(await code(fetcher.fetch({ url: 'http://127.0.0.2:9/' }))).toBe('fetch_address_refused');
    expect(await code(fetcher.fetch({ url: 'http://[::1]:9/' }))).toBe('fetch_address_refused');
    expect(await code(fetcher.fetch({ url: 'http://169.254.169.254/' }))).toBe(
      'fetch_address_refused',
    );
  });

  it('checks the address a name resolves to, as it connects (DNS rebinding)', async () => {
    expect(await code(fetcher.fetch({ url: 'http://rebind.example/' }))).toBe(
      'fetch_address_refused',
    );
  });

  it('checks every redirect again', async () => {
    expect(await code(fetcher.fetch({ url: `${origin}/to-metadata` }))).toBe(
      'fetch_address_refused',
    );
    const ok = await fetcher.fetch({ url: `${origin}/to-plain` });
    expect(ok.url).toBe(`${origin}/plain`);
    expect(ok.body).toBe(page);
  });

  it('refuses other schemes', async () => {
    expect(await code(fetcher.fetch({ url: 'file:///etc/passwd' }))).toBe('fetch_bad_url');
  });

  it('stops the download once the extractor has what it needs', async () => {
    let seen = '';
    const res = await fetcher.fetch({
      url: `${origin}/plain`,
      stopWhen: (piece) => (seen += piece).includes('filler'),
    });
    expect(res.stoppedEarly).toBe(true);
    expect(res.bytesRead).toBeLessThan(page.length);
  });

  it('enforces size and time limits', async () => {
    expect(await code(fetcher.fetch({ url: `${origin}/plain`, maxBytes: 10_000 }))).toBe(
      'fetch_too_large',
    );
    expect(await code(fetcher.fetch({ url: `${origin}/slow`, timeoutMs: 200 }))).toBe(
      'fetch_timeout',
    );
  });
});

describe('fetcher connections after an early stop', () => {
  let server: http.Server;
  let origin: string;
  let connections = 0;
  const big = '<html>' + '<p>filler</p>'.repeat(80_000) + '</html>'; // over a megabyte

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(req.url === '/big' ? big : page);
    });
    server.on('connection', () => connections++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  /** Two early-stopped fetches of `path` over one connection at most at a time. */
  async function twice(path: string): Promise<number> {
    const fetcher = createFetcher({
      logger: createLogger('silent'),
      acceptsHost: () => false,
      trustedHosts: [new URL(origin).host],
      retries: 0,
      connectionsPerOrigin: 1,
    });
    const before = connections;
    for (let i = 0; i < 2; i++) {
      const res = await fetcher.fetch({
        url: `${origin}${path}`,
        stopWhen: (piece) => piece.includes('filler'),
      });
      expect(res.stoppedEarly).toBe(true);
    }
    await fetcher.close();
    return connections - before;
  }

  it('keeps the connection for the next page when the rest of the page is small', async () => {
    expect(await twice('/page')).toBe(1);
  });

  it('closes it when the rest is large', async () => {
    expect(await twice('/big')).toBe(2);
  });
});

describe('private address rules', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.8', true],
    ['172.16.5.4', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', true],
    ['8.8.8.8', false],
    ['52.94.236.248', false],
    ['2a00:1450:4001:80b::200e', false],
  ])('%s private: %s', (addr, expected) => {
    expect(isPrivateAddress(addr)).toBe(expected);
  });
});
