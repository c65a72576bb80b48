// Pushing a run's branch, for every vcs provider. Credentials travel only through the child's environment and a
// credential helper given on the command line (`-c credential.helper=…`), so a token is never written to disk, into
// the remote URL, or into an argument list that `ps` or a log could show.
import { isAbsolute, resolve } from 'node:path';
import { AidevError } from '../errors.js';
import { gitFailure, gitMessage, createGit, type GitOptions } from './client.js';
import { checkoutOfGitDir, commonGitDir, remoteUrl } from './repo.js';

export interface PushCredential {
  /** e.g. `x-access-token` (GitHub), `oauth2` (GitLab), or a user name. */
  username: string;
  token: string;
  /** Only requests for this host get the credential (e.g. github.com). */
  host?: string | undefined;
}

export const CREDENTIAL_ENV = {
  token: 'AIDEV_GIT_TOKEN',
  username: 'AIDEV_GIT_USERNAME',
  host: 'AIDEV_GIT_HOST',
} as const;

// Answers `get` only, only for the expected host; `store`/`erase` are ignored so no other helper ever sees the token.
const HELPER =
  '!f() { test "$1" = get || exit 0; h=; while IFS= read -r l && [ -n "$l" ]; do case "$l" in host=*) h="${l#host=}";; esac; done; ' +
  `[ -z "$${CREDENTIAL_ENV.host}" ] || [ "$h" = "$${CREDENTIAL_ENV.host}" ] || exit 0; ` +
  `printf 'username=%s\\npassword=%s\\n' "$${CREDENTIAL_ENV.username}" "$${CREDENTIAL_ENV.token}"; }; f`;

/**
 * The `-c` arguments and environment that hand `credential` to one git command. The empty helper first resets any
 * helper from the user's config, so the token is not stored by a `store` or keychain helper.
 */
export function credentialHelperArgs(credential: PushCredential): {
  args: string[];
  env: Record<string, string>;
} {
  return {
    args: ['-c', 'credential.helper=', '-c', `credential.helper=${HELPER}`],
    env: {
      [CREDENTIAL_ENV.token]: credential.token,
      [CREDENTIAL_ENV.username]: credential.username,
      [CREDENTIAL_ENV.host]: credential.host ?? '',
    },
  };
}

export interface PushInput {
  cwd: string;
  remote: string;
  branch: string;
  force?: boolean | undefined;
  credential?: PushCredential | undefined;
}

export async function pushBranch(
  input: PushInput,
  options: GitOptions,
): Promise<{ remote: string; ref: string }> {
  const { cwd, remote, branch } = input;
  const url = await remoteUrl(cwd, remote, options);
  if (!url) {
    throw new AidevError('GIT_ERROR', `there is no git remote "${remote}" to push ${branch} to`, {
      hint: `add one (git remote add ${remote} <url>), or set git.remote to an existing remote`,
    });
  }
  const helper = input.credential ? credentialHelperArgs(input.credential) : undefined;
  const ref = `refs/heads/${branch}`;
  const target = await pushTarget(cwd, remote, options, url);
  const args = [
    ...(helper?.args ?? []),
    'push',
    ...(input.force ? ['--force-with-lease'] : []),
    target,
    `HEAD:${ref}`,
  ];
  const git = createGit(cwd, {
    ...options,
    extraEnv: { ...options.extraEnv, ...helper?.env },
    allowCredentialHelper: Boolean(helper),
  });
  try {
    await git.raw(args);
  } catch (error) {
    throw pushFailure(error, { remote, branch, cwd, args });
  }
  return { remote, ref };
}

/**
 * What to push to. A remote whose URL is a relative path (`../origin.git`) is relative to the main checkout, but a
 * run pushes from its worktree elsewhere, where git would resolve it against the wrong folder: use the absolute path.
 */
export async function pushTarget(
  cwd: string,
  remote: string,
  options: GitOptions,
  knownUrl?: string,
): Promise<string> {
  const url = knownUrl ?? (await remoteUrl(cwd, remote, options));
  if (
    !url ||
    isAbsolute(url) ||
    /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ||
    /^[^/]+@[^/:]+:/.test(url) ||
    !/^\.\.?\//.test(url)
  )
    return remote;
  const common = await commonGitDir(cwd, options);
  if (!common) return remote;
  return resolve(checkoutOfGitDir(common), url);
}

function pushFailure(
  error: unknown,
  at: { remote: string; branch: string; cwd: string; args: string[] },
): AidevError {
  if (error instanceof AidevError) return error;
  const text = gitMessage(error);
  const raw = error instanceof Error ? error.message : String(error);
  if (/\[rejected\]|non-fast-forward|fetch first|stale info/i.test(raw)) {
    return new AidevError('GIT_ERROR', `the push of ${at.branch} to ${at.remote} was rejected: ${text}`, {
      hint: `the remote branch has commits this run does not have: merge them into ${at.branch} (or delete the remote branch), then \`aidev resume\``,
      cause: error,
    });
  }
  if (/authentication|could not read username|permission denied|\b40[13]\b/i.test(raw)) {
    return new AidevError('GIT_ERROR', `the push of ${at.branch} to ${at.remote} was refused: ${text}`, {
      hint: 'check the token of the vcs provider (it needs write access to the repository)',
      cause: error,
    });
  }
  return gitFailure(
    error,
    at.args,
    at.cwd,
    `check that ${at.remote} is reachable and writable (git push ${at.remote} ${at.branch})`,
  );
}
