// What a run changed in its worktree, and committing it: stage in the worktree's own index, diff against HEAD,
// commit with the `Aidev-Run: <run-id>` trailer (which is also how a resumed run finds a commit it already made).
import { AidevError } from '../errors.js';
import { gitRun, gitTry, NO_AUTO_MAINTENANCE, type GitOptions } from './client.js';
import { commitMessage } from './names.js';

export interface WorktreeDiff {
  diff: string;
  stat: string;
  files: string[];
  /** True when the diff text was cut at `maxChars`. */
  truncated: boolean;
}

/** Stages everything in the worktree (its own index), except paths that were already untracked before the agent. */
export async function stageAll(
  cwd: string,
  options: GitOptions,
  exclude: readonly string[] = [],
): Promise<void> {
  const pathspecs = exclude.map((p) => `:(top,exclude,literal)${p}`);
  await gitRun(cwd, ['add', '--all', '--', '.', ...pathspecs], options);
}

export async function stagedDiff(
  cwd: string,
  options: GitOptions,
  maxChars = 400_000,
): Promise<WorktreeDiff> {
  // One git call gives the stat and the patch (the stat first, then the first `diff --git` line); the names come
  // from a second, NUL-separated, so that odd file names need no unquoting.
  const [both, names] = await Promise.all([
    gitRun(
      cwd,
      ['diff', '--cached', '--no-color', '--no-ext-diff', '--stat=100', '--patch', 'HEAD'],
      options,
    ),
    gitRun(cwd, ['diff', '--cached', '--name-only', '-z', 'HEAD'], options),
  ]);
  const at = both.startsWith('diff --git ') ? 0 : both.indexOf('\ndiff --git ');
  const start = at < 0 ? both.length : at === 0 ? 0 : at + 1;
  const stat = both.slice(0, start);
  const diff = both.slice(start);
  const truncated = diff.length > maxChars;
  return {
    diff: truncated
      ? `${diff.slice(0, maxChars)}\n… (diff cut at ${maxChars} characters; see the worktree for the rest)\n`
      : diff,
    stat: stat.trimEnd(),
    files: names.split('\0').filter(Boolean),
    truncated,
  };
}

/** Top-level untracked paths (folders collapsed), e.g. what workspace.setup created without a .gitignore entry. */
export async function untrackedPaths(cwd: string, options: GitOptions): Promise<string[]> {
  const out = await gitRun(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=normal'], options);
  return out
    .split('\0')
    .filter((entry) => entry.startsWith('?? '))
    .map((entry) => entry.slice(3));
}

/** The commit of this run on HEAD, found by its trailer; `since` (the base commit) bounds the walk on big histories. */
export async function findRunCommit(
  cwd: string,
  runId: string,
  options: GitOptions,
  since?: string,
): Promise<string | null> {
  const range = since ? `${since}..HEAD` : 'HEAD';
  const out = await gitTry(
    cwd,
    ['log', '--max-count=1', '--format=%H', '--fixed-strings', `--grep=Aidev-Run: ${runId}`, range],
    options,
  );
  return out?.trim() || null;
}

export interface CommitInput {
  subject: string;
  body?: string | undefined;
  runId: string;
  exclude?: readonly string[] | undefined;
}

/**
 * Commits the worktree's changes. Hooks are skipped (`--no-verify`): the run's own checks already ran, and a hook
 * that prompts would hang a headless run. Without a configured identity, the commit is authored as `aidev`.
 */
export async function commitAll(cwd: string, input: CommitInput, options: GitOptions): Promise<string> {
  const [identity] = await Promise.all([
    gitTry(cwd, ['config', 'user.email'], options),
    stageAll(cwd, options, input.exclude),
  ]);
  const staged = await gitRun(cwd, ['diff', '--cached', '--name-only', 'HEAD'], options);
  if (!staged.trim()) {
    throw new AidevError('STEP_FAILED', `there is nothing to commit in ${cwd}: the run made no changes`, {
      hint: 'look at the agent step output (aidev runs show <run>): it finished without editing files',
    });
  }
  const extraEnv: Record<string, string> = identity?.trim()
    ? {}
    : {
        GIT_AUTHOR_NAME: 'aidev',
        GIT_AUTHOR_EMAIL: 'aidev@localhost',
        GIT_COMMITTER_NAME: 'aidev',
        GIT_COMMITTER_EMAIL: 'aidev@localhost',
      };
  const message = commitMessage(input.subject, input.body, input.runId);
  const commit = ['commit', '--quiet', '--no-verify', '--cleanup=verbatim', '-m', message];
  await gitRun(cwd, [...NO_AUTO_MAINTENANCE, ...commit], {
    ...options,
    extraEnv: { ...options.extraEnv, ...extraEnv },
  });
  return (await gitRun(cwd, ['rev-parse', 'HEAD'], options)).trim();
}

/** Files that differ from HEAD in the worktree (modified, added, deleted, untracked), without staging anything. */
export async function changedFiles(
  cwd: string,
  options: GitOptions,
  exclude: readonly string[] = [],
): Promise<string[]> {
  const out = await gitRun(
    cwd,
    ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'],
    options,
  );
  const skip = (path: string): boolean =>
    exclude.some((e) => path === e || path.startsWith(e.endsWith('/') ? e : `${e}/`));
  return out
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3))
    .filter((path) => !skip(path))
    .sort();
}
