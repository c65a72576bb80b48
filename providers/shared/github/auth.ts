// `aidev doctor`'s credential check for the GitHub providers: GET /user, and for classic tokens the scopes they hold.
import type { AuthStatus } from '../../capabilities.js';
import type { GitHubClient } from './client.js';
import { githubError } from './errors.js';

export async function checkGitHubAuth(
  octokit: GitHubClient,
  at: { baseUrl: string; path: string; signal?: AbortSignal | undefined },
): Promise<AuthStatus> {
  try {
    const { data, headers } = await octokit.rest.users.getAuthenticated({ request: { signal: at.signal } });
    const scopes = headers['x-oauth-scopes'];
    // Classic tokens list their scopes; fine-grained and app tokens send none (their permissions show per call).
    if (typeof scopes !== 'string')
      return {
        ok: true,
        identity: data.login,
        detail: `${data.login} at ${at.baseUrl} (fine-grained or app token)`,
      };
    const held = scopes
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const ok = held.includes('repo') || held.includes('public_repo');
    return {
      ok,
      identity: data.login,
      detail: `${data.login} at ${at.baseUrl}, scopes: ${held.join(', ') || 'none'}`,
      hint: ok ? undefined : 'the token needs the repo scope (public_repo for public repositories only)',
    };
  } catch (error) {
    const e = githubError(error, { action: 'authenticate', path: at.path, baseUrl: at.baseUrl });
    return { ok: false, identity: null, detail: e.message, hint: e.hint };
  }
}
