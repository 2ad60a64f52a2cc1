import { describe, expect, it } from 'vitest';
import { createBodyBuffers } from './body-buffers.js';

const bytes = (n: number, from = 0) => Uint8Array.from({ length: n }, (_, i) => (from + i) % 251);

describe('body buffers', () => {
  it('gathers chunks in order, also past the pooled size', () => {
    const pool = createBodyBuffers({ size: 16, keep: 4 });
    const body = pool.take();
    const expected: number[] = [];
    for (let i = 0; i < 7; i++) {
      const chunk = bytes(5 + i, i * 10);
      body.append(chunk);
      expected.push(...chunk);
    }
    expect(body.length).toBe(expected.length);
    expect([...body.bytes()]).toEqual(expected);
  });

  it('hands a released buffer to the next download instead of allocating one', () => {
    const pool = createBodyBuffers({ size: 16, keep: 4 });
    const first = pool.take();
    first.append(bytes(10));
    const underlying = first.bytes().buffer;
    first.release();
    expect(pool.idle).toBe(1);
    const second = pool.take();
    expect(pool.idle).toBe(0);
    second.append(bytes(3, 100));
    expect(second.bytes().buffer).toBe(underlying);
    expect([...second.bytes()]).toEqual([...bytes(3, 100)]);
  });

  it('keeps neither a buffer grown past the pooled size nor more than `keep`', () => {
    const pool = createBodyBuffers({ size: 16, keep: 2 });
    const grown = pool.take();
    grown.append(bytes(40));
    // Growing gave the original 16-byte buffer back; the 40-byte one is not kept.
    expect(pool.idle).toBe(1);
    grown.release();
    expect(pool.idle).toBe(1);
    const held = [pool.take(), pool.take(), pool.take()];
    for (const b of held) b.release();
    expect(pool.idle).toBe(2);
  });

  it('refuses use after release', () => {
    const body = createBodyBuffers({ size: 16 }).take();
    body.release();
    expect(() => body.bytes()).toThrow(/after release/);
    expect(() => body.append(bytes(1))).toThrow(/after release/);
  });
});
