/** Small statistics helpers. Timings are floats; nothing here ever touches money. */

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Linear-interpolated quantile (q in 0..1) of a sample; NaN for an empty one. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = s[lo] ?? NaN;
  const b = s[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

export function sum(xs: readonly number[]): number {
  let t = 0;
  for (const x of xs) t += x;
  return t;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : sum(xs) / xs.length;
}

/** CPU time (user + system, every thread of this process) spent in `fn`, in milliseconds. */
export function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** CPU milliseconds since `since` (a process.cpuUsage() reading). */
export function cpuSince(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** Wall-clock milliseconds since `since` (a performance.now() reading). */
export function msSince(since: number): number {
  return performance.now() - since;
}

export function forceGc(): void {
  // Present when run as `node --expose-gc` (npm run bench); a quick `tsx` run simply skips it.
  (globalThis as { gc?: () => void }).gc?.();
}
