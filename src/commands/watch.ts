// `aidev watch [--once] [--label L] [--assignee A] [--interval S]`: claims the tracker's matching `todo` tasks and runs
// each through the same path as `aidev run` (its own session and worktree), resuming this watcher's interrupted runs
// first. The loop itself is src/core/watch; this file wires it to the session, the tracker and the run command.
import { hostname } from 'node:os';
import type { Task } from '../../providers/types.js';
import type { Approver } from '../core/approvals.js';
import { AidevError } from '../core/errors.js';
import type { RunEvent } from '../core/events.js';
import { repoRoot as findRepoRoot } from '../core/git/repo.js';
import { createRuntime } from '../core/runtime.js';
import { openSession, type GlobalOptions } from '../core/session.js';
import type { WatchEvent, WatchResult, WatchSettings } from '../core/watch/types.js';
import { watch, type RunHooks, type RunnerOutcome } from '../core/watch/watcher.js';
import { runResume } from './resume.js';
import { runRun } from './run.js';

export interface WatchOptions extends GlobalOptions {
  once?: boolean | undefined;
  label?: string | undefined;
  assignee?: string | undefined;
  /** Seconds between polls (overrides watch.interval). */
  interval?: number | undefined;
  workflow?: string | undefined;
  /** A JSONL script for the fake model (demos, tests), as `aidev run --fake-responses`. */
  fakeResponses?: string | undefined;
}

export interface WatchHooks {
  approver: Approver;
  emit: (event: WatchEvent | RunEvent) => void;
  /** Aborted on SIGTERM/SIGINT. */
  stop: AbortSignal;
  random?: (() => number) | undefined;
  isAlive?: ((pid: number) => boolean) | undefined;
}

/** The `watch` block, read defensively until the config schema declares it (see docs/watch.md). */
export function watchSettingsOf(
  config: object,
  flags: Pick<WatchOptions, 'once' | 'label' | 'assignee' | 'interval'>,
): WatchSettings {
  const block = (config as { watch?: Record<string, unknown> }).watch ?? {};
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const num = (v: unknown, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback;
  const system = (config as { system?: { max_concurrent_agents?: unknown } }).system;
  const settings: WatchSettings = {
    assignee: flags.assignee ?? text(block.assignee),
    label: flags.label ?? text(block.label),
    intervalS: flags.interval ?? num(block.interval, 60),
    jitter: Math.min(1, num(block.jitter, 0.1)),
    graceS: num(block.grace_period, 30),
    concurrency: Math.max(1, Math.floor(num(system?.max_concurrent_agents, 5))),
    once: flags.once ?? false,
  };
  if (!settings.assignee && !settings.label) {
    throw new AidevError('USAGE', 'aidev watch needs an assignee or a label to know which tasks are for it', {
      hint: 'set watch.assignee (the bot user, or me) and/or watch.label in .aidevrc.yaml, or pass --assignee / --label',
    });
  }
  if (settings.intervalS < 1)
    throw new AidevError('USAGE', `watch interval must be at least 1 second (got ${settings.intervalS})`, {
      hint: 'the default is 60 s; trackers rate-limit fast pollers',
    });
  return settings;
}

function isAliveDefault(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function runWatch(options: WatchOptions, hooks: WatchHooks): Promise<WatchResult> {
  // --fake-responses as `aidev run` reads it, for the watcher's own session and for the runs it resumes.
  const env = options.fakeResponses
    ? { ...options.env, AIDEV_FAKE_RESPONSES: options.fakeResponses }
    : options.env;
  const overrides = options.fakeResponses
    ? { ...options.overrides, ai: { ...(options.overrides?.ai as object | undefined), provider: 'fake' } }
    : options.overrides;
  const session = await openSession({ ...options, env, overrides });
  try {
    const { config } = session.loaded;
    const settings = watchSettingsOf(config, options);
    // A missing model key fails now, before any task is claimed (moved to in_progress and commented on).
    await session.providers.get('ai');
    const repoRoot = await findRepoRoot(session.loaded.repoRoot, { env: session.runtime.env });
    const tasks = await session.providers.get('tasks');
    const owner = `${hostname()}:${process.pid}`;
    const scope = `${tasks.id}:${tasks.id === 'local' ? repoRoot : 'tracker'}`;
    const forRun = (runId?: string) => ({
      ...options,
      runtime: createRuntime({
        env: options.env,
        cwd: options.cwd,
        clock: session.runtime.clock,
        // The claim comment names the run before it starts: the engine takes that id for its run.
        newId: (prefix) => (prefix === 'r' && runId ? runId : session.runtime.newId(prefix)),
      }),
    });
    const runTask = async (task: Task, runId: string, run: RunHooks): Promise<RunnerOutcome> => {
      const done = await runRun(
        {
          ...forRun(runId),
          ids: [task.id],
          workflow: options.workflow,
          fakeResponses: options.fakeResponses,
        },
        { approver: hooks.approver, emit: run.emit, signal: run.signal },
      );
      if (done.kind !== 'runs') throw new AidevError('INTERNAL', 'a watch run returned a plan');
      const summary = done.runs[0]!;
      return {
        status: summary.status,
        exitCode: summary.exitCode,
        costUsd: summary.costUsd,
        next: summary.next,
      };
    };
    const resumeRun = async (runId: string, run: RunHooks): Promise<RunnerOutcome> => {
      const result = await runResume(
        { ...forRun(), env, overrides, run: runId },
        { approver: hooks.approver, emit: run.emit, signal: run.signal, owner },
      );
      return { status: result.status, exitCode: result.exitCode, costUsd: result.costUsd, next: result.next };
    };
    return await watch({
      settings,
      ledger: session.ledger(),
      tasks,
      clock: session.runtime.clock,
      random: hooks.random ?? Math.random,
      owner,
      scope,
      repoRoot,
      newRunId: () => session.runtime.newId('r'),
      isAlive: hooks.isAlive ?? isAliveDefault,
      monthlyBudgetUsd: config.cost.monthly_budget,
      emit: hooks.emit,
      runTask,
      resumeRun,
      stop: hooks.stop,
    });
  } finally {
    session.close();
  }
}
