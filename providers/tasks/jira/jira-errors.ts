// Jira failures as AidevErrors (what failed, where in config, how to fix), and the bounded Retry-After loop for 429s
// (jira.js never retries a 429 itself).
import {
  isApiError,
  isAuthError,
  isForbiddenError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isSchemaMismatchError,
  isScopeError,
} from 'jira.js';
import { AidevError } from '../../../src/core/errors.js';

export interface JiraErrorContext {
  /** e.g. `read PROJ-1`. */
  action: string;
  /** The config block, e.g. `tasks.jira`. */
  path: string;
  site: string;
  deployment: 'cloud' | 'data_center';
  /** The issue key, when a 404 means "no such issue". */
  issue?: string | undefined;
}

export function jiraError(error: unknown, at: JiraErrorContext): AidevError {
  if (error instanceof AidevError) return error;
  const fail = (message: string, hint: string, details?: Record<string, unknown>) =>
    new AidevError('PROVIDER_ERROR', `Jira: cannot ${at.action}: ${message}`, {
      hint,
      cause: error,
      details,
    });
  if (isNetworkError(error))
    return fail(
      `${at.site} is not reachable (${error.message})`,
      `check ${at.path}.url and your network or proxy`,
    );
  if (isSchemaMismatchError(error))
    return fail(
      `the answer did not match Jira's documented shape (${error.message})`,
      `is ${at.path}.url a Jira site?`,
    );
  if (!isApiError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(message, `check ${at.path} in .aidevrc.yaml`);
  }
  // The predicates narrow to sibling classes; read the facts once so later checks are not narrowed to never.
  const facts = error as { status: number; body: unknown; retryAfterMs?: number };
  const kind: unknown = error;
  const said = describeBody(facts.body);
  const details = { status: facts.status };
  if (isScopeError(kind))
    return fail(
      `the token lacks a scope this needs (401 ${said})`,
      'use an API token without scopes, or grant read:jira-work and write:jira-work',
      details,
    );
  if (isAuthError(kind))
    return fail(
      `Jira refused the credentials (401)`,
      at.deployment === 'cloud'
        ? `set JIRA_EMAIL and JIRA_API_TOKEN (or ${at.path}.email / api_token) to your Atlassian account email and an API token from https://id.atlassian.com/manage-profile/security/api-tokens`
        : `set JIRA_PAT (or ${at.path}.pat) to a valid personal access token (Jira profile → Personal Access Tokens)`,
      details,
    );
  if (isForbiddenError(kind))
    return fail(
      `permission denied (403${said ? `: ${said}` : ''})`,
      'the account needs Browse projects, Create/Edit issues, Transition issues and Add comments in the project',
      details,
    );
  if (isNotFoundError(kind)) {
    if (at.issue)
      return new AidevError(
        'TASK_NOT_FOUND',
        `Jira issue ${at.issue} does not exist, or this account cannot see it`,
        {
          hint: `check the key (list issues with \`aidev tasks list\`) and that the account can browse its project at ${at.site}`,
          cause: error,
          details,
        },
      );
    return fail(
      `not found (404${said ? `: ${said}` : ''})`,
      `check ${at.path}.url (${at.site}) and ${at.path}.deployment`,
      details,
    );
  }
  if (isRateLimitError(kind)) {
    const wait = facts.retryAfterMs ? ` in ${Math.ceil(facts.retryAfterMs / 1000)}s` : ' later';
    return fail(
      'rate limited (429)',
      `Jira asked to slow down; try again${wait} (\`aidev resume\` continues a run)`,
      details,
    );
  }
  if (facts.status === 400)
    return fail(
      `Jira refused it (400 ${said})`,
      `check the fields Jira names against ${at.path} (project, issue_types, custom_fields)`,
      details,
    );
  return fail(
    `Jira answered ${facts.status}${said ? ` ${said}` : ''}`,
    'retry later; if it persists, check the Jira status page',
    details,
  );
}

/** Jira's `{errorMessages: [], errors: {field: message}}` as one line. */
export function describeBody(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (!body || typeof body !== 'object') return '';
  const { errorMessages, errors } = body as { errorMessages?: unknown; errors?: unknown };
  const parts = [
    ...(Array.isArray(errorMessages) ? errorMessages.map(String) : []),
    ...(errors && typeof errors === 'object'
      ? Object.entries(errors as Record<string, unknown>).map(
          ([field, message]) => `${field}: ${String(message)}`,
        )
      : []),
  ];
  return parts.join('; ');
}

export interface RetryPolicy {
  retries: number;
  /** Waits longer than this are not sat out; the error goes up with the time to retry. */
  maxWaitMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (ms: number, attempt: number) => void;
}

export async function withRateLimitRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await abortable(call(), signal);
    } catch (error) {
      if (!isRateLimitError(error) || attempt >= policy.retries) throw error;
      // Without Retry-After, back off 1 s, 2 s, 4 s…
      const wait = error.retryAfterMs ?? 1000 * 2 ** attempt;
      if (wait > policy.maxWaitMs) throw error;
      policy.onRetry?.(wait, attempt + 1);
      await policy.sleep(wait, signal);
    }
  }
}

/** jira.js takes no AbortSignal: stop waiting for the answer when the signal fires (the request itself runs on). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolveCall, reject) => {
    const onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolveCall, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolveSleep, reject) => {
    const timer = setTimeout(resolveSleep, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      },
      { once: true },
    );
  });
}
