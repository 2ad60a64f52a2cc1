/**
 * Rendered product pages, compressed once per change. A page is rendered when first asked for in a
 * given state and origin and gzipped right away (what fetchers ask for); brotli is made on the
 * first request that prefers it. Serving is then a buffer write. The uncompressed page is kept as
 * its list of parts, most of which are the filler buffers all pages share, so keeping it costs a
 * fraction of its 1 MB.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { hashString } from './prng.js';

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

export type Encoding = 'br' | 'gzip' | 'identity';
/** A body to send: one buffer, or the parts of an uncompressed page in order. */
export type Body = Buffer | readonly Buffer[];

export interface RenderedPage {
  /** State key the page was rendered for. */
  readonly key: string;
  readonly etag: string;
  readonly parts: readonly Buffer[];
  readonly length: number;
  readonly gzip: Buffer;
  br: Buffer | null;
}

/** Origins kept per product: one or two in practice (127.0.0.1 vs localhost). */
const ORIGINS_PER_PRODUCT = 4;

export function bodyLength(body: Body): number {
  if (Buffer.isBuffer(body)) return body.length;
  let n = 0;
  for (const b of body as readonly Buffer[]) n += b.length;
  return n;
}

export class PageCache {
  private readonly pages = new Map<string, Map<string, RenderedPage>>();
  private readonly inflight = new Map<string, Promise<RenderedPage>>();
  private readonly pendingBrotli = new Map<RenderedPage, Promise<Buffer>>();

  /** The page if it is rendered for exactly this state and origin: the hot path, synchronous. */
  get(asin: string, origin: string, stateKey: string): RenderedPage | undefined {
    const page = this.pages.get(asin)?.get(origin);
    return page && page.key === stateKey ? page : undefined;
  }

  /** Renders (once, even under concurrent requests) and stores the page for this state. */
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
    const whole = Buffer.concat(parts);
    const page: RenderedPage = {
      key: stateKey,
      etag: `W/"${asin}-${hashString(stateKey + origin).toString(36)}"`,
      parts,
      length: whole.length,
      gzip: await gzip(whole, { level: 6 }),
      br: null,
    };
    let perOrigin = this.pages.get(asin);
    if (!perOrigin) {
      perOrigin = new Map();
      this.pages.set(asin, perOrigin);
    }
    perOrigin.delete(origin);
    perOrigin.set(origin, page);
    if (perOrigin.size > ORIGINS_PER_PRODUCT) {
      const oldest = perOrigin.keys().next().value;
      if (oldest !== undefined) perOrigin.delete(oldest);
    }
    return page;
  }

  /** The body in an encoding, if it is ready without work. */
  ready(page: RenderedPage, encoding: Encoding): Body | null {
    if (encoding === 'gzip') return page.gzip;
    if (encoding === 'br') return page.br;
    return page.parts;
  }

  /** The body in an encoding, compressing once if needed. */
  async body(page: RenderedPage, encoding: Encoding): Promise<Body> {
    const now = this.ready(page, encoding);
    if (now) return now;
    let p = this.pendingBrotli.get(page);
    if (!p) {
      p = brotli(Buffer.concat(page.parts), {
        params: {
          // Quality 5: ~20 ms for a 1 MB page at ~85% of quality 11's ratio; 11 takes seconds.
          [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: page.length,
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        },
      })
        .then((br) => {
          page.br = br;
          return br;
        })
        .finally(() => {
          this.pendingBrotli.delete(page);
        });
      this.pendingBrotli.set(page, p);
    }
    return p;
  }

  clear(): void {
    this.pages.clear();
  }

  stats(): { pages: number; compressedBytes: number } {
    let pages = 0;
    let compressedBytes = 0;
    for (const perOrigin of this.pages.values()) {
      for (const p of perOrigin.values()) {
        pages++;
        compressedBytes += p.gzip.length + (p.br?.length ?? 0);
      }
    }
    return { pages, compressedBytes };
  }
}
