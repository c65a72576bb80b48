// Bitbucket API failures as AidevErrors that say what failed, which config block is involved and how to fix it: 401
// (credentials), 403 (the scopes Bitbucket names as required), 404 (workspace, repository or PR), 400/409 (with the
// fields), 429.
import { AidevError, isAbortError } from '../../../src/core/errors.js';
import { RateLimited } from '../../shared/rate-limit.js';
import { BitbucketHttpError } from './http.js';

export interface BitbucketErrorContext {
  action: string;
  /** The config block, `vcs.bitbucket`. */
  path: string;
  baseUrl: string;
  notFound?: string | undefined;
  /** The scope this action needs (403 hints), e.g. `pullrequest:write`. */
  needs?: string | undefined;
}

interface ErrorBody {
  error?: { message?: string; detail?: unknown; fields?: Record<string, unknown> };
}

const CREDENTIALS = 'BITBUCKET_TOKEN (or BITBUCKET_USERNAME + BITBUCKET_APP_PASSWORD)';

/** Scopes a 403 says are required: `detail.required` (an object on the wire) or scope names in a text detail. */
export function requiredScopes(body: unknown): string[] {
  const detail = (body as ErrorBody | undefined)?.error?.detail;
  if (detail && typeof detail === 'object' && Array.isArray((detail as { required?: unknown }).required))
    return (detail as { required: unknown[] }).required.map(String);
  if (typeof detail === 'string')
    return [...new Set(detail.match(/\b[a-z]+:(?:read|write|admin|delete)\b/g) ?? [])];
  return [];
}

export function bitbucketError(error: unknown, at: BitbucketErrorContext): AidevError {
  if (error instanceof AidevError) return error;
  if (isAbortError(error))
    return new AidevError('INTERRUPTED', `Bitbucket: ${at.action} was interrupted`, { cause: error });
  if (error instanceof RateLimited)
    return new AidevError(
      'PROVIDER_ERROR',
      `Bitbucket: cannot ${at.action}: rate limited (${error.attempts} tries)`,
      {
        hint: `Bitbucket asked to wait ${error.retryAfterSeconds}s; try again then (\`aidev resume\` continues a run)`,
        cause: error,
      },
    );
  if (!(error instanceof BitbucketHttpError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new AidevError('PROVIDER_ERROR', `Bitbucket: cannot ${at.action}: ${message}`, {
      hint: `check that ${at.baseUrl} is reachable (${at.path}.base_url)`,
      cause: error,
    });
  }
  const body = (error.body ?? {}) as ErrorBody;
  const said =
    body.error?.message ??
    (typeof error.body === 'string' ? error.body.slice(0, 200) : `HTTP ${error.status}`);
  const make = (message: string, hint: string) =>
    new AidevError('PROVIDER_ERROR', `Bitbucket: cannot ${at.action}: ${message}`, {
      hint,
      cause: error,
      details: { status: error.status, path: at.path },
    });
  switch (error.status) {
    case 401:
      return make(
        `the credentials were refused (401 ${said})`,
        `set ${CREDENTIALS} to valid credentials for ${at.baseUrl}`,
      );
    case 403: {
      const scopes = requiredScopes(error.body);
      const needed = scopes.length ? scopes.join(', ') : at.needs;
      return make(
        `permission denied (403 ${said})`,
        needed
          ? `the token or app password needs the ${needed} scope(s); create one with them and set ${CREDENTIALS}`
          : `the account needs write access to the repository; check ${CREDENTIALS}`,
      );
    }
    case 404:
      return make(
        `${at.notFound ?? 'the resource'} was not found (404 ${said})`,
        `check ${at.path}.workspace and ${at.path}.repo (or the git remote); Bitbucket also answers 404 when the credentials cannot see a private repository`,
      );
    case 400:
    case 409: {
      const fields = Object.keys(body.error?.fields ?? {});
      const detail = typeof body.error?.detail === 'string' ? `: ${body.error.detail}` : '';
      return make(
        `Bitbucket refused it (${error.status} ${said}${detail})`,
        fields.length ? `fix ${fields.join(', ')} and retry` : 'fix what Bitbucket names and retry',
      );
    }
    case 429:
      return make(
        `rate limited (429 ${said})`,
        'Bitbucket allows a fixed number of requests an hour; try again later',
      );
    default:
      return make(
        `Bitbucket answered ${error.status} ${said}`,
        error.status >= 500
          ? 'Bitbucket had a server error; retry later (`aidev resume` continues a run)'
          : 'see the Bitbucket REST API docs',
      );
  }
}
