// GitLab API failures as AidevErrors that say what failed, which config block is involved and how to fix it: 401
// (token), 403 (the missing scope GitLab names, or the role), 404 (project or MR), 409/400/422 (with the field), 429.
import { AidevError, isAbortError } from '../../../src/core/errors.js';
import { RateLimited } from '../../shared/rate-limit.js';
import { GitlabHttpError } from './client.js';

export interface GitlabErrorContext {
  /** What aidev was doing, e.g. `open a merge request for feature/X in acme/app`. */
  action: string;
  /** The config block, `vcs.gitlab`. */
  path: string;
  host: string;
  /** What a 404 means here, e.g. `the project acme/app`. */
  notFound?: string | undefined;
  /** The token scope the action needs (403 hints). */
  needs?: string | undefined;
}

interface ErrorBody {
  message?: unknown;
  error?: string;
  error_description?: string;
  scope?: string;
}

/** GitLab's message in one line: a string, a list, or `{field: [problems]}` as `field problem`. */
export function gitlabMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200);
  const b = (body ?? {}) as ErrorBody;
  const m = b.message;
  if (typeof m === 'string') return m;
  if (Array.isArray(m)) return m.map(String).join('; ');
  if (m && typeof m === 'object')
    return Object.entries(m as Record<string, unknown>)
      .map(
        ([field, problems]) => `${field} ${Array.isArray(problems) ? problems.join(', ') : String(problems)}`,
      )
      .join('; ');
  return b.error_description ?? b.error ?? '';
}

/** The fields a validation error names (GitLab answers `{message: {field: [...]}}` or `{error: "field is missing"}`). */
export function gitlabFields(body: unknown): string[] {
  const b = (body ?? {}) as ErrorBody;
  if (b.message && typeof b.message === 'object' && !Array.isArray(b.message)) return Object.keys(b.message);
  const missing = /^(\w+) is (?:missing|invalid)/.exec(b.error ?? '');
  return missing ? [missing[1]!] : [];
}

export function gitlabError(error: unknown, at: GitlabErrorContext): AidevError {
  if (error instanceof AidevError) return error;
  if (isAbortError(error))
    return new AidevError('INTERRUPTED', `GitLab: ${at.action} was interrupted`, { cause: error });
  const tokenSource = `GITLAB_TOKEN (or ${at.path}.token)`;
  if (error instanceof RateLimited)
    return new AidevError(
      'PROVIDER_ERROR',
      `GitLab: cannot ${at.action}: rate limited (${error.attempts} tries)`,
      {
        hint: `GitLab asked to wait ${error.retryAfterSeconds}s; try again then (\`aidev resume\` continues a run)`,
        cause: error,
      },
    );
  if (!(error instanceof GitlabHttpError)) {
    const message = error instanceof Error ? error.message : String(error);
    return new AidevError('PROVIDER_ERROR', `GitLab: cannot ${at.action}: ${message}`, {
      hint: `check that ${at.host} is reachable (${at.path}.base_url)`,
      cause: error,
    });
  }
  const said = gitlabMessage(error.body) || `HTTP ${error.status}`;
  const make = (message: string, hint: string) =>
    new AidevError('PROVIDER_ERROR', `GitLab: cannot ${at.action}: ${message}`, {
      hint,
      cause: error,
      details: { status: error.status, path: at.path },
    });
  const body = (error.body ?? {}) as ErrorBody;
  switch (error.status) {
    case 401:
      return make(
        `the token was refused (401 ${said})`,
        `set ${tokenSource} to a valid access token for ${at.host}; expired or revoked tokens answer 401`,
      );
    case 403: {
      if (body.error === 'insufficient_scope' || body.scope)
        return make(
          `the token lacks the ${body.scope ?? 'needed'} scope (403)`,
          `create a token with the ${body.scope ?? at.needs ?? 'api'} scope and set ${tokenSource}`,
        );
      return make(
        `permission denied (403 ${said})`,
        `the token's user needs ${at.needs ?? 'the Developer role or higher on the project'}; check ${tokenSource}`,
      );
    }
    case 404:
      return make(
        `${at.notFound ?? 'the resource'} was not found (404 ${said})`,
        `check ${at.path}.project (group/sub/project) or the git remote; GitLab also answers 404 when the token cannot see a private project`,
      );
    case 409:
      return make(`GitLab refused it as a conflict (409 ${said})`, conflictHint(said));
    case 400:
    case 422: {
      const fields = gitlabFields(error.body);
      return make(
        `GitLab refused it (${error.status} ${said})`,
        fields.length ? `fix ${fields.join(', ')} and retry` : 'fix the request GitLab names and retry',
      );
    }
    case 429:
      return make(
        `rate limited (429 ${said})`,
        'GitLab asked to wait; try again later (`aidev resume` continues a run)',
      );
    default:
      return make(
        `GitLab answered ${error.status} ${said}`,
        error.status >= 500
          ? 'GitLab had a server error; retry later (`aidev resume` continues a run)'
          : `see the GitLab API docs of ${at.host}`,
      );
  }
}

function conflictHint(said: string): string {
  if (/already exists for this source branch/i.test(said))
    return 'an open merge request for this branch exists; aidev updates it on a re-run (`aidev resume`)';
  if (/has already been taken/i.test(said))
    return 'pick another project name or path, or use the existing project';
  return 'the resource changed meanwhile; retry';
}
