// Confluence's words for the shared docs error mapping: which credential, which permission, which setting.
import { AidevError, isAidevError } from '../../../src/core/errors.js';
import { RateLimited } from '../../shared/rate-limit.js';
import {
  docsHttpError,
  isNetworkFailure,
  networkError,
  rateLimitedError,
  type VendorHints,
} from '../shared/http-errors.js';

export function confluenceHints(path: string, cloud: boolean, space: string): VendorHints {
  return {
    vendor: 'Confluence',
    path,
    auth: cloud
      ? `check CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN (or JIRA_EMAIL/JIRA_API_TOKEN, or ${path}.email/api_token): make a token at id.atlassian.com → Security → API tokens`
      : `check CONFLUENCE_PAT (or JIRA_PAT, or ${path}.pat): make one in Confluence → Profile → Personal access tokens`,
    forbidden: `the account needs "Add" (pages) and "Add/Delete" (labels) permission in space ${space}, and view access to ${path}.parent_page`,
    notFound: `check ${path}.space (the space key, as in /wiki/spaces/${space}) and ${path}.parent_page (a page id in that space)`,
    conflict:
      'someone edited the page while aidev updated it; run the step again to write over the newer version',
  };
}

/** Seconds to wait when Confluence answered 429, else undefined. */
export function confluenceRetryAfter(error: unknown): number | undefined {
  const e = error as { status?: number; retryAfterMs?: number } | undefined;
  if (e?.status !== 429) return undefined;
  return e.retryAfterMs === undefined ? 1 : Math.ceil(e.retryAfterMs / 1000);
}

export function confluenceError(
  error: unknown,
  action: string,
  hints: VendorHints,
  site: string,
): AidevError {
  if (isAidevError(error)) return error;
  if (error instanceof RateLimited) return rateLimitedError(error, action, hints);
  const e = error as { status?: number; body?: unknown; message?: string; name?: string } | undefined;
  if (typeof e?.status === 'number')
    return docsHttpError({ status: e.status, detail: detailOf(e.body) }, action, hints, error);
  if (isNetworkFailure(error) || e?.name === 'NetworkError') return networkError(action, hints, site, error);
  return new AidevError('PROVIDER_ERROR', `Confluence failed to ${action}: ${e?.message ?? String(error)}`, {
    cause: error,
    hint: `check ${hints.path} and run it again; --verbose shows the cause`,
  });
}

/** v2 answers {errors: [{title, detail}]}, v1 {message}. */
function detailOf(body: unknown): string | undefined {
  const b = body as { errors?: { title?: string; detail?: string }[]; message?: string } | undefined;
  const first = b?.errors?.[0];
  return (first?.detail || first?.title || b?.message)?.slice(0, 300);
}
