// Notion's words for the shared docs error mapping, read from the SDK's APIResponseError (duck-typed, so this file
// never loads the SDK): which token, which sharing step, which setting.
import { AidevError, isAidevError } from '../../../src/core/errors.js';
import { parseRetryAfter, RateLimited } from '../../shared/rate-limit.js';
import {
  docsHttpError,
  isNetworkFailure,
  networkError,
  rateLimitedError,
  type VendorHints,
} from '../shared/http-errors.js';

interface NotionErrorLike {
  status?: number;
  code?: string;
  message?: string;
  headers?: { get?(name: string): string | null };
}

export function notionHints(path: string, target: string): VendorHints {
  return {
    vendor: 'Notion',
    path,
    auth: `check NOTION_TOKEN (or ${path}.token): the integration's secret from notion.so/profile/integrations`,
    forbidden: `the integration needs "Insert content", "Update content" and "Read content" capabilities, and ${target} must be shared with it (… menu → Connections)`,
    notFound: `check ${path}.${target.startsWith('database') ? 'database' : 'parent_page'} and share it with the integration (… menu → Connections); Notion answers 404 for pages it was not shared`,
    conflict: 'Notion saw a data collision (someone edited the page at the same time); run the step again',
  };
}

export function notionRetryAfter(error: unknown): number | undefined {
  const e = error as NotionErrorLike | undefined;
  if (e?.status !== 429 && e?.code !== 'rate_limited') return undefined;
  return parseRetryAfter(e.headers?.get?.('retry-after'));
}

export function isNotionConflict(error: unknown): boolean {
  const e = error as NotionErrorLike | undefined;
  return e?.status === 409 || e?.code === 'conflict_error';
}

export function notionError(error: unknown, action: string, hints: VendorHints, baseUrl: string): AidevError {
  if (isAidevError(error)) return error;
  if (error instanceof RateLimited) return rateLimitedError(error, action, hints);
  const e = error as NotionErrorLike | undefined;
  if (typeof e?.status === 'number') {
    if (e.status === 400 && /property/i.test(e.message ?? ''))
      return new AidevError(
        'PROVIDER_ERROR',
        `Notion rejected the page properties while trying to ${action}: ${e.message}`,
        {
          cause: error,
          details: { path: hints.path, status: 400 },
          hint: `the database needs a Text property named as ${hints.path}.key_property (default "aidev key"), and ${hints.path}.properties must match its columns`,
        },
      );
    return docsHttpError({ status: e.status, detail: e.message }, action, hints, error);
  }
  if (isNetworkFailure(error) || e?.code === 'notionhq_client_request_timeout')
    return networkError(action, hints, baseUrl, error);
  return new AidevError('PROVIDER_ERROR', `Notion failed to ${action}: ${e?.message ?? String(error)}`, {
    cause: error,
    hint: `check ${hints.path} and run it again; --verbose shows the cause`,
  });
}
