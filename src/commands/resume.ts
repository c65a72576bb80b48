// `aidev resume <run>`: continues an interrupted, paused, budget-stopped or crashed run from its first unfinished step,
// optionally answering the pending approval (--approve | --reject | --feedback).
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { presetApprover, type ApprovalDecision } from '../core/approvals.js';
import { createPromptSource } from '../core/ai/prompts.js';
import { resumeRun } from '../core/engine/executor.js';
import { settleRunWorktree } from '../core/git/worktree.js';
import { loadWorkflowFile } from '../core/engine/loader.js';
import { resolveWorkflow } from '../core/engine/lookup.js';
import type { RunResult, WorkflowDef } from '../core/engine/types.js';
import { engineDeps, type RunHooks } from '../core/engine/wire.js';
import { AidevError } from '../core/errors.js';
import type { RunRow } from '../core/ledger/types.js';
import { openSession, type GlobalOptions } from '../core/session.js';

export interface ResumeOptions extends GlobalOptions {
  run: string;
  approve?: boolean | undefined;
  reject?: boolean | undefined;
  feedback?: string | undefined;
  /** --max-cost: raises this run's cost cap (USD), e.g. after a budget stop. */
  maxCost?: number | undefined;
  rollback?: boolean | undefined;
}

export async function runResume(options: ResumeOptions, hooks: RunHooks): Promise<RunResult> {
  if (options.approve && options.reject)
    throw new AidevError('USAGE', '--approve and --reject exclude each other', { hint: 'pick one' });
  const session = await openSession(options);
  try {
    const ledger = session.ledger();
    const run = ledger.findRun(options.run);
    if (!run) {
      throw new AidevError('RUN_NOT_FOUND', `no run "${options.run}" in the ledger ${ledger.path}`, {
        hint: 'list recent runs with `aidev runs list`',
      });
    }
    refuseIfAlive(run);
    const answer = decisionOf(options, session.runtime.env);
    if (answer && run.status !== 'awaiting_approval') {
      throw new AidevError('USAGE', `run ${run.id} is ${run.status}, not waiting for an approval`, {
        hint: `resume it without --approve/--reject/--feedback: aidev resume ${run.id}`,
      });
    }
    if (options.maxCost !== undefined) ledger.updateRun(run.id, { maxCostUsd: options.maxCost });
    const { repoRoot, config } = session.loaded;
    const workflow = workflowOf(run, repoRoot, config.workflows.paths, options.cwd);
    const approver = answer ? presetApprover(answer, hooks.approver) : hooks.approver;
    const deps = engineDeps(session, {
      ...hooks,
      approver,
      rollback: options.rollback ?? hooks.rollback,
      owner: hooks.owner ?? `${hostname()}:${process.pid}`,
    });
    const result = await resumeRun({ ...deps, workflow, run: ledger.getRun(run.id)! });
    // Like `aidev run`: the worktree goes after success and stays after anything else.
    const worktree = ledger.getRun(run.id)?.state.worktree;
    const settled = await settleRunWorktree(
      {
        root: repoRoot,
        worktree: typeof worktree === 'string' ? worktree : null,
        succeeded: result.status === 'succeeded',
      },
      { env: session.runtime.env },
    );
    if (settled.warning) session.logger.warn(settled.warning);
    return result;
  } finally {
    session.close();
  }
}

function decisionOf(
  options: ResumeOptions,
  env: Readonly<Record<string, string | undefined>>,
): Exclude<ApprovalDecision, { decision: 'pause' }> | undefined {
  const by = `${env.USER ?? env.USERNAME ?? 'someone'} (aidev resume)`;
  if (options.reject) return { decision: 'rejected', by, reason: options.feedback };
  if (options.approve) return { decision: 'approved', by };
  if (options.feedback !== undefined) return { decision: 'feedback', by, feedback: options.feedback };
  return undefined;
}

/** The workflow file the run started with; if it moved, the one found by name now. */
function workflowOf(run: RunRow, repoRoot: string, paths: readonly string[], cwd: string): WorkflowDef {
  const prompts = createPromptSource(repoRoot);
  const ctx = { repoRoot, config: undefined, promptExists: (name: string) => prompts.exists(name) };
  if (run.workflowFile && existsSync(run.workflowFile))
    return loadWorkflowFile(run.workflowFile, 'file', ctx);
  const entry = resolveWorkflow(run.workflow, { repoRoot, paths, cwd });
  return loadWorkflowFile(entry.file, entry.source, ctx);
}

/** A run still marked running whose process is alive on this host is not ours to resume. */
function refuseIfAlive(run: RunRow): void {
  if (run.status !== 'running') return;
  const owner = (run.state.engine as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string') return;
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid === process.pid) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // gone: the run crashed and can be resumed
  }
  throw new AidevError('USAGE', `run ${run.id} is still running (process ${pid})`, {
    hint: 'wait for it, or stop it with Ctrl-C first',
  });
}
