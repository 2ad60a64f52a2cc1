/**
 * The one outbound HTTP client of the product (undici). Inside it: the SSRF guard (only hosts the
 * store adapters accept or the operator configured; the address is checked after DNS resolution
 * and the connection goes to exactly that address; redirects are checked again), time and size
 * limits, compressed transfer, retries with jittered backoff, and the streamed body with an early
 * stop once the extractor has what it needs.
 */
import dns from 'node:dns';
import net from 'node:net';
import { TextDecoder } from 'node:util';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { Agent, request, type Dispatcher } from 'undici';
import type { Logger } from '../observability/logger.js';
import { isPrivateAddress } from './ssrf.js';

export class FetchError extends Error {
  constructor(
    readonly code:
      | 'fetch_host_refused'
      | 'fetch_address_refused'
      | 'fetch_timeout'
      | 'fetch_too_large'
      | 'fetch_too_many_redirects'
      | 'fetch_network'
      | 'fetch_bad_url',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  /** Worth trying again later (network trouble), as opposed to a request we refuse to make. */
  get transient(): boolean {
    return this.code === 'fetch_timeout' || this.code === 'fetch_network';
  }
}

export interface FetchRequest {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Fed each decoded piece of the body once, in order; true stops the download (early stop) because
   * the extractor has every field it needs. Pieces, not the growing body: re-reading the body on
   * every chunk would cost quadratic time on a 1 MB page.
   */
  readonly stopWhen?: (piece: string) => boolean;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

export interface FetchResult {
  readonly status: number;
  /** URL after redirects. */
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Bytes of (decoded) body read. */
  readonly bytesRead: number;
  /** The download stopped early because `stopWhen` said so. */
  readonly stoppedEarly: boolean;
}

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
  close(): Promise<void>;
}

export interface FetcherOptions {
  readonly logger: Logger;
  /** Whether a host name is one a store adapter accepts. */
  readonly acceptsHost: (host: string) => boolean;
  /** host or host:port entries that are always allowed, private addresses included. */
  readonly trustedHosts?: readonly string[];
  readonly userAgent?: string;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  readonly retries?: number;
  /** Per-origin connection limit of the keep-alive pool. */
  readonly connectionsPerOrigin?: number;
  /** For tests: DNS resolution (defaults to the system resolver). */
  readonly resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
}

const DEFAULT_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | Array<{ address: string; family: number }>,
  family?: number,
) => void;

export function createFetcher(opts: FetcherOptions): Fetcher {
  const log = opts.logger.child({ component: 'fetcher' });
  const trusted = new Set((opts.trustedHosts ?? []).map((h) => h.toLowerCase()));
  const resolve =
    opts.resolve ?? ((host: string) => dns.promises.lookup(host, { all: true, verbatim: true }));
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const maxBytes = opts.maxBytes ?? 8 * 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 5;
  const retries = opts.retries ?? 2;

  const isTrusted = (u: URL) =>
    trusted.has(u.host.toLowerCase()) || trusted.has(u.hostname.toLowerCase());

  // DNS pinning: the address checked is the address connected to, because the check runs inside
  // the connection's own lookup.
  function guardedLookup(hostname: string, options: { all?: boolean }, cb: LookupCallback): void {
    resolve(hostname).then(
      (addrs) => {
        const allowPrivate = trustedNames.has(hostname.toLowerCase());
        const ok = addrs.filter((a) => allowPrivate || !isPrivateAddress(a.address));
        const first = ok[0];
        if (!first) {
          const err = new FetchError(
            'fetch_address_refused',
            `${hostname} resolves only to private or reserved addresses`,
          ) as unknown as NodeJS.ErrnoException;
          cb(err, '', 0);
          return;
        }
        if (options.all) cb(null, ok);
        else cb(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => cb(err, '', 0),
    );
  }
  const trustedNames = new Set([...trusted].map((h) => h.replace(/:\d+$/, '')));

  const agent = new Agent({
    connections: opts.connectionsPerOrigin ?? 8,
    keepAliveTimeout: 30_000,
    connect: { lookup: guardedLookup, timeout: 10_000 },
  });

  function check(u: URL): void {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new FetchError('fetch_bad_url', `only http and https URLs can be fetched`);
    }
    if (isTrusted(u)) return;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host)) {
      if (isPrivateAddress(host)) {
        throw new FetchError('fetch_address_refused', `${host} is not a public address`);
      }
    }
    if (!opts.acceptsHost(host)) {
      throw new FetchError('fetch_host_refused', `${host} is not a store Pricehawk reads`);
    }
  }

  async function once(req: FetchRequest): Promise<FetchResult> {
    let url = new URL(req.url);
    for (let hop = 0; ; hop++) {
      check(url);
      const res = await send(url, req);
      if (res.status >= 300 && res.status < 400 && res.location) {
        if (hop >= maxRedirects) {
          throw new FetchError('fetch_too_many_redirects', `more than ${maxRedirects} redirects`);
        }
        url = new URL(res.location, url);
        continue;
      }
      return { ...res.result, url: url.toString() };
    }
  }

  async function send(
    url: URL,
    req: FetchRequest,
  ): Promise<{ status: number; location?: string; result: Omit<FetchResult, 'url'> }> {
    const signal = AbortSignal.timeout(req.timeoutMs ?? timeoutMs);
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        dispatcher: agent,
        method: 'GET',
        signal,
        headers: {
          'user-agent': opts.userAgent ?? DEFAULT_UA,
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'accept-encoding': 'gzip, br',
          ...req.headers,
        },
      });
    } catch (cause) {
      if (cause instanceof FetchError) throw cause;
      const inner = (cause as { cause?: unknown }).cause;
      if (inner instanceof FetchError) throw inner;
      if (signal.aborted) throw new FetchError('fetch_timeout', `${url.host} timed out`, { cause });
      throw new FetchError('fetch_network', `${url.host}: ${(cause as Error).message}`, { cause });
    }
    const location = res.headers.location;
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
      await res.body.dump();
      return { status: res.statusCode, location, result: emptyResult(res) };
    }
    try {
      const read = await readBody(res, req, signal);
      return {
        status: res.statusCode,
        result: { ...read, status: res.statusCode, headers: res.headers },
      };
    } catch (cause) {
      if (cause instanceof FetchError) throw cause;
      if (signal.aborted) throw new FetchError('fetch_timeout', `${url.host} timed out`, { cause });
      throw new FetchError('fetch_network', `${url.host}: ${(cause as Error).message}`, { cause });
    }
  }

  async function readBody(
    res: Dispatcher.ResponseData,
    req: FetchRequest,
    signal: AbortSignal,
  ): Promise<{ body: string; bytesRead: number; stoppedEarly: boolean }> {
    const limit = req.maxBytes ?? maxBytes;
    const encoding = String(res.headers['content-encoding'] ?? '').toLowerCase();
    const charset = /charset=([\w-]+)/i.exec(String(res.headers['content-type'] ?? ''))?.[1];
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(charset ?? 'utf-8');
    } catch {
      decoder = new TextDecoder('utf-8');
    }
    const decompress =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? zlib.createGunzip()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : encoding === 'deflate'
            ? zlib.createInflate()
            : undefined;
    // pipeline tears every stage down together: an early stop (destroying the last stage) aborts
    // the download, and a network error surfaces in the loop below instead of hanging it.
    const stream: Readable = decompress
      ? pipeline(res.body, decompress, () => undefined)
      : res.body;
    const stop = () => {
      stream.destroy();
      res.body.destroy();
    };
    const pieces: string[] = [];
    let bytesRead = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal.aborted) throw new FetchError('fetch_timeout', 'body timed out');
      bytesRead += chunk.length;
      if (bytesRead > limit) {
        stop();
        throw new FetchError('fetch_too_large', `body larger than ${limit} bytes`);
      }
      const piece = decoder.decode(chunk, { stream: true });
      pieces.push(piece);
      if (req.stopWhen?.(piece)) {
        stop();
        return { body: pieces.join(''), bytesRead, stoppedEarly: true };
      }
    }
    pieces.push(decoder.decode());
    return { body: pieces.join(''), bytesRead, stoppedEarly: false };
  }

  return {
    async fetch(req) {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await once(req);
          if (res.status >= 500 && res.status !== 503 && attempt < retries) {
            await backoff(attempt);
            continue;
          }
          return res;
        } catch (err) {
          if (err instanceof FetchError && err.transient && attempt < retries) {
            log.debug({ err, url: req.url, attempt }, 'fetch failed; retrying');
            await backoff(attempt);
            continue;
          }
          throw err;
        }
      }
    },
    close: () => agent.close(),
  };
}

function emptyResult(res: Dispatcher.ResponseData): Omit<FetchResult, 'url'> {
  return {
    status: res.statusCode,
    body: '',
    headers: res.headers,
    bytesRead: 0,
    stoppedEarly: false,
  };
}

/** Full jitter: a random wait up to 250 ms · 2^attempt. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * 250 * 2 ** attempt;
  return new Promise((r) => setTimeout(r, ms));
}
