import { describe, expect, it, vi } from 'vitest';
import { createHostLimits } from './limits.js';

describe('host limits', () => {
  it('keeps at most `concurrency` requests in flight per host, in arrival order', async () => {
    const limits = createHostLimits({
      concurrency: 2,
      ratePerSecond: 1000,
      coolDownMs: 1000,
      maxCoolDownMs: 8000,
    });
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const waits = [1, 2, 3, 4].map((n) =>
      limits.acquire('www.amazon.de').then((release) => {
        order.push(n);
        releases.push(release);
      }),
    );
    await new Promise((r) => setImmediate(r)); // let granted slots run
    expect(order).toEqual([1, 2]);
    releases[0]?.();
    await new Promise((r) => setImmediate(r)); // let granted slots run
    expect(order).toEqual([1, 2, 3]);
    // Another host is not held up by this one.
    const other = await limits.acquire('www.amazon.fr');
    other();
    releases[1]?.();
    releases[1]?.(); // releasing twice gives back one slot only
    await Promise.all(waits);
    expect(order).toEqual([1, 2, 3, 4]);
    limits.close();
  });

  it('starts at most `ratePerSecond` requests per second per host', async () => {
    vi.useFakeTimers();
    try {
      const limits = createHostLimits({
        concurrency: 100,
        ratePerSecond: 5,
        coolDownMs: 1000,
        maxCoolDownMs: 8000,
      });
      let started = 0;
      for (let i = 0; i < 10; i++) {
        void limits.acquire('h').then((release) => {
          started++;
          release();
        });
      }
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toBe(5); // the bucket starts full
      await vi.advanceTimersByTimeAsync(199);
      expect(started).toBe(5);
      await vi.advanceTimersByTimeAsync(1);
      expect(started).toBe(6); // then one every 200 ms
      await vi.advanceTimersByTimeAsync(800);
      expect(started).toBe(10);
      limits.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets a slow rate (under one a second) and a per-key rate through', async () => {
    vi.useFakeTimers();
    try {
      const limits = createHostLimits({
        concurrency: 10,
        ratePerSecond: 100,
        rateFor: (key) => (key === 'api' ? 0.5 : undefined),
        coolDownMs: 1000,
        maxCoolDownMs: 1000,
      });
      let started = 0;
      for (let i = 0; i < 3; i++) void limits.acquire('api').then((r) => (started++, r()));
      await vi.advanceTimersByTimeAsync(0);
      expect(started).toBe(1);
      await vi.advanceTimersByTimeAsync(2000);
      expect(started).toBe(2);
      await vi.advanceTimersByTimeAsync(2000);
      expect(started).toBe(3);
      limits.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('cools a host down for longer with each blocked answer, and resets after a good one', () => {
    let t = 0;
    const limits = createHostLimits({
      concurrency: 1,
      ratePerSecond: 1,
      coolDownMs: 1000,
      maxCoolDownMs: 3000,
      now: () => t,
    });
    expect(limits.coolingUntil('h')).toBe(0);
    expect(limits.reportBlocked('h')).toBe(1000);
    expect(limits.coolingUntil('h')).toBe(1000);
    t = 1000;
    expect(limits.coolingUntil('h')).toBe(0);
    expect(limits.reportBlocked('h')).toBe(3000); // 2 s
    t = 3000;
    expect(limits.reportBlocked('h')).toBe(6000); // capped at 3 s
    limits.reportOk('h');
    t = 6000;
    expect(limits.reportBlocked('h')).toBe(7000);
    expect(limits.coolingUntil('other')).toBe(0);
  });

  it('gives up waiting when the request is aborted', async () => {
    const limits = createHostLimits({
      concurrency: 1,
      ratePerSecond: 100,
      coolDownMs: 1,
      maxCoolDownMs: 1,
    });
    const first = await limits.acquire('h');
    const ac = new AbortController();
    const waiting = limits.acquire('h', ac.signal);
    ac.abort(new Error('timed out'));
    await expect(waiting).rejects.toThrow('timed out');
    first();
    const next = await limits.acquire('h');
    next();
    limits.close();
  });
});
