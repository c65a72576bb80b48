// Retry as data: a RetryPolicy from the workflow drives p-retry. Codes that retrying cannot fix (a person said no,
// the budget is spent, the run was interrupted) never retry, whatever the policy says.
import pRetry from 'p-retry';
import type { AidevError } from '../errors.js';
import { toAidevError } from '../errors.js';
import type { RetryPolicy } from './types.js';

const NEVER_RETRY = new Set([
  'INTERRUPTED',
  'APPROVAL_REQUIRED',
  'REJECTED',
  'BUDGET_EXCEEDED',
  'POLICY_DENIED',
  'WORKFLOW_INVALID',
  'USAGE',
  'CONFIG_INVALID',
  'ENV_MISSING',
]);

export function isRetryable(error: AidevError, policy: RetryPolicy): boolean {
  if (NEVER_RETRY.has(error.code) || policy.nonRetryable.includes(error.code)) return false;
  return error.details?.nonRetryable !== true;
}

export async function withRetry<T>(
  policy: RetryPolicy | undefined,
  signal: AbortSignal,
  attempt: (n: number) => Promise<T>,
  onFailedAttempt?: (error: AidevError, attempt: number, delayMs: number) => void,
): Promise<T> {
  const once = async (n: number): Promise<T> => {
    try {
      return await attempt(n);
    } catch (error) {
      throw toAidevError(error, 'STEP_FAILED');
    }
  };
  if (!policy || policy.maxAttempts <= 1) return once(1);
  return pRetry(once, {
    retries: policy.maxAttempts - 1,
    factor: policy.backoffCoefficient,
    minTimeout: policy.initialInterval,
    maxTimeout: policy.maxInterval,
    randomize: false,
    signal,
    shouldRetry: ({ error }) => isRetryable(toAidevError(error), policy),
    onFailedAttempt: ({ error, attemptNumber, retriesLeft, retryDelay }) => {
      const e = toAidevError(error);
      if (retriesLeft > 0 && isRetryable(e, policy)) onFailedAttempt?.(e, attemptNumber, retryDelay);
    },
  });
}
