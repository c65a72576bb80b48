// A fetch wrapper for the model SDKs: they honour `retry-after` on 429/529/5xx, but would wait as long as a server
// asks (an hour, say). This caps the wait the SDK sees, and logs what the server asked for.
import type { Logger } from '../../../providers/types.js';
import type { Clock } from '../runtime.js';

export const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;

export interface CappedRetryFetchOptions {
  /** Longest wait honoured; longer retry-after values are cut to this. */
  maxDelayMs: number;
  label: string;
  logger?: Logger | undefined;
  clock: Clock;
  fetch?: typeof fetch | undefined;
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** The wait a response asks for, in ms: `retry-after-ms`, else `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers, now: Date): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? date - now.getTime() : undefined;
}

export function cappedRetryFetch(options: CappedRetryFetchOptions): typeof fetch {
  const inner = options.fetch ?? globalThis.fetch;
  return async (input, init) => {
    const response = await inner(input, init);
    if (!isRetryable(response.status)) return response;
    const asked = retryAfterMs(response.headers, options.clock.now());
    if (asked === undefined) {
      options.logger?.debug(
        `${options.label}: HTTP ${response.status}, no retry-after; the SDK backs off on its own`,
      );
      return response;
    }
    const wait = Math.max(0, Math.min(asked, options.maxDelayMs));
    options.logger?.debug(
      `${options.label}: HTTP ${response.status}, retry-after ${(asked / 1000).toFixed(3)}s` +
        (wait < asked ? ` (capped to ${(wait / 1000).toFixed(3)}s)` : ''),
    );
    if (wait === asked) return response;
    const headers = new Headers(response.headers);
    headers.set('retry-after-ms', String(wait));
    headers.set('retry-after', String(wait / 1000));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** Test and wiring seams of the SDK-backed model providers; the registry passes none. */
export interface AiProviderOptions {
  fetch?: typeof fetch | undefined;
  /** Longest retry-after honoured (default 60 s). */
  maxRetryDelayMs?: number | undefined;
  timeoutMs?: number | undefined;
}

/** The transport options both model SDKs take: their own retries, capped retry-after waits, and our logger. */
export function sdkTransport(
  label: string,
  maxRetries: number,
  ctx: { logger: Logger; runtime: { clock: Clock } },
  options: AiProviderOptions,
) {
  const { logger } = ctx;
  return {
    maxRetries,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
    fetch: cappedRetryFetch({
      maxDelayMs: options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
      label,
      logger,
      clock: ctx.runtime.clock,
      fetch: options.fetch,
    }),
    logLevel: 'warn' as const,
    logger: {
      error: (message: string) => logger.error(message),
      warn: (message: string) => logger.warn(message),
      info: (message: string) => logger.debug(message),
      debug: (message: string) => logger.debug(message),
    },
  };
}
