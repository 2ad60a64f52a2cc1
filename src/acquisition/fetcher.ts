/**
 * The one outbound HTTP client of the product (undici). Inside it:
 * - the SSRF guard: only hosts the store adapters accept or the operator configured; the address
 *   is checked after DNS resolution, in the connection's own lookup, so the address checked is the
 *   address connected to; every redirect is checked again;
 * - politeness per host (and per proxy): a concurrency cap, a request rate, and a cool-down that
 *   grows while a store keeps answering with captchas;
 * - proxy rotation, time and size limits, compressed transfer, retries with jittered backoff;
 * - the streamed body with an early stop once the extractor has what it needs.
 */
import dns from 'node:dns';
import net from 'node:net';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import zlib from 'node:zlib';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import type { Logger } from '../observability/logger.js';
import { createBodyBuffers } from './body-buffers.js';
import { createHostLimits } from './limits.js';
import { isPrivateAddress } from './ssrf.js';

export type FetchErrorCode =
  | 'fetch_host_refused'
  | 'fetch_address_refused'
  | 'fetch_timeout'
  | 'fetch_too_large'
  | 'fetch_too_many_redirects'
  | 'fetch_network'
  | 'fetch_bad_url'
  | 'fetch_cooling_down';

export class FetchError extends Error {
  constructor(
    readonly code: FetchErrorCode,
    message: string,
    options?: { cause?: unknown; retryAt?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.retryAt = options?.retryAt;
  }
  /** For `fetch_cooling_down`: when the host may be asked again (epoch ms). */
  readonly retryAt: number | undefined;
  /** Worth trying again soon (network trouble), as opposed to a request we refuse to make. */
  get transient(): boolean {
    return this.code === 'fetch_timeout' || this.code === 'fetch_network';
  }
}

export interface FetchRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  /** Sent as it is (binary for web push). */
  readonly body?: string | Uint8Array;
  /** Redirects to follow for this request (default: the fetcher's); 0 answers them as they are. */
  readonly maxRedirects?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Fed each chunk of a UTF-8 body's (decompressed, not yet decoded) bytes once, in order; true
   * stops the download (early stop) because the extractor has every field it needs. Chunks, not
   * the growing body: re-reading the body on every chunk would cost quadratic time on a 1 MB page.
   * The body is decoded once, after the stop; a body in another charset is read whole.
   */
  readonly stopWhen?: (chunk: Uint8Array) => boolean;
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
  /** How the request went out ("direct" or a proxy's index), for `report`. */
  readonly route: string;
}

export interface Fetcher {
  fetch(req: FetchRequest): Promise<FetchResult>;
  /**
   * What the page turned out to be, once extracted: a captcha or block makes the fetcher leave
   * that host alone for a while (through that route); a good page ends the streak.
   */
  report(result: FetchResult, verdict: 'ok' | 'blocked'): void;
  close(): Promise<void>;
}

export interface FetcherOptions {
  readonly logger: Logger;
  /** Whether a host name is one a store adapter accepts. */
  readonly acceptsHost: (host: string) => boolean;
  /**
   * host or host:port entries that are always allowed, private addresses included, and exempt
   * from the per-host limits (the operator runs them: the demo store, a stand-in).
   */
  readonly trustedHosts?: readonly string[];
  /** HTTP(S) proxies (http://user:pass@host:port), used in turn. */
  readonly proxies?: readonly string[];
  readonly userAgent?: string;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly maxRedirects?: number;
  readonly retries?: number;
  /** Keep-alive connections per origin at most (default: no cap beyond the per-host limits). */
  readonly connectionsPerOrigin?: number;
  /** Requests in flight per host (per route) at most. */
  readonly hostConcurrency?: number;
  /** Requests started per second per host (per route) at most. */
  readonly hostRatePerSecond?: number;
  /** A different request rate for some hosts (an API with its own quota). */
  readonly hostRateFor?: (host: string) => number | undefined;
  /** First cool-down after a captcha; doubles while they continue, up to 30 minutes. */
  readonly coolDownMs?: number;
  /** For tests: DNS resolution (defaults to the system resolver). */
  readonly resolve?: (host: string) => Promise<Array<{ address: string; family: number }>>;
  readonly now?: () => number;
}

/**
 * After an early stop, the rest of a response is read and dropped (keeping the connection) when
 * the whole response, as sent, is at most this large: a product page of ordinary size.
 */
const DRAIN_LIMIT = 512 * 1024;

const DEFAULT_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | Array<{ address: string; family: number }>,
  family?: number,
) => void;

interface Route {
  readonly name: string;
  readonly dispatcher: Dispatcher;
  readonly viaProxy: boolean;
}

export function createFetcher(opts: FetcherOptions): Fetcher {
  const log = opts.logger.child({ component: 'fetcher' });
  const now = opts.now ?? Date.now;
  const trusted = new Set((opts.trustedHosts ?? []).map((h) => h.toLowerCase()));
  const trustedNames = new Set([...trusted].map((h) => h.replace(/:\d+$/, '')));
  const resolve =
    opts.resolve ?? ((host: string) => dns.promises.lookup(host, { all: true, verbatim: true }));
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const maxBytes = opts.maxBytes ?? 8 * 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 5;
  const retries = opts.retries ?? 2;
  const bodyBuffers = createBodyBuffers();
  const limits = createHostLimits({
    concurrency: opts.hostConcurrency ?? 4,
    ratePerSecond: opts.hostRatePerSecond ?? 2,
    coolDownMs: opts.coolDownMs ?? 60_000,
    maxCoolDownMs: 30 * 60_000,
    // Keys are "route|host:port"; the override is by host name.
    rateFor: (key) => opts.hostRateFor?.(key.slice(key.indexOf('|') + 1).replace(/:\d+$/, '')),
    now,
  });

  const isTrusted = (u: URL) =>
    trusted.has(u.host.toLowerCase()) || trusted.has(u.hostname.toLowerCase());

  // DNS pinning for direct connections: the check runs inside the connection's own lookup.
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

  const agentOptions = {
    connections: opts.connectionsPerOrigin ?? null,
    keepAliveTimeout: 30_000,
    connect: { lookup: guardedLookup, timeout: 10_000 },
  };
  const direct: Route = { name: 'direct', dispatcher: new Agent(agentOptions), viaProxy: false };
  const proxied: Route[] = (opts.proxies ?? []).map((uri, i) => ({
    name: `proxy${i}`,
    dispatcher: new ProxyAgent({ uri, ...agentOptions }),
    viaProxy: true,
  }));
  let nextProxy = 0;

  /** The route for this host: the next proxy in turn that is not cooling down for it. */
  function chooseRoute(u: URL): Route {
    if (isTrusted(u) || proxied.length === 0) {
      const until = isTrusted(u) ? 0 : limits.coolingUntil(`direct|${u.host}`);
      if (until) throw cooling(u, until);
      return direct;
    }
    let earliest = Infinity;
    for (let i = 0; i < proxied.length; i++) {
      const route = proxied[(nextProxy + i) % proxied.length] as Route;
      const until = limits.coolingUntil(`${route.name}|${u.host}`);
      if (!until) {
        nextProxy = (nextProxy + i + 1) % proxied.length;
        return route;
      }
      earliest = Math.min(earliest, until);
    }
    throw cooling(u, earliest);
  }

  const cooling = (u: URL, until: number) =>
    new FetchError('fetch_cooling_down', `${u.host} answered with captchas; cooling down`, {
      retryAt: until,
    });

  async function check(u: URL, route: Route): Promise<void> {
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      throw new FetchError('fetch_bad_url', `only http and https URLs can be fetched`);
    }
    if (isTrusted(u)) return;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host) && isPrivateAddress(host)) {
      throw new FetchError('fetch_address_refused', `${host} is not a public address`);
    }
    if (!opts.acceptsHost(host)) {
      throw new FetchError('fetch_host_refused', `${host} is not a store Pricehawk reads`);
    }
    // Through a proxy the proxy resolves the name, so it cannot be pinned: check it here at least.
    if (route.viaProxy && !net.isIP(host)) {
      const addrs = await resolve(host).catch((cause: unknown) => {
        throw new FetchError('fetch_network', `${host}: cannot resolve`, { cause });
      });
      if (addrs.length === 0 || addrs.some((a) => isPrivateAddress(a.address))) {
        throw new FetchError('fetch_address_refused', `${host} resolves to a private address`);
      }
    }
  }

  async function once(req: FetchRequest): Promise<FetchResult> {
    let url = new URL(req.url);
    let method = req.method ?? 'GET';
    let body = req.body;
    for (let hop = 0; ; hop++) {
      const route = chooseRoute(url);
      await check(url, route);
      const res = await send(url, route, { ...req, method, body });
      if (res.status >= 300 && res.status < 400 && res.location) {
        if (hop >= (req.maxRedirects ?? maxRedirects)) {
          if (req.maxRedirects === 0)
            return { ...res.result, url: url.toString(), route: route.name };
          throw new FetchError('fetch_too_many_redirects', `more than ${maxRedirects} redirects`);
        }
        url = new URL(res.location, url);
        // 303, and 301/302 after a POST as browsers do, continue as a GET without a body.
        if (
          res.status === 303 ||
          ((res.status === 301 || res.status === 302) && method === 'POST')
        ) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return { ...res.result, url: url.toString(), route: route.name };
    }
  }

  async function send(
    url: URL,
    route: Route,
    req: FetchRequest,
  ): Promise<{ status: number; location?: string; result: Omit<FetchResult, 'url' | 'route'> }> {
    const signal = AbortSignal.timeout(req.timeoutMs ?? timeoutMs);
    const release = isTrusted(url)
      ? () => undefined
      : await limits.acquire(`${route.name}|${url.host}`, signal).catch((cause: unknown) => {
          throw new FetchError('fetch_timeout', `${url.host}: timed out waiting for a slot`, {
            cause,
          });
        });
    try {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          dispatcher: route.dispatcher,
          method: req.method ?? 'GET',
          body: req.body,
          signal,
          headers: {
            'user-agent': opts.userAgent ?? DEFAULT_UA,
            accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
            // gzip first: it costs a third less CPU to inflate than brotli for the same page, and
            // CPU per check is the checker's budget.
            'accept-encoding': 'gzip, br;q=0.5',
            ...req.headers,
          },
        });
      } catch (cause) {
        throw asFetchError(cause, url, signal);
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
        throw asFetchError(cause, url, signal);
      }
    } finally {
      release();
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
    const stopWhen = decoder.encoding === 'utf-8' ? req.stopWhen : undefined;
    const decompress =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? zlib.createGunzip()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : encoding === 'deflate'
            ? zlib.createInflate()
            : undefined;
    // The body is piped into the decompressor (not pipeline()d, which tears every stage down
    // together) so that an early stop can stop decoding and still leave the connection usable.
    let stream: Readable = res.body;
    if (decompress) {
      res.body.once('error', (err) => decompress.destroy(err));
      stream = res.body.pipe(decompress);
    }
    let done = false;
    const finish = (keepConnection: boolean) => {
      done = true;
      if (decompress) {
        res.body.unpipe(decompress);
        decompress.destroy();
      }
      // Keep-alive after an early stop: read the rest of a page of ordinary size off the socket
      // (as it came, not decompressed) and drop it, which costs far less than a new connection
      // (and TLS handshake) for the next page; a larger body closes the connection instead.
      if (keepConnection) void res.body.dump({ limit: DRAIN_LIMIT }).catch(() => undefined);
      else res.body.destroy();
    };
    // The bytes are gathered and decoded once at the end: decoding chunk by chunk and joining
    // the pieces made every page twice over on the heap (and in two bytes a character as soon as
    // one piece held a character above U+00FF), which cost CPU and, under load, hundreds of
    // megabytes. They are gathered in a pooled buffer (see body-buffers.ts).
    const gathered = bodyBuffers.take();
    try {
      try {
        for await (const chunk of stream.iterator({
          destroyOnReturn: false,
        }) as AsyncIterable<Buffer>) {
          if (signal.aborted) throw new FetchError('fetch_timeout', 'body timed out');
          if (gathered.length + chunk.length > limit) {
            finish(false);
            throw new FetchError('fetch_too_large', `body larger than ${limit} bytes`);
          }
          gathered.append(chunk);
          if (stopWhen?.(chunk)) {
            finish(true);
            const bytes = gathered.bytes();
            // A character cut in two by the stop is left out rather than made U+FFFD. (Not by
            // decoding as a stream: that takes a slower path, about twice the time on a page.)
            const body = decoder.decode(bytes.subarray(0, completeUtf8Length(bytes)));
            return { body, bytesRead: bytes.length, stoppedEarly: true };
          }
        }
      } finally {
        // A failure half way (network, corrupt compressed data, timeout): nothing is reused.
        if (!done && !res.body.readableEnded) finish(false);
      }
      return {
        body: decoder.decode(gathered.bytes()),
        bytesRead: gathered.length,
        stoppedEarly: false,
      };
    } finally {
      gathered.release();
    }
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
    report(result, verdict) {
      const key = `${result.route}|${new URL(result.url).host}`;
      if (verdict === 'ok') {
        limits.reportOk(key);
        return;
      }
      const until = limits.reportBlocked(key);
      log.warn(
        { host: new URL(result.url).host, route: result.route, until: new Date(until) },
        'store is blocking us: cooling down',
      );
    },
    async close() {
      limits.close();
      await Promise.all([direct, ...proxied].map((r) => r.dispatcher.close()));
    },
  };
}

/** Length of `bytes` without a UTF-8 sequence cut off at its end. */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  let lead = end - 1;
  while (lead >= 0 && end - lead < 4 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--;
  if (lead < 0) return end;
  const b = bytes[lead] ?? 0;
  const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return end - lead < length ? lead : end;
}

function asFetchError(cause: unknown, url: URL, signal: AbortSignal): FetchError {
  if (cause instanceof FetchError) return cause;
  const inner = (cause as { cause?: unknown }).cause;
  if (inner instanceof FetchError) return inner;
  if (signal.aborted) return new FetchError('fetch_timeout', `${url.host} timed out`, { cause });
  return new FetchError('fetch_network', `${url.host}: ${(cause as Error).message}`, { cause });
}

function emptyResult(res: Dispatcher.ResponseData): Omit<FetchResult, 'url' | 'route'> {
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
