// A small Bitbucket Cloud REST 2.0 client over fetch: one auth header (Bearer access token, or Basic with an app
// password), JSON in and out, errors kept with their status, headers and body, and `next`-link pagination bounded
// by a page count. Rate limits are the caller's (see withRateLimit), since a 429 needs the retry loop around the call.
import { aidevVersion } from '../../../src/core/paths.js';
import { parseRetryAfter } from '../../shared/rate-limit.js';

export const BITBUCKET_API = 'https://api.bitbucket.org/2.0';

export type BitbucketAuth = { token: string } | { username: string; appPassword: string };

export class BitbucketHttpError extends Error {
  override readonly name = 'BitbucketHttpError';
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

/** Seconds to wait for a 429 (Bitbucket sends Retry-After only sometimes; one second when it does not). */
export function bitbucketRetryAfter(error: unknown): number | undefined {
  if (!(error instanceof BitbucketHttpError) || error.status !== 429) return undefined;
  return parseRetryAfter(error.headers.get('retry-after'));
}

export interface Paginated<T> {
  next?: string | undefined;
  values?: T[] | undefined;
}

export class BitbucketHttp {
  readonly baseUrl: string;
  readonly #authorization: string;

  constructor(baseUrl: string, auth: BitbucketAuth) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#authorization =
      'token' in auth
        ? `Bearer ${auth.token}`
        : `Basic ${Buffer.from(`${auth.username}:${auth.appPassword}`).toString('base64')}`;
  }

  /** `path` is relative to the base URL, or a full `next` link the API gave. */
  async request<T>(
    method: string,
    path: string,
    options: {
      query?: Record<string, string | number | undefined>;
      body?: unknown;
      signal?: AbortSignal;
    } = {},
  ): Promise<T> {
    const url = new URL(/^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`);
    // A `next` link is followed with the credentials only on the API's own origin.
    if (url.origin !== new URL(this.baseUrl).origin)
      throw new Error(`refusing to send the Bitbucket credentials to ${url.origin}`);
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const response = await fetch(url, {
      method,
      headers: {
        authorization: this.#authorization,
        accept: 'application/json',
        'user-agent': `aidev/${aidevVersion()}`,
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    const text = await response.text();
    let body: unknown = text;
    if (text && (response.headers.get('content-type') ?? '').includes('json')) {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        // keep the text: a proxy's error page is still worth showing
      }
    }
    if (!response.ok)
      throw new BitbucketHttpError(response.status, response.headers, body, method, url.pathname);
    return body as T;
  }

  /** Every value across pages, following `next` up to `maxPages` pages. */
  async all<T>(
    path: string,
    options: { query?: Record<string, string | number | undefined>; signal?: AbortSignal; maxPages?: number },
    call: <R>(fn: () => Promise<R>) => Promise<R> = (fn) => fn(),
  ): Promise<T[]> {
    const out: T[] = [];
    let page = await call(() => this.request<Paginated<T>>('GET', path, options));
    for (let n = 1; ; n++) {
      out.push(...(page.values ?? []));
      const next = page.next;
      if (!next || n >= (options.maxPages ?? 10)) return out;
      page = await call(() => this.request<Paginated<T>>('GET', next, { signal: options.signal }));
    }
  }
}
