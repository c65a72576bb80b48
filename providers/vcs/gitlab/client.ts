// The gitbeaker client for vcs.gitlab, with aidev's own request handler: gitbeaker's default one retries 429 ten times
// within milliseconds and cannot be cancelled per call. Ours fails a 429 at once with its headers (the provider's
// bounded retry reads Retry-After / RateLimit-Reset), aborts with the step's signal, and keeps the body of every error.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequesterFn, type RequestHandlerFn } from '@gitbeaker/requester-utils';
import { Gitlab } from '@gitbeaker/rest';
import { aidevVersion } from '../../../src/core/paths.js';
import { parseRetryAfter } from '../../shared/rate-limit.js';

export const GITLAB_HOST = 'https://gitlab.com';

export type GitlabClient = InstanceType<typeof Gitlab<false>>;

/** A non-2xx answer from GitLab, with what the error mapping needs. */
export class GitlabHttpError extends Error {
  override readonly name = 'GitlabHttpError';
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: unknown,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path}: ${status}`);
  }
}

const callSignal = new AsyncLocalStorage<AbortSignal | undefined>();

/** Runs `fn` with `signal` applied to every GitLab request it makes (gitbeaker takes no per-call signal). */
export function withSignal<T>(signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  return callSignal.run(signal, fn);
}

/** Seconds GitLab asked to wait, for a 429; else undefined. */
export function gitlabRetryAfter(error: unknown, now: Date = new Date()): number | undefined {
  if (!(error instanceof GitlabHttpError) || error.status !== 429) return undefined;
  const retryAfter = error.headers.get('retry-after');
  if (retryAfter) return parseRetryAfter(retryAfter, now);
  const reset = Number(error.headers.get('ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, Math.ceil(reset - now.getTime() / 1000)) : 1;
}

interface HandlerOptions {
  prefixUrl?: string;
  searchParams?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  signal?: AbortSignal;
}

const handle: RequestHandlerFn = async (endpoint, raw) => {
  const options = (raw ?? {}) as HandlerOptions;
  const prefix = options.prefixUrl ?? '';
  const url = new URL(endpoint, prefix.endsWith('/') ? prefix : `${prefix}/`);
  url.search = options.searchParams ?? '';
  const method = options.method ?? 'GET';
  const signals = [callSignal.getStore(), options.signal].filter((s): s is AbortSignal => s !== undefined);
  const response = await fetch(url, {
    method,
    headers: { ...options.headers, 'user-agent': `aidev/${aidevVersion()}` },
    body: options.body,
    signal: signals.length ? AbortSignal.any(signals) : undefined,
  });
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const text = response.status === 204 ? '' : await response.text();
  let body: unknown = text;
  if (type === 'application/json' && text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // keep the text: an error page behind a proxy is still worth showing
    }
  }
  if (!response.ok) throw new GitlabHttpError(response.status, response.headers, body, method, url.pathname);
  return {
    body: (body === '' ? {} : body) as Record<string, unknown>,
    headers: Object.fromEntries(response.headers.entries()),
    status: response.status,
  };
};

const requesterFn = createRequesterFn((_service, options) => Promise.resolve(options), handle);

export function createGitlabClient(options: { host: string; token: string }): GitlabClient {
  return new Gitlab({
    host: options.host.replace(/\/+$/, ''),
    token: options.token,
    requesterFn,
    // The step's signal and timeout govern each call, not a second clock of gitbeaker's own.
    queryTimeout: null,
  });
}
