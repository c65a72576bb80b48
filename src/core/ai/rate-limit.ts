// Per-provider request limits shared by every run in the process: at most `concurrency` calls in flight, and a token
// bucket of `requestsPerMinute` that refills continuously. Clock and sleep are injected so tests never wait.
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { Clock } from '../runtime.js';
import { systemClock } from '../runtime.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RateLimiter {
  /** Runs `fn` once a concurrency slot and a request token are free. */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  readonly inFlight: number;
}

export interface RateLimitOptions {
  concurrency: number;
  requestsPerMinute: number;
  clock?: Clock | undefined;
  sleep?: Sleep | undefined;
}

const defaultSleep: Sleep = async (ms, signal) => {
  await sleepFor(ms, undefined, signal ? { signal } : undefined);
};

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? defaultSleep;
  const capacity = Math.max(1, options.requestsPerMinute);
  const perMs = options.requestsPerMinute / 60_000;
  let tokens = capacity;
  let refilledAt = clock.now().getTime();
  let inFlight = 0;
  const waiting: (() => void)[] = [];

  const refill = (): void => {
    const now = clock.now().getTime();
    tokens = Math.min(capacity, tokens + (now - refilledAt) * perMs);
    refilledAt = now;
  };

  async function takeSlot(signal?: AbortSignal): Promise<void> {
    while (inFlight >= options.concurrency) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = (): void => {
          const at = waiting.indexOf(wake);
          if (at >= 0) waiting.splice(at, 1);
          reject(signal?.reason as Error);
        };
        waiting.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    inFlight++;
  }

  function freeSlot(): void {
    inFlight--;
    waiting.shift()?.();
  }

  async function takeToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await sleep(Math.ceil((1 - tokens) / perMs), signal);
    }
  }

  return {
    get inFlight() {
      return inFlight;
    },
    async run(fn, signal) {
      await takeSlot(signal);
      try {
        await takeToken(signal);
        return await fn();
      } finally {
        freeSlot();
      }
    },
  };
}

const shared = new Map<string, { limiter: RateLimiter; key: string }>();

/** One limiter per provider id for the whole process, so parallel runs share the provider's limits. */
export function sharedRateLimiter(providerId: string, options: RateLimitOptions): RateLimiter {
  const key = `${options.concurrency}/${options.requestsPerMinute}`;
  const existing = shared.get(providerId);
  if (existing && existing.key === key) return existing.limiter;
  const limiter = createRateLimiter(options);
  shared.set(providerId, { limiter, key });
  return limiter;
}
