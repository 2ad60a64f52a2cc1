import http from 'node:http';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.js';
import { completeUtf8Length, createFetcher, FetchError, type Fetcher } from './fetcher.js';
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
      } else if (req.url === '/utf8-split') {
        // A multi-byte character straddles the two writes, and the stop comes after the first.
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        const bytes = Buffer.from(`<p>${'x'.repeat(100)}€ ${'y'.repeat(20_000)}</p>`, 'utf8');
        res.write(bytes.subarray(0, 105));
        setTimeout(() => res.end(bytes.subarray(105)), 50);
      } else if (req.url === '/latin1') {
        res.writeHead(200, { 'content-type': 'text/html; charset=ISO-8859-1' });
        res.end(Buffer.from('<p>Preis: 12,99 €</p><p>Größe</p>'.replace('€', 'EUR'), 'latin1'));
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
      stopWhen: (chunk) => (seen += Buffer.from(chunk).toString('latin1')).includes('filler'),
    });
    expect(res.stoppedEarly).toBe(true);
    expect(res.bytesRead).toBeLessThan(page.length);
  });

  it('decodes an early-stopped page once, leaving out a character the stop cut in two', async () => {
    let calls = 0;
    const res = await fetcher.fetch({
      url: `${origin}/utf8-split`,
      stopWhen: () => ++calls === 1,
    });
    expect(res.stoppedEarly).toBe(true);
    expect(res.bytesRead).toBe(105);
    // 105 bytes: `<p>`, 100 x and two of the euro sign's three bytes, which are not made U+FFFD.
    expect(res.body).toBe(`<p>${'x'.repeat(100)}`);
  });

  it('reads a page in another charset whole, without early stop, and decodes it', async () => {
    const res = await fetcher.fetch({ url: `${origin}/latin1`, stopWhen: () => true });
    expect(res.stoppedEarly).toBe(false);
    expect(res.body).toBe('<p>Preis: 12,99 EUR</p><p>Größe</p>');
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
        stopWhen: (chunk) => Buffer.from(chunk).includes('filler'),
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

describe('completeUtf8Length', () => {
  it('cuts off exactly the character a prefix splits, as a streaming decoder holds it back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.nat(), (text, k) => {
        const bytes = Buffer.from(text, 'utf8');
        const prefix = bytes.subarray(0, k % (bytes.length + 1));
        const held = new TextDecoder('utf-8').decode(prefix, { stream: true });
        expect(prefix.subarray(0, completeUtf8Length(prefix)).toString('utf8')).toBe(held);
      }),
      { numRuns: 2_000 },
    );
  });
});
