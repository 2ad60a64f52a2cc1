/**
 * Rendered product pages, compressed once per change, in a least-recently-used cache with a byte
 * budget (64 MiB by default), so a store of a million products serves from bounded memory.
 *
 * A page is rendered when first asked for in a given state and origin and gzipped at once: its
 * gzip body is mostly the pre-compressed pieces every page shares (compress.ts), so what a cached
 * page costs is its own compressed markup, ~25-30 KB. Brotli is made on the first request that
 * prefers it and counted against the budget too; identity bodies are inflated from the gzip on
 * demand (rare: every fetcher asks for gzip). Serving a cached page is a write of buffers.
 *
 * Accounting counts each page's own bytes plus a fixed overhead; the shared pieces (about 1 MB
 * compressed, fixed) are outside the budget.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { gzipParts } from './compress.js';
import { hashString } from './prng.js';

const gunzip = promisify(zlib.gunzip);
const brotli = promisify(zlib.brotliCompress);

export type Encoding = 'br' | 'gzip' | 'identity';
/** A body to send: one buffer, or pieces in order. */
export type Body = Buffer | readonly Buffer[];

export const DEFAULT_PAGE_CACHE_BYTES = 64 * 1024 * 1024;
/** Bookkeeping per cached page beyond its own bytes: the object, its key, the piece list. */
const PAGE_OVERHEAD = 512;

export interface RenderedPage {
  /** Cache slot: ASIN and origin. */
  readonly slot: string;
  /** State key the page was rendered for. */
  readonly key: string;
  readonly etag: string;
  /** Uncompressed length. */
  readonly length: number;
  readonly gzip: readonly Buffer[];
  br: Buffer | null;
  /** What the page counts against the budget. */
  bytes: number;
}

export interface PageCacheStats {
  readonly pages: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

export function bodyLength(body: Body): number {
  if (Buffer.isBuffer(body)) return body.length;
  let n = 0;
  for (const b of body as readonly Buffer[]) n += b.length;
  return n;
}

export class PageCache {
  /** Key: ASIN and origin. One state per key: a new state replaces the page. Oldest first. */
  private readonly pages = new Map<string, RenderedPage>();
  private readonly inflight = new Map<string, Promise<RenderedPage>>();
  private readonly pendingBrotli = new Map<RenderedPage, Promise<Buffer>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(readonly maxBytes = DEFAULT_PAGE_CACHE_BYTES) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError('pageCacheBytes must be a non-negative integer');
    }
  }

  /** The page if it is rendered for exactly this state and origin: the hot path, synchronous. */
  get(asin: string, origin: string, stateKey: string): RenderedPage | undefined {
    const slot = `${asin}|${origin}`;
    const page = this.pages.get(slot);
    if (!page || page.key !== stateKey) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Most recently used goes last.
    this.pages.delete(slot);
    this.pages.set(slot, page);
    return page;
  }

  /** Renders (once, even under concurrent requests) and caches the page for this state. */
  render(
    asin: string,
    origin: string,
    stateKey: string,
    renderPage: () => Buffer[],
  ): Promise<RenderedPage> {
    const flightKey = `${asin}|${origin}|${stateKey}`;
    let p = this.inflight.get(flightKey);
    if (!p) {
      p = this.doRender(asin, origin, stateKey, renderPage).finally(() => {
        this.inflight.delete(flightKey);
      });
      this.inflight.set(flightKey, p);
    }
    return p;
  }

  private async doRender(
    asin: string,
    origin: string,
    stateKey: string,
    renderPage: () => Buffer[],
  ): Promise<RenderedPage> {
    const parts = renderPage();
    const gz = await gzipParts(parts);
    const page: RenderedPage = {
      slot: `${asin}|${origin}`,
      key: stateKey,
      etag: `W/"${asin}-${hashString(stateKey + origin).toString(36)}"`,
      length: parts.reduce((n, b) => n + b.length, 0),
      gzip: gz.pieces,
      br: null,
      bytes: gz.ownBytes + PAGE_OVERHEAD + gz.pieces.length * 8,
    };
    this.store(page);
    return page;
  }

  private store(page: RenderedPage): void {
    const { slot } = page;
    const old = this.pages.get(slot);
    if (old) {
      this.pages.delete(slot);
      this.bytes -= old.bytes;
    }
    // A page bigger than the whole budget is served once and not kept.
    if (page.bytes > this.maxBytes) return;
    this.pages.set(slot, page);
    this.bytes += page.bytes;
    this.evict();
  }

  private evict(): void {
    while (this.bytes > this.maxBytes) {
      const oldest = this.pages.entries().next().value;
      if (!oldest) break;
      const [slot, page] = oldest;
      this.pages.delete(slot);
      this.bytes -= page.bytes;
      this.evictions++;
    }
  }

  /** The body in an encoding, if it is ready without work. */
  ready(page: RenderedPage, encoding: Encoding): Body | null {
    if (encoding === 'gzip') return page.gzip;
    if (encoding === 'br') return page.br;
    return null;
  }

  /** The body in an encoding, making it if needed (brotli is kept, identity is not). */
  async body(page: RenderedPage, encoding: Encoding): Promise<Body> {
    const now = this.ready(page, encoding);
    if (now) return now;
    if (encoding === 'identity') return gunzip(Buffer.concat(page.gzip));
    let p = this.pendingBrotli.get(page);
    if (!p) {
      p = gunzip(Buffer.concat(page.gzip))
        .then((raw) =>
          brotli(raw, {
            params: {
              // Quality 5: ~20 ms for a 1 MB page at ~85% of quality 11's ratio; 11 takes seconds.
              [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: page.length,
              [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            },
          }),
        )
        .then((br) => {
          page.br = br;
          this.account(page, br.length);
          return br;
        })
        .finally(() => {
          this.pendingBrotli.delete(page);
        });
      this.pendingBrotli.set(page, p);
    }
    return p;
  }

  /** Counts bytes added to a page, if the page is still cached. */
  private account(page: RenderedPage, added: number): void {
    page.bytes += added;
    if (this.pages.get(page.slot) === page) {
      this.bytes += added;
      this.evict();
    }
  }

  clear(): void {
    this.pages.clear();
    this.bytes = 0;
  }

  stats(): PageCacheStats {
    return {
      pages: this.pages.size,
      bytes: this.bytes,
      maxBytes: this.maxBytes,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
    };
  }
}
