// Reads a git remote URL as protocol, host and the full path of segments, for code hosts whose repositories sit deeper
// than owner/repo (GitLab's nested groups `group/sub/project`) or under a workspace (Bitbucket). Nothing here does I/O.

export interface RemotePath {
  /** `https:`, `http:` or `ssh:` (scp-like `git@host:path` remotes are ssh). */
  protocol: string;
  /** Host with port, lower case, without the user part. */
  host: string;
  /** The path segments, without a trailing `.git`: `['group', 'sub', 'project']`. */
  segments: string[];
}

/** Parses a git remote URL; null for local paths, file:// URLs and anything with fewer than two path segments. */
export function parseRemotePath(url: string): RemotePath | null {
  const trimmed = url.trim();
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
    protocol = /ssh/.test(parsed.protocol) ? 'ssh:' : parsed.protocol;
    host = parsed.host;
    path = decodeURIComponent(parsed.pathname);
  } else {
    // scp-like: [user@]host:path, but not a Windows drive (C:\repo) and not a plain relative path.
    const scp = /^(?:[^@/:\s]+@)?([^/:\s]+):(?!\/\/)(.+)$/.exec(trimmed);
    if (!scp || /^[a-z]:[\\/]/i.test(trimmed)) return null;
    protocol = 'ssh:';
    host = scp[1]!;
    path = scp[2]!;
  }
  const segments = path
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean);
  if (segments.length < 2) return null;
  return { protocol, host: host.toLowerCase(), segments };
}

/** A remote URL safe to print, with the user:password part dropped. */
export function redactRemote(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}

/**
 * Whether a push to `remote` may carry the provider's token: only https remotes on the API's own host, or plain
 * http when the API itself is plain http on that host (a loopback test server).
 */
export function tokenMayGoTo(remote: RemotePath | null, api: { protocol: string; host: string }): boolean {
  if (!remote || remote.host !== api.host.toLowerCase()) return false;
  return remote.protocol === 'https:' || (remote.protocol === 'http:' && api.protocol === 'http:');
}
