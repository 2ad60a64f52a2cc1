/**
 * Seeded randomness for the demo store. Everything the store shows (catalogue, page filler, price
 * moves, fault draws) comes from here so that one seed always yields the same store: tests can
 * assert exact values and two runs of a benchmark measure the same pages. Math.random is never
 * used.
 */

/** Murmur3's 32-bit finaliser: spreads every input bit over the whole output. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of a string (FNV-1a, then finalised so that similar strings land far apart). */
export function hashString(s: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Combines integers into one well-mixed 32-bit value: the key of a stateless random draw. */
export function mix(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) h = fmix32((h ^ (p >>> 0)) + 0x7f4a7c15 + (h << 6) + (h >>> 2));
  return h;
}

/** A draw in [0, 1) from a mixed key, for decisions that must not depend on call order. */
export function unit(key: number): number {
  return key / 0x1_0000_0000;
}

export interface Rng {
  /** Next 32-bit unsigned integer. */
  u32(): number;
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/**
 * A small sequential generator (a Weyl sequence fed through fmix32, like SplitMix). Period 2^32 is
 * plenty for a few thousand products and a page's filler.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const u32 = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    return fmix32(state);
  };
  const next = (): number => u32() / 0x1_0000_0000;
  return {
    u32,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
  };
}
