// `aidev run <ID…>`: takes tasks to reviewed pull requests through the configured workflow (standard_dev by default).
// Plan first (--dry-run and --estimate stop there); then one engine run per task, each in its own worktree, at most
// system.max_concurrent_agents at once. A run's worktree is removed after success and kept after anything else.
import pLimit from 'p-limit';
import type { Task } from '../../providers/types.js';
import type { Approver } from '../core/approvals.js';
import { resolveWorkflow } from '../core/engine/lookup.js';
import { loadWorkflowFile } from '../core/engine/loader.js';
import { startRun } from '../core/engine/executor.js';
import type { RunResult, WorkflowDef } from '../core/engine/types.js';
import { AidevError, ExitCode, toAidevError } from '../core/errors.js';
import type { Emit, RunStatus } from '../core/events.js';
import { removeWorktree } from '../core/git/worktree.js';
import { repoRoot as findRepoRoot } from '../core/git/repo.js';
import { findPrompt } from '../core/ai/prompts.js';
import { openSession, type GlobalOptions, type Session } from '../core/session.js';
import { engineDeps, registerRunKinds } from './run-engine.js';
import { buildRunPlan, type RunPlan } from './run-plan.js';

export interface RunOptions extends GlobalOptions {
  ids: string[];
  workflow?: string | undefined;
  dryRun?: boolean | undefined;
  estimate?: boolean | undefined;
  parallel?: number | undefined;
  /** A JSONL script for the fake model: forces ai.provider fake (demos, tests). */
  fakeResponses?: string | undefined;
  approver: Approver;
  emit?: Emit | undefined;
  signal?: AbortSignal | undefined;
  /** Runs after the session opens, before any run (aidev demo injects its scripted model here). */
  prepare?: ((session: Session) => void | Promise<void>) | undefined;
}

export interface RunSummary {
  runId: string;
  taskId: string;
  status: RunStatus;
  exitCode: number;
  branch: string | null;
  commit: string | null;
  prUrl: string | null;
  costUsd: number;
  tokens: number;
  durationMs: number;
  /** Kept after anything but success, so the work can be inspected or resumed. */
  worktree: string | null;
  worktreeKept: boolean;
  checks: string | null;
  error?: { code: string; message: string; hint?: string | undefined } | undefined;
  next?: string | undefined;
}

export type RunCommandResult =
  | { kind: 'plan'; plan: RunPlan; exitCode: number }
  | { kind: 'runs'; runs: RunSummary[]; costUsd: number; exitCode: number };

function str(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

async function loadTasks(session: Session, ids: string[]): Promise<Task[]> {
  const tasks = await session.providers.get('tasks');
  const out: Task[] = [];
  for (const id of ids) {
    try {
      out.push(await tasks.getTask(id));
    } catch (error) {
      const e = toAidevError(error, 'TASK_NOT_FOUND');
      if (e.code === 'TASK_NOT_FOUND')
        throw new AidevError('TASK_NOT_FOUND', e.message, {
          hint: e.hint ?? '`aidev tasks list` shows the tasks the tracker has',
          cause: error,
        });
      throw e;
    }
  }
  return out;
}

function loadWorkflow(session: Session, repoRoot: string, cwd: string, name: string): WorkflowDef {
  registerRunKinds();
  const { config } = session.loaded;
  const entry = resolveWorkflow(name, { repoRoot, paths: config.workflows.paths, cwd });
  return loadWorkflowFile(entry.file, entry.source, {
    repoRoot,
    config,
    promptExists: (p) => findPrompt(p, repoRoot) !== null,
  });
}

function summarize(session: Session, result: RunResult, taskId: string): RunSummary {
  const row = session.ledger().getRun(result.runId);
  const state = row?.state ?? {};
  const pr = state.pr as { url?: unknown } | undefined;
  const agent = Object.values(result.outputs).find((o) => typeof o.checks_summary === 'string');
  return {
    runId: result.runId,
    taskId,
    status: result.status,
    exitCode: result.exitCode,
    branch: str(state.branch),
    commit: str(state.commit),
    prUrl: str(pr?.url),
    costUsd: result.costUsd,
    tokens: result.tokens,
    durationMs: result.durationMs,
    worktree: str(state.worktree),
    worktreeKept: false,
    checks: agent ? String(agent.checks_summary) : null,
    error: result.error,
    next: result.next,
  };
}

/** After success the worktree goes (the branch stays, pushed); after anything else it stays for inspection. */
async function settleWorktree(summary: RunSummary, repoRoot: string, session: Session): Promise<void> {
  if (!summary.worktree) return;
  if (summary.status !== 'succeeded') {
    summary.worktreeKept = true;
    return;
  }
  try {
    await removeWorktree(repoRoot, summary.worktree, { env: session.runtime.env });
  } catch (error) {
    summary.worktreeKept = true;
    session.logger.warn(`could not remove the worktree ${summary.worktree}: ${(error as Error).message}`);
  }
}

export async function runRun(options: RunOptions): Promise<RunCommandResult> {
  if (!options.ids.length)
    throw new AidevError('USAGE', 'aidev run needs at least one task id', {
      hint: 'aidev run TASK-1 (see `aidev tasks list`)',
    });
  const env = options.fakeResponses
    ? { ...options.env, AIDEV_FAKE_RESPONSES: options.fakeResponses }
    : options.env;
  const overrides = options.fakeResponses
    ? { ...options.overrides, ai: { ...(options.overrides?.ai as object | undefined), provider: 'fake' } }
    : options.overrides;
  const session = await openSession({
    ...options,
    env,
    overrides,
    runtime: options.runtime ? { ...options.runtime, env } : undefined,
  });
  try {
    const repoRoot = await findRepoRoot(session.loaded.repoRoot, { env: session.runtime.env });
    await options.prepare?.(session);
    const { config } = session.loaded;
    const workflow = loadWorkflow(session, repoRoot, options.cwd, options.workflow ?? config.workflows.run);
    const tasks = await loadTasks(session, [...new Set(options.ids)]);
    const parallel = Math.max(1, Math.min(options.parallel ?? 1, config.system.max_concurrent_agents));
    if (options.dryRun || options.estimate) {
      return {
        kind: 'plan',
        plan: await buildRunPlan({ session, repoRoot, workflow, tasks, parallel }),
        exitCode: ExitCode.ok,
      };
    }
    const signal = options.signal ?? new AbortController().signal;
    const deps = engineDeps(session, repoRoot, {
      emit: options.emit ?? (() => {}),
      approver: options.approver,
      signal,
    });
    const limit = pLimit(parallel);
    const runs = await Promise.all(
      tasks.map((task) =>
        limit(async () => {
          const result = await startRun({
            ...deps,
            workflow,
            inputs:
              workflow.inputs.task_id || !Object.keys(workflow.inputs).length ? { task_id: task.id } : {},
            taskId: task.id,
          });
          const summary = summarize(session, result, task.id);
          await settleWorktree(summary, repoRoot, session);
          return summary;
        }),
      ),
    );
    const failed = runs.find((r) => r.exitCode !== 0);
    return {
      kind: 'runs',
      runs,
      costUsd: runs.reduce((sum, r) => sum + r.costUsd, 0),
      exitCode: failed?.exitCode ?? ExitCode.ok,
    };
  } finally {
    session.close();
  }
}
