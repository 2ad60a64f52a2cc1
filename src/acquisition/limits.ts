/**
 * Per-host politeness: at most `concurrency` requests in flight and `ratePerSecond` started per
 * second for each key (a host, or a host through one proxy), waiting in arrival order; and a
 * cool-down that grows while a host keeps answering with captchas and ends after a good answer.
 */

interface HostState {
  readonly rate: number;
  inFlight: number;
  tokens: number;
  refilledAt: number;
  readonly waiting: Array<() => void>;
  blockedStreak: number;
  coolUntil: number;
  timer?: NodeJS.Timeout | undefined;
}

export interface HostLimits {
  /** Waits for a slot for `key`; the returned function gives it back. */
  acquire(key: string, signal?: AbortSignal): Promise<() => void>;
  /** Until when `key` is cooling down (epoch ms), or 0. */
  coolingUntil(key: string): number;
  /** The store answered with a captcha or block: back off from it, longer each time. */
  reportBlocked(key: string): number;
  /** A good answer: the streak ends. */
  reportOk(key: string): void;
  close(): void;
}

export interface HostLimitOptions {
  readonly concurrency: number;
  readonly ratePerSecond: number;
  /** First cool-down; doubles with each further blocked answer, up to `maxCoolDownMs`. */
  readonly coolDownMs: number;
  readonly maxCoolDownMs: number;
  /** A different rate for some keys (an API with its own quota). */
  readonly rateFor?: (key: string) => number | undefined;
  readonly now?: () => number;
}

export function createHostLimits(opts: HostLimitOptions): HostLimits {
  const now = opts.now ?? Date.now;
  const hosts = new Map<string, HostState>();

  const state = (key: string): HostState => {
    let s = hosts.get(key);
    if (!s) {
      const rate = opts.rateFor?.(key) ?? opts.ratePerSecond;
      s = {
        rate,
        inFlight: 0,
        tokens: Math.max(1, rate),
        refilledAt: now(),
        waiting: [],
        blockedStreak: 0,
        coolUntil: 0,
      };
      hosts.set(key, s);
    }
    return s;
  };

  const refill = (s: HostState) => {
    const t = now();
    // The bucket holds at least one token, so rates under one a second still let requests through.
    s.tokens = Math.min(Math.max(1, s.rate), s.tokens + ((t - s.refilledAt) / 1000) * s.rate);
    s.refilledAt = t;
  };

  // Lets waiting requests go while there is a free slot and a token; otherwise schedules itself
  // for when the next token is due.
  const pump = (s: HostState) => {
    refill(s);
    while (s.waiting.length > 0 && s.inFlight < opts.concurrency && s.tokens >= 1) {
      s.tokens -= 1;
      s.inFlight++;
      s.waiting.shift()?.();
    }
    if (s.waiting.length > 0 && s.inFlight < opts.concurrency && !s.timer) {
      const wait = Math.ceil(((1 - s.tokens) / s.rate) * 1000);
      s.timer = setTimeout(() => {
        s.timer = undefined;
        pump(s);
      }, wait);
    }
  };

  return {
    acquire(key, signal) {
      const s = state(key);
      return new Promise((resolve, reject) => {
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          s.inFlight--;
          pump(s);
        };
        const go = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        };
        const onAbort = () => {
          const i = s.waiting.indexOf(go);
          if (i >= 0) s.waiting.splice(i, 1);
          reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        s.waiting.push(go);
        pump(s);
      });
    },
    coolingUntil(key) {
      const until = hosts.get(key)?.coolUntil ?? 0;
      return until > now() ? until : 0;
    },
    reportBlocked(key) {
      const s = state(key);
      const ms = Math.min(opts.maxCoolDownMs, opts.coolDownMs * 2 ** s.blockedStreak);
      s.blockedStreak++;
      s.coolUntil = Math.max(s.coolUntil, now() + ms);
      return s.coolUntil;
    },
    reportOk(key) {
      const s = hosts.get(key);
      if (s) s.blockedStreak = 0;
    },
    close() {
      for (const s of hosts.values()) if (s.timer) clearTimeout(s.timer);
    },
  };
}
