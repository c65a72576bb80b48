// `aidev run <ID…>`: takes tasks to reviewed pull requests through the configured workflow (standard_dev by default).
// Plan first (--dry-run and --estimate stop there); then one engine run per task, each in its own worktree, at most
// system.max_concurrent_agents at once. A run's worktree is removed after success and kept after anything else.
import { hostname } from 'node:os';
import pLimit from 'p-limit';
import type { Task } from '../../providers/types.js';
import { findPrompt } from '../core/ai/prompts.js';
import type { Approver } from '../core/approvals.js';
import { startRun } from '../core/engine/executor.js';
import { loadWorkflowFile } from '../core/engine/loader.js';
import { resolveWorkflow } from '../core/engine/lookup.js';
import type { RunResult, WorkflowDef } from '../core/engine/types.js';
import { engineDeps } from '../core/engine/wire.js';
import { AidevError, ExitCode, toAidevError } from '../core/errors.js';
import type { Emit, RunStatus } from '../core/events.js';
import { repoRoot as findRepoRoot } from '../core/git/repo.js';
import { settleRunWorktree } from '../core/git/worktree.js';
import { openSession, type GlobalOptions, type Session } from '../core/session.js';
import { buildRunPlan, type RunPlan } from './run-plan.js';

export interface RunOptions extends GlobalOptions {
  ids: string[];
  workflow?: string | undefined;
  dryRun?: boolean | undefined;
  estimate?: boolean | undefined;
  parallel?: number | undefined;
  /** A JSONL script for the fake model: forces ai.provider fake (demos, tests). */
  fakeResponses?: string | undefined;
  /** Skip the checks on the untouched base (verify.baseline: false for this run). */
  noBaseline?: boolean | undefined;
}

export interface RunHooks {
  approver: Approver;
  emit?: Emit | undefined;
  signal?: AbortSignal | undefined;
  /** After the tasks load, before the first run: what will run and how many at once (the combined view). */
  onBatch?: ((batch: RunBatchPlan) => void) | undefined;
  /** As each task's run settles (its worktree removed or kept). */
  onSettled?: ((summary: RunSummary) => void) | undefined;
}

export interface RunBatchPlan {
  tasks: { id: string; title: string }[];
  /** --parallel capped by system.max_concurrent_agents. */
  parallel: number;
  requested: number;
  maxConcurrent: number;
}

/** One task's run: the engine's result (without the bulky step outputs) plus what a user or script looks for. */
export interface RunSummary extends RunResult {
  taskId: string;
  branch: string | null;
  commit: string | null;
  prUrl: string | null;
  /** Kept after anything but success, so the work can be inspected or resumed. */
  worktree: string | null;
  worktreeKept: boolean;
  checks: string | null;
  /** The checks on the base before the change (pre-existing failures named), or why they did not run. */
  baseline: string | null;
  /** workspace.setup: how long it took and whether the main checkout's dependencies were reused. */
  setup: { durationMs: number; reused: string | null } | null;
}

/** Several tasks (--parallel or more ids): the worst status and the summed cost, with every run inside. */
export interface RunBatch extends RunResult {
  runs: RunSummary[];
}

export type RunCommandResult =
  | { kind: 'plan'; plan: RunPlan; exitCode: number }
  | { kind: 'runs'; result: RunSummary | RunBatch; runs: RunSummary[]; exitCode: number };

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
      if (e.code !== 'TASK_NOT_FOUND') throw e;
      throw new AidevError('TASK_NOT_FOUND', e.message, {
        hint: e.hint ?? '`aidev tasks list` shows the tasks the tracker has',
        cause: error,
      });
    }
  }
  return out;
}

function loadWorkflow(session: Session, repoRoot: string, cwd: string, name: string): WorkflowDef {
  const { config } = session.loaded;
  const entry = resolveWorkflow(name, { repoRoot, paths: config.workflows.paths, cwd });
  return loadWorkflowFile(entry.file, entry.source, {
    repoRoot,
    config,
    promptExists: (p) => findPrompt(p, repoRoot) !== null,
  });
}

function summarize(session: Session, result: RunResult, taskId: string): RunSummary {
  const state = session.ledger().getRun(result.runId)?.state ?? {};
  const pr = state.pr as { url?: unknown } | undefined;
  const agent = Object.values(result.outputs).find((o) => typeof o.checks_summary === 'string');
  return {
    ...result,
    taskId,
    steps: result.steps.map(({ outputs: _outputs, ...step }) => step),
    outputs: {},
    branch: str(state.branch),
    commit: str(state.commit),
    prUrl: str(pr?.url),
    worktree: str(state.worktree),
    worktreeKept: false,
    checks: agent ? String(agent.checks_summary) : null,
    baseline: agent ? str(agent.baseline_summary) : null,
    setup: (state.setup as RunSummary['setup'] | undefined) ?? null,
  };
}

const SEVERITY: RunStatus[] = [
  'succeeded',
  'awaiting_approval',
  'rejected',
  'budget_exceeded',
  'failed',
  'interrupted',
  'running',
];

function batch(runs: RunSummary[], workflow: string): RunBatch {
  const worst = runs.reduce((a, b) => (SEVERITY.indexOf(b.status) > SEVERITY.indexOf(a.status) ? b : a));
  const failed = runs.find((r) => r.exitCode !== 0);
  return {
    runId: runs.map((r) => r.runId).join(','),
    workflow,
    taskId: null,
    status: worst.status,
    exitCode: failed?.exitCode ?? ExitCode.ok,
    steps: [],
    outputs: {},
    costUsd: runs.reduce((sum, r) => sum + r.costUsd, 0),
    tokens: runs.reduce((sum, r) => sum + r.tokens, 0),
    durationMs: Math.max(...runs.map((r) => r.durationMs)),
    error: failed?.error,
    next:
      runs
        .filter((r) => r.next)
        .map((r) => `${r.taskId}: ${r.next}`)
        .join('; ') || undefined,
    runs,
  };
}

/**
 * One task's run in a session of its own, so that parallel runs share nothing but the ledger file and the
 * process-wide rate limiter (a scripted model, for one, replays its script for each run from the start).
 */
async function runOne(
  options: GlobalOptions,
  hooks: RunHooks,
  repoRoot: string,
  workflow: WorkflowDef,
  task: Task,
): Promise<RunSummary> {
  const session = await openSession(options);
  try {
    const deps = engineDeps(session, {
      emit: hooks.emit ?? (() => {}),
      approver: hooks.approver,
      signal: hooks.signal ?? new AbortController().signal,
      owner: `${hostname()}:${process.pid}`,
    });
    const inputs =
      workflow.inputs.task_id || !Object.keys(workflow.inputs).length ? { task_id: task.id } : {};
    const summary = summarize(
      session,
      await startRun({ ...deps, workflow, inputs, taskId: task.id }),
      task.id,
    );
    const settled = await settleRunWorktree(
      { root: repoRoot, worktree: summary.worktree, succeeded: summary.status === 'succeeded' },
      { env: session.runtime.env },
    );
    summary.worktreeKept = settled.kept;
    if (settled.warning) session.logger.warn(settled.warning);
    hooks.onSettled?.(summary);
    return summary;
  } finally {
    session.close();
  }
}

export async function runRun(options: RunOptions, hooks: RunHooks): Promise<RunCommandResult> {
  if (!options.ids.length)
    throw new AidevError('USAGE', 'aidev run needs at least one task id', {
      hint: 'aidev run TASK-1 (see `aidev tasks list`)',
    });
  const env = options.fakeResponses
    ? { ...options.env, AIDEV_FAKE_RESPONSES: options.fakeResponses }
    : options.env;
  let overrides = options.fakeResponses
    ? { ...options.overrides, ai: { ...(options.overrides?.ai as object | undefined), provider: 'fake' } }
    : options.overrides;
  if (options.noBaseline)
    overrides = {
      ...overrides,
      verify: { ...(overrides?.verify as object | undefined), baseline: false },
    };
  const session = await openSession({
    ...options,
    env,
    overrides,
    runtime: options.runtime ? { ...options.runtime, env } : undefined,
  });
  try {
    const repoRoot = await findRepoRoot(session.loaded.repoRoot, { env: session.runtime.env });
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
    // A missing key or an unreadable model script fails here, before any branch, worktree or status change.
    await session.providers.get('ai');
    hooks.onBatch?.({
      tasks: tasks.map((t) => ({ id: t.id, title: t.title })),
      parallel,
      requested: options.parallel ?? 1,
      maxConcurrent: config.system.max_concurrent_agents,
    });
    const limit = pLimit(parallel);
    const runs = await Promise.all(
      tasks.map((task) =>
        limit(() => runOne({ ...options, env, overrides }, hooks, repoRoot, workflow, task)),
      ),
    );
    const result = runs.length === 1 ? runs[0]! : batch(runs, workflow.name);
    return { kind: 'runs', result, runs, exitCode: result.exitCode };
  } finally {
    session.close();
  }
}
