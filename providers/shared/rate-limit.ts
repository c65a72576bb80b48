// A bounded retry for vendor rate limits that name their own wait (Retry-After, retry_after). A small loop rather than
// p-retry: the wait comes from each response, not from a backoff curve, and a wait over the cap fails at once.
import { setTimeout as sleep } from 'node:timers/promises';

export interface RateLimitPolicy {
  /** Tries in all, the first included. */
  maxAttempts: number;
  /** The longest wait honoured; a server asking for more fails now instead of hanging a run. */
  maxWaitSeconds: number;
}

export const defaultRateLimitPolicy: RateLimitPolicy = { maxAttempts: 3, maxWaitSeconds: 60 };

/** Thrown (and returned by `fn` through `limitedFor`) to say: rate limited, wait this long. */
export class RateLimited extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    readonly attempts = 1,
  ) {
    super(`rate limited: retry after ${retryAfterSeconds}s`);
  }
}

/**
 * Runs `fn`, and while it throws an error `limitedFor` maps to a wait, sleeps that long and tries again, up to the policy.
 * The last rate-limit error is rethrown as `RateLimited` with the attempts made, for the caller's AidevError.
 */
export async function withRateLimit<T>(
  fn: () => Promise<T>,
  limitedFor: (error: unknown) => number | undefined,
  policy: RateLimitPolicy = defaultRateLimitPolicy,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const wait = limitedFor(error);
      if (wait === undefined) throw error;
      if (attempt >= policy.maxAttempts || wait > policy.maxWaitSeconds) throw new RateLimited(wait, attempt);
      await sleep(Math.max(0, wait) * 1000, undefined, { signal });
    }
  }
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date; a missing or odd value means one second. */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number {
  if (!value) return 1;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? 1 : Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
