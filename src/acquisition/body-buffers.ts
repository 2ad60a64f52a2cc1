/**
 * Where a download gathers its decompressed bytes until they are decoded, from a small pool of
 * reusable buffers.
 *
 * Gathering in fresh buffers made a checker under load carry tens of megabytes of dead ones: a
 * download lasts long enough for its buffers to outlive the young generation, and V8 frees what
 * an old buffer holds only at its next full collection. A pooled buffer is taken for each
 * download and given back once the body is decoded (decoding copies it into a string), so the
 * memory a checker holds for bodies stays at about one buffer per download in flight.
 */

/** A growing run of bytes in a pooled buffer; `release` hands the buffer back. */
export interface BodyBytes {
  append(chunk: Uint8Array): void;
  /** The bytes so far: valid until `release`. */
  bytes(): Buffer;
  readonly length: number;
  /** Gives the buffer back to the pool; the bytes must not be used afterwards. */
  release(): void;
}

export interface BodyBuffers {
  take(): BodyBytes;
  /** Buffers waiting in the pool (for tests and metrics). */
  readonly idle: number;
}

export interface BodyBuffersOptions {
  /** Size of a pooled buffer; a body that outgrows it moves to a larger one that is not kept. */
  readonly size?: number;
  /** Most buffers kept idle. */
  readonly keep?: number;
}

export function createBodyBuffers(opts: BodyBuffersOptions = {}): BodyBuffers {
  const size = opts.size ?? 512 * 1024;
  const keep = opts.keep ?? 64;
  const idle: Buffer[] = [];

  const giveBack = (buf: Buffer) => {
    if (buf.length === size && idle.length < keep) idle.push(buf);
  };

  return {
    get idle() {
      return idle.length;
    },
    take() {
      let buf: Buffer | null = idle.pop() ?? Buffer.allocUnsafeSlow(size);
      let length = 0;
      const live = (): Buffer => {
        if (!buf) throw new Error('body buffer used after release');
        return buf;
      };
      return {
        get length() {
          return length;
        },
        append(chunk) {
          let b = live();
          if (length + chunk.length > b.length) {
            const grown = Buffer.allocUnsafeSlow(Math.max(b.length * 2, length + chunk.length));
            b.copy(grown, 0, 0, length);
            giveBack(b);
            buf = b = grown;
          }
          b.set(chunk, length);
          length += chunk.length;
        },
        bytes() {
          return live().subarray(0, length);
        },
        release() {
          if (buf) giveBack(buf);
          buf = null;
        },
      };
    },
  };
}
