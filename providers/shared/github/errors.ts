// GitHub API failures as AidevErrors that say what failed, which config block is involved, and how to fix it:
// 401 (token), 403 (scope, permission, SSO, rate limit), 404 (repo or issue), 422 (validation, with the field).
import { AidevError } from '../../../src/core/errors.js';

export interface GitHubRequestError {
  status: number;
  message: string;
  response?: {
    headers: Record<string, string | number | undefined>;
    data?: unknown;
  };
}

export function isGitHubRequestError(error: unknown): error is GitHubRequestError {
  return (
    error instanceof Error &&
    typeof (error as { status?: unknown }).status === 'number' &&
    (error as { name?: unknown }).name === 'HttpError'
  );
}

export interface GitHubErrorContext {
  /** What aidev was doing, e.g. `open a pull request for feature/AUTH-1 in acme/api`. */
  action: string;
  /** The config block, e.g. `vcs.github`. */
  path: string;
  /** The API base URL, named in host-related hints. */
  baseUrl: string;
  /** What a 404 means here, e.g. `the repository acme/api`. */
  notFound?: string | undefined;
  /** The fine-grained permission this action needs (classic tokens need `repo`), for 403 hints. */
  needs?: string | undefined;
}

interface ErrorBody {
  message?: string;
  documentation_url?: string;
  errors?: ({ code?: string; field?: string; message?: string; resource?: string } | string)[];
}

export function githubError(error: unknown, at: GitHubErrorContext): AidevError {
  if (error instanceof AidevError) return error;
  if (!isGitHubRequestError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new AidevError('PROVIDER_ERROR', `GitHub: cannot ${at.action}: ${message}`, {
      hint: `check that ${at.baseUrl} is reachable (${at.path}.base_url)`,
      cause: error,
    });
  }
  const body = (error.response?.data ?? {}) as ErrorBody;
  const headers = error.response?.headers ?? {};
  const said = body.message ?? error.message;
  const details = { status: error.status, documentation_url: body.documentation_url };
  const make = (message: string, hint: string) =>
    new AidevError('PROVIDER_ERROR', `GitHub: cannot ${at.action}: ${message}`, {
      hint,
      cause: error,
      details,
    });
  const tokenSource = `GITHUB_TOKEN (or GH_TOKEN, or ${at.path}.token)`;

  if (error.status === 401)
    return make(
      `the token was refused (401 ${said})`,
      `set ${tokenSource} to a valid token for ${at.baseUrl}; expired or revoked tokens answer 401`,
    );
  if (error.status === 403 || error.status === 429) {
    if (isRateLimit(error.status, said, headers)) {
      const retryAfter = Number(headers['retry-after']);
      const reset = Number(headers['x-ratelimit-reset']);
      const when =
        Number.isFinite(retryAfter) && retryAfter > 0
          ? `in ${retryAfter}s`
          : Number.isFinite(reset) && reset > 0
            ? `after ${new Date(reset * 1000).toISOString()}`
            : 'later';
      return make(
        `rate limited (${error.status} ${said})`,
        `GitHub asked to wait; try again ${when} (\`aidev resume\` continues the run)`,
      );
    }
    if (headers['x-github-sso'])
      return make(
        `the token is not authorized for this organization's SAML single sign-on`,
        `authorize the token for SSO: ${String(headers['x-github-sso']).replace(/^required;\s*url=/, '')}`,
      );
    const accepted = String(headers['x-accepted-oauth-scopes'] ?? '').trim();
    const held = String(headers['x-oauth-scopes'] ?? '').trim();
    if (accepted && !accepted.split(/,\s*/).some((s) => held.split(/,\s*/).includes(s)))
      return make(
        `the token lacks the scope ${accepted} (it has: ${held || 'none'})`,
        `create a token with the ${accepted} scope, or a fine-grained token with ${at.needs ?? 'write access to the repository'}`,
      );
    return make(
      `permission denied (403 ${said})`,
      `the token needs the repo scope (classic) or ${at.needs ?? 'write access to the repository'} (fine-grained); check ${tokenSource}`,
    );
  }
  if (error.status === 404)
    return make(
      `${at.notFound ?? 'the resource'} was not found (404)`,
      `check the name (${at.path}.owner/repo, or the git remote); GitHub also answers 404 when the token cannot see a private repository`,
    );
  if (error.status === 410)
    return make(
      `${at.notFound ?? 'the resource'} is gone (410 ${said})`,
      'it was deleted or transferred; check the id',
    );
  if (error.status === 422) {
    const reasons = (body.errors ?? []).map((e) =>
      typeof e === 'string' ? e : (e.message ?? [e.resource, e.field, e.code].filter(Boolean).join(' ')),
    );
    const text = reasons.length ? `${said}: ${reasons.join('; ')}` : said;
    return make(`GitHub refused it (422 ${text})`, validationHint(text, at.path));
  }
  if (error.status >= 500)
    return make(
      `GitHub answered ${error.status} ${said}`,
      'GitHub had a server error; retry later (`aidev resume` continues a run)',
    );
  return make(
    `GitHub answered ${error.status} ${said}`,
    `see ${body.documentation_url ?? 'https://docs.github.com/rest'}`,
  );
}

function isRateLimit(
  status: number,
  message: string,
  headers: Record<string, string | number | undefined>,
): boolean {
  return status === 429 || /rate limit/i.test(message) || String(headers['x-ratelimit-remaining']) === '0';
}

function validationHint(text: string, path: string): string {
  if (/pull request already exists/i.test(text))
    return 'an open pull request for this branch exists; aidev updates it on a re-run (`aidev resume`)';
  if (/draft pull requests are not supported/i.test(text))
    return `set ${path}.draft: false (or vcs.draft: false)`;
  if (/no commits between/i.test(text))
    return 'the branch has no commits that the base lacks; nothing to review';
  if (/head.*invalid|base.*invalid/i.test(text))
    return 'push the branch first, and check the base branch exists';
  if (/name already exists/i.test(text))
    return 'pick another repository name, or use the existing repository';
  if (/collaborator/i.test(text))
    return `reviewers must be collaborators of the repository; check ${path}.reviewers`;
  return 'fix the field GitHub names and retry';
}
