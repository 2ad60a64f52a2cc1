import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipParts } from './compress.js';
import { PageCache } from './page-cache.js';
import { createRng } from './prng.js';
import { cssText, scripts } from './render/filler.js';
import { markShared } from './render/shared-parts.js';

const rng = createRng(42);
const shared = [
  markShared(Buffer.from(`<style>${cssText(rng, 16_000)}</style>`)),
  markShared(Buffer.from(scripts(rng, 16_000))),
];

/** A page of shared chunks around some markup of its own. */
function pageParts(n: number): Buffer[] {
  const own = Buffer.from(`<div id="p${n}">${'<span>own markup</span>'.repeat(200 + n)}</div>`);
  return [
    Buffer.from('<!doctype html><html>'),
    shared[0]!,
    own,
    shared[1]!,
    Buffer.from('</html>'),
  ];
}

describe('gzip bodies from pre-compressed pieces', () => {
  it('decode to the page, reusing the shared pieces', async () => {
    const parts = pageParts(1);
    const a = await gzipParts(parts);
    const b = await gzipParts(pageParts(2));
    const body = Buffer.concat(a.pieces);
    expect(body.length).toBe(a.length);
    expect(zlib.gunzipSync(body).equals(Buffer.concat(parts))).toBe(true);
    // The shared parts' compressed pieces are the same buffers in both pages.
    const common = a.pieces.filter((p) => b.pieces.includes(p) && p.length > 100);
    expect(common).toHaveLength(2);
    expect(a.ownBytes).toBeLessThan(a.length / 2);
    // Streaming decoders see an ordinary gzip member too.
    const streamed = await new Promise<Buffer>((resolve, reject) => {
      const out: Buffer[] = [];
      const g = zlib.createGunzip();
      g.on('data', (d: Buffer) => out.push(d));
      g.on('end', () => resolve(Buffer.concat(out)));
      g.on('error', reject);
      for (let i = 0; i < body.length; i += 997) g.write(body.subarray(i, i + 997));
      g.end();
    });
    expect(streamed.equals(Buffer.concat(parts))).toBe(true);
  });
});

describe('page cache', () => {
  it('keeps at most its byte budget, dropping the least recently used page', async () => {
    const first = await new PageCache().render('B0PAGE0000', 'o', 'k', () => pageParts(0));
    // Room for about three pages.
    const cache = new PageCache(first.bytes * 3 + first.bytes / 2);
    for (let i = 0; i < 3; i++) await cache.render(`B0PAGE000${i}`, 'o', 'k', () => pageParts(0));
    expect(cache.get('B0PAGE0000', 'o', 'k')).toBeDefined(); // now the most recently used
    for (let i = 3; i < 10; i++) {
      await cache.render(`B0PAGE000${i}`, 'o', 'k', () => pageParts(0));
      expect(cache.stats().bytes).toBeLessThanOrEqual(cache.maxBytes);
    }
    const stats = cache.stats();
    expect(stats.pages).toBeLessThanOrEqual(3);
    expect(stats.evictions).toBeGreaterThanOrEqual(7);
    expect(cache.get('B0PAGE0001', 'o', 'k')).toBeUndefined();
    expect(cache.get('B0PAGE0009', 'o', 'k')).toBeDefined();
  });

  it('replaces a page when its state changes, and counts brotli against the budget', async () => {
    const cache = new PageCache(10 * 1024 * 1024);
    const a = await cache.render('B0PAGE0000', 'o', 'state-1', () => pageParts(1));
    const before = cache.stats().bytes;
    expect(cache.get('B0PAGE0000', 'o', 'state-2')).toBeUndefined();
    await cache.render('B0PAGE0000', 'o', 'state-2', () => pageParts(2));
    expect(cache.stats().pages).toBe(1);
    const b = cache.get('B0PAGE0000', 'o', 'state-2')!;
    expect(b.etag).not.toBe(a.etag);
    const br = (await cache.body(b, 'br')) as Buffer;
    expect(zlib.brotliDecompressSync(br).equals(Buffer.concat(pageParts(2)))).toBe(true);
    expect(cache.stats().bytes).toBeGreaterThan(before);
    const identity = (await cache.body(b, 'identity')) as Buffer;
    expect(identity.equals(Buffer.concat(pageParts(2)))).toBe(true);
  });

  it('serves but does not keep a page bigger than the whole budget', async () => {
    const cache = new PageCache(100);
    const page = await cache.render('B0PAGE0000', 'o', 'k', () => pageParts(0));
    expect(page.gzip.length).toBeGreaterThan(0);
    expect(cache.stats()).toMatchObject({ pages: 0, bytes: 0 });
  });
});
