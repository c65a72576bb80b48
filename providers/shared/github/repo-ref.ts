// Which GitHub repository a provider works on: `owner`/`repo` from its settings, else parsed from the configured git
// remote (https, ssh:// or scp-like `git@host:owner/repo.git`). Also says whether a remote lives on the provider's host.
import { AidevError } from '../../../src/core/errors.js';
import { remoteUrl } from '../git-cli.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface ParsedRemote {
  /** `https:`, `http:` or `ssh:` (scp-like remotes are ssh). */
  protocol: string;
  /** Host with port, lower case, no user. */
  host: string;
  owner: string;
  repo: string;
}

/** Parses a git remote URL; null for local paths and anything without an owner/repo pair. */
export function parseRemote(url: string): ParsedRemote | null {
  const trimmed = url.trim();
  const scp = /^(?:[^@/:\s]+@)?([^/:\s]+):(?!\/\/)(.+)$/.exec(trimmed);
  let protocol: string;
  let host: string;
  let path: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return null;
    }
    if (parsed.protocol === 'file:') return null;
    protocol = parsed.protocol === 'git+ssh:' || parsed.protocol === 'ssh+git:' ? 'ssh:' : parsed.protocol;
    host = parsed.host;
    path = decodeURIComponent(parsed.pathname);
  } else if (scp && !/^[a-z]:[\\/]/i.test(trimmed)) {
    protocol = 'ssh:';
    host = scp[1]!;
    path = scp[2]!;
  } else return null;
  const parts = path
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter(Boolean);
  if (parts.length < 2) return null;
  return {
    protocol,
    host: host.toLowerCase(),
    owner: parts[parts.length - 2]!,
    repo: parts[parts.length - 1]!,
  };
}

/**
 * The configured repository, else the one the git remote points at. Throws a config error naming both ways to fix it.
 */
export async function resolveRepoRef(input: {
  owner?: string | undefined;
  repo?: string | undefined;
  repoRoot: string;
  remote: string;
  path: string;
}): Promise<RepoRef> {
  if (input.owner && input.repo) return { owner: input.owner, repo: input.repo };
  const url = await remoteUrl(input.repoRoot, input.remote);
  const parsed = url ? parseRemote(url) : null;
  if (!parsed) {
    throw new AidevError(
      'CONFIG_INVALID',
      url
        ? `${input.path}: cannot tell the GitHub repository from the git remote "${input.remote}" (${redactUrl(url)})`
        : `${input.path}: no owner/repo configured and there is no git remote "${input.remote}" to read them from`,
      {
        hint: `set ${input.path}.owner and ${input.path}.repo in .aidevrc.yaml (e.g. owner: acme, repo: api)`,
      },
    );
  }
  return { owner: input.owner ?? parsed.owner, repo: input.repo ?? parsed.repo };
}

/** A remote URL safe to print, with the user:password part dropped. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
