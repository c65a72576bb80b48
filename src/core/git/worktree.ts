// Per-run worktrees: `git worktree add` under $AIDEV_HOME/worktrees/<repo>/<run-id> (or system.workspace_dir).
// The user's checkout, index and current branch are never touched, and an existing branch is reused or refused,
// never reset.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AidevError } from '../errors.js';
import { gitRun, gitTry, type GitOptions } from './client.js';
import { workspaceReady } from '../workspace/reuse.js';

export function worktreesDir(input: {
  home: string;
  workspaceDir?: string | undefined;
  repoRoot: string;
}): string {
  const base = input.workspaceDir
    ? resolve(input.repoRoot, input.workspaceDir)
    : join(input.home, 'worktrees');
  return join(base, basename(input.repoRoot).replace(/[^A-Za-z0-9._-]+/g, '-') || 'repo');
}

export function worktreePathFor(input: {
  home: string;
  workspaceDir?: string | undefined;
  repoRoot: string;
  runId: string;
}): string {
  return join(worktreesDir(input), input.runId);
}

export interface WorktreeEntry {
  path: string;
  branch: string | null;
  head: string | null;
}

export async function listWorktrees(root: string, options: GitOptions): Promise<WorktreeEntry[]> {
  const out = await gitRun(root, ['worktree', 'list', '--porcelain'], options);
  const entries: WorktreeEntry[] = [];
  for (const block of out.split('\n\n')) {
    const lines = block.split('\n');
    const path = lines.find((l) => l.startsWith('worktree '))?.slice(9);
    if (!path) continue;
    const branch =
      lines
        .find((l) => l.startsWith('branch '))
        ?.slice(7)
        .replace(/^refs\/heads\//, '') ?? null;
    const head = lines.find((l) => l.startsWith('HEAD '))?.slice(5) ?? null;
    entries.push({ path: safeRealpath(path), branch, head });
  }
  return entries;
}

export interface AddWorktreeInput {
  root: string;
  path: string;
  branch: string;
  /** Where a new branch starts (`origin/main`). */
  startPoint: string;
  remote: string;
  hasRemote: boolean;
  /** What to do when the branch exists already: reuse it (with a notice) or stop with a hint. */
  onExisting: 'reuse' | 'fail';
}

export interface AddedWorktree {
  path: string;
  branch: string;
  reused: boolean;
  /** Set when something the user should know happened (a reused branch). */
  notice?: string | undefined;
}

export async function addWorktree(input: AddWorktreeInput, options: GitOptions): Promise<AddedWorktree> {
  const { root, branch } = input;
  const path = resolve(input.path);
  const worktrees = await listWorktrees(root, options);
  const here = worktrees.find((w) => w.path === safeRealpath(path));
  if (here) {
    if (here.branch === branch)
      return { path: here.path, branch, reused: true, notice: `reusing the worktree ${here.path}` };
    throw new AidevError(
      'GIT_ERROR',
      `${path} is already a worktree of branch ${here.branch ?? '(detached)'}`,
      {
        hint: `remove it with \`git worktree remove --force ${path}\``,
      },
    );
  }
  if (existsSync(path)) {
    throw new AidevError(
      'GIT_ERROR',
      `the worktree folder ${path} exists already and is not a worktree of this repository`,
      {
        hint: 'move or delete that folder, or set system.workspace_dir to another place',
      },
    );
  }
  mkdirSync(dirname(path), { recursive: true });

  const remoteRef = `refs/remotes/${input.remote}/${branch}`;
  const refs = (
    await gitRun(root, ['for-each-ref', '--format=%(refname)', `refs/heads/${branch}`, remoteRef], options)
  ).split('\n');
  const local = refs.includes(`refs/heads/${branch}`);
  const onRemote = input.hasRemote && refs.includes(remoteRef);
  if (local || onRemote) {
    if (input.onExisting === 'fail') {
      throw new AidevError(
        'GIT_ERROR',
        `the branch ${branch} exists already${local ? '' : ` on ${input.remote}`}`,
        {
          hint: 'delete it (git branch -D), change git.branch_template, or let the run reuse it',
        },
      );
    }
    const holder = worktrees.find((w) => w.branch === branch);
    if (holder) {
      throw new AidevError(
        'GIT_ERROR',
        `the branch ${branch} is checked out in ${holder.path}, so a run cannot use it`,
        {
          hint:
            holder.path === safeRealpath(root)
              ? `switch your checkout to another branch (git switch -), or change git.branch_template`
              : `that is a kept worktree of an earlier run: \`aidev resume\` that run, or remove it (git worktree remove --force ${holder.path})`,
        },
      );
    }
    if (local) await gitRun(root, ['worktree', 'add', '--quiet', path, branch], options);
    else
      await gitRun(
        root,
        ['worktree', 'add', '--quiet', '--no-track', '-b', branch, path, `${input.remote}/${branch}`],
        options,
      );
    const ahead = await gitTry(path, ['rev-list', '--count', `${input.startPoint}..HEAD`], options);
    const count = Number(ahead?.trim() ?? '0');
    return {
      path: safeRealpath(path),
      branch,
      reused: true,
      notice: `the branch ${branch} exists already${local ? '' : ` on ${input.remote}`}${count ? ` (${count} commit${count === 1 ? '' : 's'} ahead of ${input.startPoint})` : ''}: reusing it, nothing is reset`,
    };
  }
  await gitRun(
    root,
    ['worktree', 'add', '--quiet', '--no-track', '-b', branch, path, input.startPoint],
    options,
  );
  return { path: safeRealpath(path), branch, reused: false };
}

/** Removes a run's worktree (the branch stays). A folder that is already gone only needs a prune. */
export async function removeWorktree(root: string, path: string, options: GitOptions): Promise<void> {
  if (existsSync(path)) await gitRun(root, ['worktree', 'remove', '--force', path], options);
  await gitTry(root, ['worktree', 'prune'], options);
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * The end of a run's worktree: removed after success (the branch stays, pushed), kept after anything else so the work
 * can be inspected or resumed. Used by `aidev run` and meant for `aidev resume` too. Removal is a rename plus
 * `git worktree prune`, and the files are deleted in the background: nobody should wait for 10,000 unlinks.
 */
export async function settleRunWorktree(
  input: { root: string; worktree: string | null; succeeded: boolean },
  options: GitOptions,
): Promise<{ kept: boolean; warning?: string | undefined }> {
  if (!input.worktree || !existsSync(input.worktree)) return { kept: false };
  // A node_modules link still running (a run that never ran a command) must not write into a moved folder.
  await workspaceReady(input.worktree).catch(() => {});
  if (!input.succeeded) return { kept: true };
  const trash = join(dirname(input.worktree), `.trash-${basename(input.worktree)}`);
  try {
    renameSync(input.worktree, trash);
  } catch {
    // Another file system or a busy folder: the slow way.
    try {
      await removeWorktree(input.root, input.worktree, options);
      return { kept: false };
    } catch (error) {
      return {
        kept: true,
        warning: `could not remove the worktree ${input.worktree}: ${(error as Error).message}`,
      };
    }
  }
  await gitTry(input.root, ['worktree', 'prune'], options);
  deleteInBackground(trash);
  return { kept: false };
}

function deleteInBackground(path: string): void {
  try {
    const child = spawn('rm', ['-rf', '--', path], { detached: true, stdio: 'ignore' });
    child.on('error', () => rmSync(path, { recursive: true, force: true }));
    child.unref();
  } catch {
    rmSync(path, { recursive: true, force: true });
  }
}
