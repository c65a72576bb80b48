// Local git actions of a run: git.create_branch (the run's own worktree, plus workspace.setup), git.diff, git.commit
// (with the Aidev-Run trailer) and git.push (through the vcs provider, which adds its credentials).
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { AidevError } from '../../errors.js';
import {
  addWorktree,
  branchNameFor,
  commitAll,
  fetchRemote,
  findRunCommit,
  gitTry,
  remoteUrl,
  renderGitTemplate,
  repoRoot,
  resolveBaseBranch,
  stageAll,
  stagedDiff,
  untrackedPaths,
  worktreePathFor,
  type GitOptions,
} from '../../git/index.js';
import { aidevHome } from '../../paths.js';
import { reuseDependencies } from '../../workspace/reuse.js';
import { runSetup } from '../../workspace/setup.js';
import type { ProviderAction, StepContext } from '../types.js';

const SETUP_TIMEOUT_MS = 30 * 60_000;

function gitOptions(ctx: StepContext): GitOptions {
  return { env: ctx.runtime.env, signal: ctx.signal };
}

function stateString(ctx: StepContext, key: string): string | undefined {
  const value = ctx.state[key];
  return typeof value === 'string' && value ? value : undefined;
}

/** The run's worktree, or a clear error when the workflow forgot git.create_branch (or the folder was deleted). */
export function runWorktree(ctx: StepContext): string {
  const worktree = stateString(ctx, 'worktree');
  if (!worktree) {
    throw new AidevError('STEP_FAILED', `step ${ctx.stepId}: the run has no worktree yet`, {
      hint: 'put a `uses: git.create_branch` step before this one in the workflow',
    });
  }
  if (!existsSync(worktree)) {
    throw new AidevError('STEP_FAILED', `the run's worktree ${worktree} is gone`, {
      hint: 'it was removed by hand; start a new run (aidev run <ID>)',
    });
  }
  return worktree;
}

function excluded(ctx: StepContext): string[] {
  const value = ctx.state.setup_untracked;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const createBranch: ProviderAction = {
  name: 'git.create_branch',
  description:
    "Creates the run's branch in its own worktree (from the fetched base branch) and runs workspace.setup there",
  input: z.strictObject({
    branch: z.string().min(1).optional(),
    base: z.string().min(1).optional(),
    reuse: z.boolean().optional(),
  }),
  outputs: ['branch', 'worktree', 'base', 'reused', 'setup_ms', 'setup_reused'],
  async run(input, ctx) {
    const i = input as { branch?: string; base?: string; reuse?: boolean };
    const options = gitOptions(ctx);
    const root = await repoRoot(ctx.repoRoot, options);
    const { git } = ctx.config;
    const hasRemote = (await remoteUrl(root, git.remote, options)) !== null;
    if (hasRemote) {
      ctx.progress(`fetching ${git.remote}`);
      const fetched = await fetchRemote(root, git.remote, options);
      if (!fetched.ok)
        ctx.progress(
          `could not fetch ${git.remote} (${fetched.message ?? 'unknown error'}); starting from what is known locally`,
          'stderr',
        );
    }
    const base = await resolveBaseBranch(
      root,
      { configured: i.base ?? git.base_branch, remote: git.remote, hasRemote },
      options,
    );
    const branch = i.branch ?? stateString(ctx, 'branch') ?? branchNameFor(git.branch_template, ctx.scope());
    const path =
      stateString(ctx, 'worktree') ??
      worktreePathFor({
        home: aidevHome(ctx.runtime.env),
        workspaceDir: ctx.config.system.workspace_dir,
        repoRoot: root,
        runId: ctx.runId,
      });
    const added = await addWorktree(
      {
        root,
        path,
        branch,
        startPoint: base.startPoint,
        remote: git.remote,
        hasRemote,
        onExisting: i.reuse === false ? 'fail' : 'reuse',
      },
      options,
    );
    if (added.notice) {
      ctx.progress(added.notice, 'stderr');
      ctx.logger.warn(added.notice);
    }
    ctx.audit('git.create_branch', added.reused ? 'reused' : 'created', {
      branch,
      worktree: added.path,
      base: base.startPoint,
    });
    Object.assign(ctx.state, { branch, worktree: added.path, base: base.name, base_commit: base.commit });
    ctx.saveState();

    let setupMs = 0;
    let reusedNote: string | null = null;
    const setup = ctx.config.workspace.setup;
    if (setup.length && ctx.state.setup_done !== true) {
      const reuse = await reuseDependencies({
        main: root,
        worktree: added.path,
        setup,
        mode: ctx.config.workspace.reuse,
      });
      reusedNote = reuse.note;
      if (reuse.note) ctx.progress(reuse.note);
      else if (reuse.reason) ctx.progress(`installing in the worktree: ${reuse.reason}`);
      const { ready, ...decision } = reuse;
      ctx.audit('workspace.reuse', reuse.note ? 'reused' : 'skipped', decision);
      // The link finishes while the model plans; its time goes to the audit (a failure surfaces at the first command).
      const setupState = { durationMs: 0, reused: reusedNote };
      ctx.state.setup = setupState;
      ready?.then(
        ({ note, ...done }) => {
          // The PR body and the result, written later in the run, give the link's time.
          setupState.reused = note;
          try {
            ctx.audit('workspace.reuse', 'linked', done);
          } catch {
            // The run ended first (its ledger is closed): the figure is only lost from the audit.
          }
        },
        () => {},
      );
      const result = await runSetup({
        commands: reuse.remaining,
        cwd: added.path,
        env: ctx.runtime.env,
        timeoutMs: SETUP_TIMEOUT_MS,
        signal: ctx.signal,
        onLine: (line, stream) => ctx.progress(line, stream),
      });
      setupMs = Math.round(result.durationMs + reuse.durationMs);
      ctx.audit('workspace.setup', 'ran', result);
      setupState.durationMs = setupMs;
    }
    if (ctx.state.setup_done !== true) {
      // Whatever setup left untracked (a venv without a .gitignore entry) is not the agent's change: keep it out of
      // commits. A fresh checkout without setup has nothing untracked, so the tree walk is skipped.
      const untracked = setup.length ? await untrackedPaths(added.path, options) : [];
      // A node_modules still being linked is not listed yet; it is never the agent's change either. An ignored one
      // must not be named (git add refuses a pathspec that names an ignored path, even to exclude it).
      if (
        reusedNote &&
        !untracked.includes('node_modules/') &&
        !(await gitTry(added.path, ['check-ignore', 'node_modules/'], options))?.trim()
      )
        untracked.push('node_modules/');
      ctx.state.setup_untracked = untracked;
      ctx.state.setup_done = true;
      ctx.saveState();
    }
    return {
      branch,
      worktree: added.path,
      base: base.name,
      reused: added.reused,
      setup_ms: setupMs,
      setup_reused: reusedNote,
    };
  },
};

const diff: ProviderAction = {
  name: 'git.diff',
  description: "The run's changes in its worktree: the diff, the diffstat and the changed files",
  input: z.strictObject({}),
  outputs: ['diff', 'stat', 'files', 'empty'],
  async run(_input, ctx) {
    const cwd = runWorktree(ctx);
    const options = gitOptions(ctx);
    await stageAll(cwd, options, excluded(ctx));
    const d = await stagedDiff(cwd, options);
    return { diff: d.diff, stat: d.stat, files: d.files, empty: d.files.length === 0 };
  },
};

const commit: ProviderAction = {
  name: 'git.commit',
  description:
    'Commits the worktree with git.commit_template as the subject and an `Aidev-Run: <run-id>` trailer',
  input: z.strictObject({
    message: z.string().min(1).optional(),
    body: z.string().optional(),
  }),
  outputs: ['commit'],
  async run(input, ctx) {
    const i = input as { message?: string; body?: string };
    const cwd = runWorktree(ctx);
    const options = gitOptions(ctx);
    const subject =
      i.message ?? renderGitTemplate(ctx.config.git.commit_template, ctx.scope(), 'git.commit_template');
    const since = stateString(ctx, 'base_commit');
    const sha = await ctx.effect(
      'commit',
      'git.commit',
      async () => {
        const made = await commitAll(
          cwd,
          { subject, body: i.body, runId: ctx.runId, exclude: excluded(ctx) },
          options,
        );
        return { externalId: made, result: made };
      },
      // A crash after `git commit` but before the ledger heard of it: the trailer finds that commit.
      async () => {
        const found = await findRunCommit(cwd, ctx.runId, options, since);
        return found ? { externalId: found, result: found } : null;
      },
    );
    ctx.state.commit = sha;
    return { commit: sha };
  },
};

const push: ProviderAction = {
  name: 'git.push',
  description: "Pushes the run's branch to git.remote through the vcs provider",
  input: z.strictObject({ force: z.boolean().optional() }),
  outputs: ['remote', 'ref', 'branch'],
  async run(input, ctx) {
    const cwd = runWorktree(ctx);
    const branch = stateString(ctx, 'branch');
    if (!branch)
      throw new AidevError('STEP_FAILED', `step ${ctx.stepId}: the run has no branch`, {
        hint: 'run git.create_branch first',
      });
    const vcs = await ctx.providers.get('vcs');
    const force = (input as { force?: boolean }).force === true;
    const result = await ctx.effect('push', 'git.push', async () => {
      const pushed = await vcs.pushBranch({ cwd, branch, force }, { signal: ctx.signal });
      return { externalId: `${pushed.remote}:${pushed.ref}`, result: pushed };
    });
    ctx.audit('git.push', 'pushed', { branch, remote: result.remote });
    return { remote: result.remote, ref: result.ref, branch };
  },
};

export const gitActions: ProviderAction[] = [createBranch, diff, commit, push];
