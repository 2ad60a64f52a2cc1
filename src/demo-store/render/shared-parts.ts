/**
 * Page parts every page shares (the site stylesheet, boot scripts, filler chunks), compressed once.
 *
 * A gzip body is one deflate stream, and a deflate stream may be cut into pieces that each end on
 * a byte boundary (a sync flush, as pigz does for parallel compression). So the raw deflate of a
 * shared part, made once, can be spliced into the gzip body of every page that contains the part:
 * a page's own cost is compressing its own markup (~140 KB of its ~1 MB) and a CRC.
 */
import zlib from 'node:zlib';

const shared = new WeakMap<Buffer, Buffer | null>();

/** Marks `buf` as shared by many pages: its compressed form will be made once and kept. */
export function markShared(buf: Buffer): Buffer {
  if (!shared.has(buf)) shared.set(buf, null);
  return buf;
}

export function isShared(buf: Buffer): boolean {
  return shared.has(buf);
}

export const DEFLATE_LEVEL = 6;

/** Raw deflate of `buf` ending in a sync flush: a piece of some larger deflate stream. */
export function deflatePiece(buf: Buffer): Buffer {
  return zlib.deflateRawSync(buf, {
    level: DEFLATE_LEVEL,
    finishFlush: zlib.constants.Z_SYNC_FLUSH,
  });
}

/** The compressed piece of a shared part, made on first use. */
export function sharedPiece(buf: Buffer): Buffer {
  let piece = shared.get(buf);
  if (!piece) {
    piece = deflatePiece(buf);
    shared.set(buf, piece);
  }
  return piece;
}
