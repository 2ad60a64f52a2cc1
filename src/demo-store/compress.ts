/**
 * Gzip bodies assembled from pieces: the pre-compressed shared parts of a page (see
 * render/shared-parts.ts) and its own markup compressed now, between a gzip header and trailer.
 * Decoders see one ordinary gzip member.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { DEFLATE_LEVEL, isShared, sharedPiece } from './render/shared-parts.js';

const deflateRaw = promisify(zlib.deflateRaw);

/** Magic, deflate, no flags, no mtime, no extra flags, OS "unix". */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);
/** An empty final block with fixed Huffman codes: ends the deflate stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

export interface GzipBody {
  /** The body to send, in order; shared pieces are the same buffers for every page. */
  readonly pieces: readonly Buffer[];
  readonly length: number;
  /** Bytes of this page's own pieces (what caching it costs beyond the shared ones). */
  readonly ownBytes: number;
}

/** Gzips a page given as parts, reusing the compressed form of its shared parts. */
export async function gzipParts(parts: readonly Buffer[]): Promise<GzipBody> {
  let crc = 0;
  let length = 0;
  const slots: Array<Buffer | Promise<Buffer>> = [];
  let run: Buffer[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const own = run.length === 1 ? (run[0] as Buffer) : Buffer.concat(run);
    slots.push(deflateRaw(own, { level: DEFLATE_LEVEL, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
    run = [];
  };
  for (const part of parts) {
    crc = zlib.crc32(part, crc);
    length += part.length;
    if (isShared(part)) {
      flush();
      slots.push(sharedPiece(part));
    } else if (part.length > 0) run.push(part);
  }
  flush();
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 0x1_0000_0000, 4);
  const pieces: Buffer[] = [HEADER];
  let ownBytes = HEADER.length + FINAL_BLOCK.length + trailer.length;
  for (const slot of slots) {
    if (Buffer.isBuffer(slot)) pieces.push(slot);
    else {
      const piece = await slot;
      ownBytes += piece.length;
      pieces.push(piece);
    }
  }
  pieces.push(FINAL_BLOCK, trailer);
  let total = 0;
  for (const p of pieces) total += p.length;
  return { pieces, length: total, ownBytes };
}
