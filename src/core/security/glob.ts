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
  const anchored: RegExp[] = [];
  const anywhere: RegExp[] = [];
  for (const raw of patterns) {
    const pattern = raw.trim().replace(/^\.\//, '').replace(/\/+$/, '');
    if (!pattern) continue;
    const re = new RegExp(globToRegExp(pattern).source, 'i');
    (pattern.includes('/') ? anchored : anywhere).push(re);
  }
  return (relativePath) => {
    const parts = relativePath.split(/[\\/]+/).filter((p) => p && p !== '.');
    if (parts.some((part) => anywhere.some((re) => re.test(part)))) return true;
    // An anchored pattern blocks the path itself and everything under a matching folder.
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('/');
      if (anchored.some((re) => re.test(prefix))) return true;
    }
    return false;
  };
}
