import { describe, expect, it } from 'vitest';
import { settableClock } from '../../../test/helpers/ai-kit.js';
import { createRateLimiter, sharedRateLimiter } from './rate-limit.js';

function fakeTime() {
  const clock = settableClock('2026-01-01T00:00:00.000Z');
  const sleeps: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    sleeps.push(ms);
    clock.advance(ms);
    return Promise.resolve();
  };
  return { clock, sleeps, sleep };
}

describe('createRateLimiter', () => {
  it('never has more than `concurrency` calls in flight', async () => {
    const { clock, sleep } = fakeTime();
    const limiter = createRateLimiter({ concurrency: 2, requestsPerMinute: 1000, clock, sleep });
    let inFlight = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const task = () =>
      limiter.run(async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise<void>((resolve) => gates.push(resolve));
        inFlight--;
      });
    const all = Promise.all([task(), task(), task(), task(), task()]);
    for (let released = 0; released < 5;) {
      await new Promise((r) => setImmediate(r));
      const gate = gates.shift();
      if (gate) {
        gate();
        released++;
      }
    }
    await all;
    expect(peak).toBe(2);
    expect(limiter.inFlight).toBe(0);
  });

  it('spaces requests to the per-minute rate once the burst is spent, using the injected clock', async () => {
    const { clock, sleeps, sleep } = fakeTime();
    const limiter = createRateLimiter({ concurrency: 10, requestsPerMinute: 2, clock, sleep });
    const started: number[] = [];
    for (let i = 0; i < 5; i++)
      await limiter.run(() => Promise.resolve(void started.push(clock.now().getTime())));
    const t0 = started[0]!;
    expect(started.map((t) => t - t0)).toEqual([0, 0, 30_000, 60_000, 90_000]);
    expect(sleeps.every((ms) => ms > 0)).toBe(true);
  });

  it('gives up waiting when the signal aborts, and frees nothing it did not take', async () => {
    const { clock, sleep } = fakeTime();
    const limiter = createRateLimiter({ concurrency: 1, requestsPerMinute: 100, clock, sleep });
    let release!: () => void;
    const holder = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    const controller = new AbortController();
    const waiter = limiter.run(() => Promise.resolve('ran'), controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiter).rejects.toThrow('stop');
    release();
    await holder;
    expect(limiter.inFlight).toBe(0);
    await expect(limiter.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('releases the slot when the call throws', async () => {
    const limiter = createRateLimiter({ concurrency: 1, requestsPerMinute: 100 });
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limiter.inFlight).toBe(0);
  });

  it('shares one limiter per provider in the process', () => {
    const a = sharedRateLimiter('anthropic-test', { concurrency: 2, requestsPerMinute: 10 });
    expect(sharedRateLimiter('anthropic-test', { concurrency: 2, requestsPerMinute: 10 })).toBe(a);
    expect(sharedRateLimiter('openai-test', { concurrency: 2, requestsPerMinute: 10 })).not.toBe(a);
  });
});
