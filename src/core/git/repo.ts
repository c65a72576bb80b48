// Facts about the user's repository: its root, its remote, its base branch. Read-only: nothing here changes the
// user's checkout, index or branches (fetch only updates remote-tracking refs).
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { AidevError } from '../errors.js';
import { gitRun, gitTry, NO_AUTO_MAINTENANCE, type GitOptions } from './client.js';

// A command asks for the same repository root several times (the config search, the run, each parallel run): one
// git call answers them for a while. Long-lived processes (watch) ask git again after ROOT_TTL_MS.
const ROOT_TTL_MS = 30_000;
const roots = new Map<string, { root: string; at: number }>();

/** The top of the repository holding `cwd`, realpath'd. NOT_A_GIT_REPO when there is none. */
export async function repoRoot(cwd: string, options: GitOptions): Promise<string> {
  const known = roots.get(cwd);
  if (known && Date.now() - known.at < ROOT_TTL_MS && existsSync(known.root)) return known.root;
  const out = await gitTry(cwd, ['rev-parse', '--show-toplevel'], options).catch(() => null);
  if (!out?.trim()) {
    throw new AidevError('NOT_A_GIT_REPO', `${cwd} is not inside a git repository`, {
      hint: 'run aidev inside your project checkout (or pass --cwd <dir>); start one with `git init && git commit --allow-empty -m init`',
    });
  }
  const root = realpathSync(out.trim());
  roots.set(cwd, { root, at: Date.now() });
  return root;
}

/**
 * The repository's common git folder (the main checkout's `.git`, also from a linked worktree), absolute. Read from
 * the `.git` file and `commondir` the way git lays them out, which saves a git process per call; anything unusual
 * (GIT_DIR layouts, a bare repository, a submodule's gitdir) is asked of git.
 */
export async function commonGitDir(cwd: string, options: GitOptions): Promise<string | null> {
  try {
    const dotGit = join(cwd, '.git');
    if (statSync(dotGit).isDirectory()) return realpathSync(dotGit);
    const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (pointer) {
      const gitDir = resolve(cwd, pointer);
      const common = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
      const dir = realpathSync(resolve(gitDir, common));
      if (existsSync(join(dir, 'HEAD'))) return dir;
    }
  } catch {
    // Not the usual layout: git knows.
  }
  const out = await gitTry(cwd, ['rev-parse', '--path-format=absolute', '--git-common-dir'], options);
  return out?.trim() || null;
}

/** The folder a common git dir belongs to: the checkout holding a `.git`, or the bare repository itself. */
export function checkoutOfGitDir(commonDir: string): string {
  return commonDir.endsWith('/.git') ? dirname(commonDir) : commonDir;
}

export async function remoteUrl(root: string, remote: string, options: GitOptions): Promise<string | null> {
  const out = await gitTry(root, ['remote', 'get-url', remote], options);
  return out?.trim() || null;
}

export async function refExists(root: string, ref: string, options: GitOptions): Promise<boolean> {
  return (await gitTry(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], options)) !== null;
}

export async function revParse(cwd: string, ref: string, options: GitOptions): Promise<string> {
  return (await gitRun(cwd, ['rev-parse', '--verify', `${ref}^{commit}`], options)).trim();
}

export async function currentBranch(root: string, options: GitOptions): Promise<string | null> {
  const out = await gitTry(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], options);
  return out?.trim() || null;
}

/**
 * Updates the remote-tracking refs of `remote` (the user's branches and worktree stay as they are).
 * A remote that cannot be reached is a warning, not a failure: the run continues from what is known locally.
 */
export async function fetchRemote(
  root: string,
  remote: string,
  options: GitOptions,
): Promise<{ ok: boolean; message?: string }> {
  try {
    await gitRun(root, [...NO_AUTO_MAINTENANCE, 'fetch', '--quiet', '--prune', remote], options);
    return { ok: true };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

export interface BaseBranch {
  /** The branch name, e.g. `main`. */
  name: string;
  /** What the run's branch starts from: `origin/main` when the remote has it, else the local branch. */
  startPoint: string;
  commit: string;
}

/**
 * The base branch: the configured one, else the remote's default (origin/HEAD), else main/master on the remote,
 * else the branch the user has checked out. The start point prefers the remote's copy (fresh after fetch).
 */
export async function resolveBaseBranch(
  root: string,
  input: { configured?: string | undefined; remote: string; hasRemote: boolean },
  options: GitOptions,
): Promise<BaseBranch> {
  const { remote } = input;
  let name = input.configured;
  if (!name && input.hasRemote) {
    const head = await gitTry(
      root,
      ['symbolic-ref', '--quiet', '--short', `refs/remotes/${remote}/HEAD`],
      options,
    );
    if (head?.trim()) name = head.trim().slice(remote.length + 1);
    else {
      for (const candidate of ['main', 'master', 'trunk', 'develop']) {
        if (await refExists(root, `refs/remotes/${remote}/${candidate}`, options)) {
          name = candidate;
          break;
        }
      }
    }
  }
  name ??= (await currentBranch(root, options)) ?? undefined;
  if (!name) {
    throw new AidevError(
      'GIT_ERROR',
      `cannot tell which branch to start from in ${root} (detached HEAD and no remote default)`,
      {
        hint: 'set git.base_branch in .aidevrc.yaml (e.g. main)',
      },
    );
  }
  const candidates = input.hasRemote
    ? [`refs/remotes/${remote}/${name}`, `refs/heads/${name}`]
    : [`refs/heads/${name}`];
  for (const ref of candidates) {
    // One call both checks the ref and reads its commit.
    const commit = (
      await gitTry(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], options)
    )?.trim();
    if (commit) return { name, startPoint: ref.replace(/^refs\/(remotes|heads)\//, ''), commit };
  }
  throw new AidevError(
    'GIT_ERROR',
    `the base branch "${name}" does not exist in ${root}${input.hasRemote ? ` nor on ${remote}` : ''}`,
    {
      hint: (await refExists(root, 'HEAD', options))
        ? 'set git.base_branch in .aidevrc.yaml to an existing branch'
        : 'the repository has no commits yet: commit something first (git commit --allow-empty -m init)',
    },
  );
}
