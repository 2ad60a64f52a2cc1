/**
 * Identifiers the store derives from a product's index and back, with no table: ASINs, short-link
 * codes and wishlist ids. A keyed permutation of [0, 2^40) turns consecutive indices into
 * scattered, unique numbers (so ASINs look random and never collide), and its inverse turns an
 * ASIN back into the index it came from. That is what lets a million-product store answer any
 * product URL without building the catalogue first.
 */
import { mix } from './prng.js';

const HALF_BITS = 20;
const HALF = 2 ** HALF_BITS;
const MASK = HALF - 1;
/** Size of the permuted domain: 2^40, about 1.1e12 products. */
export const ID_SPACE = HALF * HALF;
const ROUNDS = 4;

function roundFn(key: number, round: number, half: number): number {
  return mix(key, round, half) & MASK;
}

/** A bijection of [0, 2^40) keyed by `key`: a four-round Feistel network on two 20-bit halves. */
export function permute(key: number, n: number): number {
  let l = Math.floor(n / HALF);
  let r = n % HALF;
  for (let i = 0; i < ROUNDS; i++) [l, r] = [r, (l ^ roundFn(key, i, r)) >>> 0];
  return l * HALF + r;
}

/** The inverse of `permute` for the same key. */
export function unpermute(key: number, n: number): number {
  let l = Math.floor(n / HALF);
  let r = n % HALF;
  for (let i = ROUNDS - 1; i >= 0; i--) [l, r] = [(r ^ roundFn(key, i, l)) >>> 0, l];
  return l * HALF + r;
}

// Separate keys per kind of id, so that an ASIN and a short code of one product look unrelated.
const ASIN_KEY = 0xa5_1e;
const SHORT_KEY = 0x5_407;

const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function encode(n: number, alphabet: string, width: number): string {
  let s = '';
  const base = alphabet.length;
  for (let i = 0; i < width; i++) {
    s = alphabet[n % base] + s;
    n = Math.floor(n / base);
  }
  return s;
}

function decode(s: string, alphabet: string): number | null {
  let n = 0;
  for (const c of s) {
    const d = alphabet.indexOf(c);
    if (d < 0) return null;
    n = n * alphabet.length + d;
  }
  return n;
}

export const ASIN_PATTERN = /^B0[0-9A-Z]{8}$/;
/** Short-link codes as amzn.to and a.co use them: seven letters and digits. */
export const SHORT_CODE_PATTERN = /^[0-9A-Za-z]{7}$/;

/** The ASIN of product `index` in the store of `seed`: "B0" and eight base-36 characters. */
export function asinOf(seed: number, index: number): string {
  return `B0${encode(permute(mix(seed, ASIN_KEY), index), BASE36, 8)}`;
}

/** The index an ASIN was made from, or null when it is not one of the store's. */
export function indexOfAsin(seed: number, asin: string, count: number): number | null {
  if (!ASIN_PATTERN.test(asin)) return null;
  const n = decode(asin.slice(2), BASE36);
  if (n === null || n >= ID_SPACE) return null;
  const index = unpermute(mix(seed, ASIN_KEY), n);
  return index < count ? index : null;
}

/** The short-link code of product `index` (`/s/{code}`). */
export function shortCodeOf(seed: number, index: number): string {
  return encode(permute(mix(seed, SHORT_KEY), index), BASE62, 7);
}

export function indexOfShortCode(seed: number, code: string, count: number): number | null {
  if (!SHORT_CODE_PATTERN.test(code)) return null;
  const n = decode(code, BASE62);
  if (n === null || n >= ID_SPACE) return null;
  const index = unpermute(mix(seed, SHORT_KEY), n);
  return index < count ? index : null;
}
