// One mapping from a docs vendor's HTTP failure to an AidevError that says what failed, which config path is involved
// and how to fix it. Each provider supplies the vendor words (which permission, which setting); the status logic and
// the bounded Retry-After wait live here once.
import { AidevError, isAidevError } from '../../../src/core/errors.js';
import type { RateLimited } from '../../shared/rate-limit.js';

export interface HttpFailure {
  status: number;
  /** The vendor's own message, when its body had one. */
  detail?: string | undefined;
}

export interface VendorHints {
  vendor: string;
  /** The settings block, e.g. `docs.confluence`. */
  path: string;
  /** 401: which credential, and where to make one. */
  auth: string;
  /** 403: the permission the integration needs. */
  forbidden: string;
  /** 404: what to check (space, parent page, database), by config key. */
  notFound: string;
  /** 409: what a conflict means here. */
  conflict?: string;
}

export function docsHttpError(
  failure: HttpFailure,
  action: string,
  hints: VendorHints,
  cause?: unknown,
): AidevError {
  const detail = failure.detail ? `: ${failure.detail}` : '';
  const base = { cause, details: { path: hints.path, status: failure.status } };
  switch (failure.status) {
    case 401:
      return new AidevError(
        'PROVIDER_ERROR',
        `${hints.vendor} rejected the credentials while trying to ${action}${detail}`,
        {
          ...base,
          hint: hints.auth,
        },
      );
    case 403:
      return new AidevError(
        'PROVIDER_ERROR',
        `${hints.vendor} refused to ${action} (permission denied)${detail}`,
        {
          ...base,
          hint: hints.forbidden,
        },
      );
    case 404:
      return new AidevError(
        'PROVIDER_ERROR',
        `${hints.vendor} could not find what ${hints.path} names while trying to ${action}${detail}`,
        {
          ...base,
          hint: hints.notFound,
        },
      );
    case 409:
      return new AidevError(
        'PROVIDER_ERROR',
        `${hints.vendor} reported a conflict while trying to ${action}${detail}`,
        {
          ...base,
          hint: hints.conflict ?? 'someone changed the page at the same time; run the step again',
        },
      );
    case 429:
      return new AidevError(
        'PROVIDER_ERROR',
        `${hints.vendor} rate limit while trying to ${action}${detail}`,
        {
          ...base,
          hint: `${hints.vendor} asked to slow down; run it again in a minute`,
        },
      );
    default:
      return new AidevError(
        'PROVIDER_ERROR',
        `${hints.vendor} answered ${failure.status} while trying to ${action}${detail}`,
        {
          ...base,
          hint:
            failure.status >= 500
              ? `${hints.vendor} had a server error; run it again later`
              : `check the settings under ${hints.path}`,
        },
      );
  }
}

/** A rate limit that outlasted the bounded wait, as an AidevError naming the wait asked for. */
export function rateLimitedError(error: RateLimited, action: string, hints: VendorHints): AidevError {
  return new AidevError(
    'PROVIDER_ERROR',
    `${hints.vendor} rate limit while trying to ${action} (${error.attempts} tries)`,
    {
      cause: error,
      details: { path: hints.path, status: 429 },
      hint: `${hints.vendor} asked to wait ${error.retryAfterSeconds}s; run it again later`,
    },
  );
}

export function isNetworkFailure(error: unknown): boolean {
  const code = (error as { cause?: { code?: string }; code?: string } | undefined)?.cause?.code;
  return (
    !isAidevError(error) &&
    typeof code === 'string' &&
    /^(ECONNREFUSED|ENOTFOUND|ECONNRESET|ETIMEDOUT|EAI_AGAIN)$/.test(code)
  );
}

export function networkError(
  action: string,
  hints: VendorHints,
  baseUrl: string,
  cause: unknown,
): AidevError {
  return new AidevError(
    'PROVIDER_ERROR',
    `cannot reach ${hints.vendor} at ${baseUrl} while trying to ${action}`,
    {
      cause,
      details: { path: hints.path },
      hint: `check ${hints.path}.base_url (or url) and the network`,
    },
  );
}

/** A wait or request cut short by the run's signal (SIGINT, a step timeout) is an interruption, not a vendor error. */
export function interruptedError(
  action: string,
  signal: AbortSignal | undefined,
  cause: unknown,
): AidevError | null {
  if (!signal?.aborted) return null;
  return new AidevError('INTERRUPTED', `interrupted while trying to ${action}`, { cause });
}
