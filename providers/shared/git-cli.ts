// A minimal git runner for providers (push, remote lookups). Arguments are passed as an array, never through a shell.
import { execFile } from 'node:child_process';
import { AidevError } from '../../src/core/errors.js';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export function git(
  cwd: string,
  args: string[],
  options: { signal?: AbortSignal | undefined; env?: Record<string, string | undefined> } = {},
): Promise<GitResult> {
  return new Promise((resolveResult, reject) => {
    execFile(
      'git',
      args,
      {
        cwd,
        signal: options.signal,
        env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0' },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            new AidevError('GIT_ERROR', 'git is not installed or not on PATH', {
              hint: 'install git ≥ 2.30',
            }),
          );
          return;
        }
        if (error && error.name === 'AbortError') {
          reject(new AidevError('INTERRUPTED', `git ${args[0] ?? ''} was interrupted`, { cause: error }));
          return;
        }
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolveResult({ stdout: String(stdout), stderr: String(stderr), code });
      },
    );
  });
}

export async function gitOk(
  cwd: string,
  args: string[],
  options: { signal?: AbortSignal | undefined } = {},
): Promise<string> {
  const result = await git(cwd, args, options);
  if (result.code !== 0) {
    throw new AidevError(
      'GIT_ERROR',
      `git ${args[0]} failed: ${result.stderr.trim() || result.stdout.trim()}`,
      { hint: `run \`git ${args.join(' ')}\` in ${cwd} to see why` },
    );
  }
  return result.stdout.trim();
}

export async function remoteUrl(cwd: string, remote: string): Promise<string | null> {
  const result = await git(cwd, ['remote', 'get-url', remote]);
  return result.code === 0 ? result.stdout.trim() : null;
}

/** `owner/repo` style name from a remote URL (https, ssh, scp-like or a path). */
export function repoNameFromUrl(url: string): string {
  const cleaned = url.replace(/\.git\/?$/, '').replace(/\/+$/, '');
  const scp = /^[^@/:]+@[^:]+:(.+)$/.exec(cleaned);
  const path = scp ? scp[1]! : cleaned.replace(/^[a-z+]+:\/\/[^/]+\//i, '');
  return path.split(/[\\/]/).filter(Boolean).slice(-2).join('/');
}

/** Reads the repository's own PR template, trying the places GitHub and GitLab look. */
export async function readPullRequestTemplate(cwd: string): Promise<string | null> {
  const { readFile } = await import('node:fs/promises');
  const candidates = [
    '.github/pull_request_template.md',
    '.github/PULL_REQUEST_TEMPLATE.md',
    'pull_request_template.md',
    'PULL_REQUEST_TEMPLATE.md',
    'docs/pull_request_template.md',
    '.github/PULL_REQUEST_TEMPLATE/pull_request_template.md',
    '.gitlab/merge_request_templates/Default.md',
  ];
  for (const candidate of candidates) {
    try {
      return await readFile(`${cwd}/${candidate}`, 'utf8');
    } catch {
      // try the next place
    }
  }
  return null;
}
