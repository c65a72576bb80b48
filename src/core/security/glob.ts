// Gitignore-style globs for security.blocked_paths: a pattern without a slash matches any path component
// (`.env`, `*.pem`, `id_rsa*`), a pattern with one matches from the worktree root, and `**` spans folders.

export type GlobMatcher = (relativePath: string) => boolean;

export function globToRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const slash = pattern[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${out}$`);
}

/** One matcher for a list of patterns; matching is case-insensitive, since macOS and Windows file systems are. */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const anchored: string[] = [];
  const anywhere: string[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim().replace(/^\.\//, '').replace(/\/+$/, '');
    if (!pattern) continue;
    (pattern.includes('/') ? anchored : anywhere).push(globToRegExp(pattern).source);
  }
  // One alternation per kind: the matcher runs on every path of a 20,000-file listing.
  const component = anywhere.length ? new RegExp(anywhere.join('|'), 'i') : null;
  const prefix = anchored.length ? new RegExp(anchored.join('|'), 'i') : null;
  return (relativePath) => {
    const parts = relativePath.split(/[\\/]+/).filter((p) => p && p !== '.');
    if (component && parts.some((part) => component.test(part))) return true;
    if (!prefix) return false;
    // An anchored pattern blocks the path itself and everything under a matching folder.
    for (let n = 1; n <= parts.length; n++) if (prefix.test(parts.slice(0, n).join('/'))) return true;
    return false;
  };
}
