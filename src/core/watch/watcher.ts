// The watch loop: resume this watcher's interrupted runs, then poll the tracker for matching `todo` tasks, claim them
// (claim.ts) and run them through the normal run path with bounded concurrency. On stop (SIGTERM/SIGINT at the edge)
// it claims nothing more, lets each running step reach its checkpoint (bounded by the grace period, then aborts) and
// returns with every run resumable. Headless: the run path, the clock and the randomness are injected.
import { setTimeout as delay } from 'node:timers/promises';
import type { Task, TasksProvider } from '../../../providers/types.js';
import type { RunEvent, RunStatus } from '../events.js';
import type { Ledger } from '../ledger/types.js';
import type { Clock } from '../runtime.js';
import { claimTask, CLAIM_KIND } from './claim.js';
import { orphanClaims, resumableRuns } from './resumable.js';
import type { WatchEvent, WatchResult, WatchRunOutcome, WatchSettings } from './types.js';

export interface RunnerOutcome {
  status: RunStatus;
  exitCode: number;
  costUsd: number;
  next?: string | undefined;
}

export interface WatchDeps {
  settings: WatchSettings;
  ledger: Ledger;
  tasks: TasksProvider;
  clock: Clock;
  random: () => number;
  /** host:pid. */
  owner: string;
  scope: string;
  repoRoot: string;
  newRunId: () => string;
  isAlive: (pid: number) => boolean;
  monthlyBudgetUsd: number;
  emit: (event: WatchEvent | RunEvent) => void;
  runTask: (task: Task, runId: string, hooks: RunHooks) => Promise<RunnerOutcome>;
  resumeRun: (runId: string, hooks: RunHooks) => Promise<RunnerOutcome>;
  /** Fires on SIGTERM/SIGINT. */
  stop: AbortSignal;
}

export interface RunHooks {
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
}

const MAX_BACKOFF_S = 15 * 60;

export async function watch(deps: WatchDeps): Promise<WatchResult> {
  const { settings, ledger } = deps;
  const now = () => deps.clock.now().toISOString();
  const running = new Map<string, { taskId: string; controller: AbortController }>();
  const inFlight = new Set<Promise<void>>();
  const result: WatchResult = { polls: 0, claimed: [], runs: [], stoppedBy: null, exitCode: 0 };
  let draining = false;

  const emitCost = () => {
    const at = deps.clock.now();
    const sum = (since: string) => ledger.spend({ since }).reduce((s, r) => s + r.costUsd, 0);
    deps.emit({
      type: 'watch.cost',
      todayUsd: sum(at.toISOString().slice(0, 10)),
      monthUsd: sum(at.toISOString().slice(0, 7) + '-01'),
      monthlyBudgetUsd: deps.monthlyBudgetUsd,
      at: now(),
    });
  };

  // Runs are queued on this simple semaphore rather than p-limit, so a drain can abort ones not started yet.
  let active = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (active < settings.concurrency) return void active++;
    await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
  };
  const freeSlot = () => {
    active--;
    waiting.shift()?.();
  };

  const launch = (
    taskId: string,
    runId: string,
    resumed: boolean,
    start: (hooks: RunHooks) => Promise<RunnerOutcome>,
  ) => {
    const controller = new AbortController();
    const job = (async () => {
      await slot();
      try {
        if (draining) controller.abort();
        running.set(runId, { taskId, controller });
        deps.emit({ type: 'watch.run_started', taskId, runId, resumed, at: now() });
        const emit = (event: RunEvent) => {
          deps.emit(event);
          // Draining: the step just checkpointed, so stop here; the run is saved as interrupted and resumable.
          if (draining && event.type === 'step.finished' && event.runId === runId) controller.abort();
        };
        const outcome = await start({ signal: controller.signal, emit });
        record(taskId, runId, resumed, outcome);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        deps.emit({ type: 'log', level: 'error', message: `${taskId}: ${message}`, runId, at: now() });
        record(taskId, runId, resumed, { status: 'failed', exitCode: 1, costUsd: 0 });
      } finally {
        running.delete(runId);
        freeSlot();
      }
    })();
    inFlight.add(job);
    void job.finally(() => inFlight.delete(job));
  };

  const record = (taskId: string, runId: string, resumed: boolean, outcome: RunnerOutcome) => {
    const entry: WatchRunOutcome = { taskId, runId, resumed, ...outcome };
    result.runs.push(entry);
    deps.emit({
      type: 'watch.run_finished',
      taskId,
      runId,
      status: outcome.status,
      costUsd: outcome.costUsd,
      next: outcome.next,
      at: now(),
    });
    if (outcome.status === 'awaiting_approval')
      deps.emit({
        type: 'watch.approval_needed',
        taskId,
        runId,
        next: outcome.next ?? `aidev resume ${runId} --approve`,
        at: now(),
      });
    emitCost();
  };

  const onStop = () => {
    if (draining) return;
    draining = true;
    result.stoppedBy = String(deps.stop.reason ?? 'signal');
    deps.emit({
      type: 'watch.stopping',
      reason: result.stoppedBy,
      graceS: settings.graceS,
      running: [...running.keys()],
      at: now(),
    });
    // Past the grace period, steps still running are aborted mid-step (the engine saves them as interrupted).
    void delay(settings.graceS * 1000, undefined, { ref: false }).then(() => {
      for (const { controller } of running.values()) controller.abort();
    });
  };
  if (deps.stop.aborted) onStop();
  else deps.stop.addEventListener('abort', onStop, { once: true });

  deps.emit({
    type: 'watch.started',
    filter: { assignee: settings.assignee ?? null, label: settings.label ?? null },
    intervalS: settings.intervalS,
    concurrency: settings.concurrency,
    ledger: ledger.path,
    at: now(),
  });
  emitCost();

  for (const run of resumableRuns(ledger, {
    repoRoot: deps.repoRoot,
    owner: deps.owner,
    isAlive: deps.isAlive,
  })) {
    if (draining) break;
    launch(run.taskId ?? '?', run.id, true, (hooks) => deps.resumeRun(run.id, hooks));
  }
  if (!draining) await adoptOrphans();

  /** Claims this host won whose run never started: start them under the run id the claim comment names. */
  async function adoptOrphans(): Promise<void> {
    try {
      const claimed = await deps.tasks.listTasks(
        { status: 'in_progress', assignee: settings.assignee, label: settings.label },
        { signal: deps.stop },
      );
      for (const { task, runId } of orphanClaims(ledger, claimed, deps)) {
        if (draining) break;
        deps.emit({ type: 'watch.claimed', taskId: task.id, runId, title: task.title, at: now() });
        launch(task.id, runId, false, (hooks) => deps.runTask(task, runId, hooks));
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.emit({
        type: 'log',
        level: 'warn',
        message: `could not look for unstarted claims: ${message}`,
        at: now(),
      });
    }
  }

  let failures = 0;
  while (!draining) {
    result.polls++;
    const started = performance.now();
    let wait = settings.intervalS;
    try {
      const tasks = await deps.tasks.listTasks(
        { status: 'todo', assignee: settings.assignee, label: settings.label },
        { signal: deps.stop },
      );
      deps.emit({
        type: 'watch.polled',
        poll: result.polls,
        matching: tasks.map((t) => t.id),
        durationMs: Math.round(performance.now() - started),
        at: now(),
      });
      failures = 0;
      for (const task of tasks) {
        // Claim only what can start now (all of it with --once), so other watchers can take the rest.
        if (draining || (!settings.once && active + waiting.length >= settings.concurrency)) break;
        const claim = await claimTask(
          {
            ledger,
            tasks: deps.tasks,
            now,
            newRunId: deps.newRunId,
            owner: deps.owner,
            scope: deps.scope,
            signal: deps.stop,
          },
          task,
        );
        if (!claim.won) {
          deps.emit({ type: 'watch.skipped', taskId: task.id, reason: claim.reason, at: now() });
          continue;
        }
        result.claimed.push(task.id);
        deps.emit({
          type: 'watch.claimed',
          taskId: task.id,
          runId: claim.runId,
          title: task.title,
          at: now(),
        });
        launch(task.id, claim.runId, false, (hooks) => deps.runTask(task, claim.runId, hooks));
      }
    } catch (error) {
      if (draining) break;
      failures++;
      wait = Math.min(MAX_BACKOFF_S, Math.max(retryAfterS(error) ?? 0, settings.intervalS * 2 ** failures));
      const message = error instanceof Error ? error.message : String(error);
      deps.emit({ type: 'watch.poll_failed', poll: result.polls, message, retryInS: wait, at: now() });
      if (settings.once) result.exitCode = 1;
    }
    if (settings.once) break;
    const jittered = wait * (1 + settings.jitter * (deps.random() * 2 - 1));
    await delay(Math.max(0, jittered) * 1000, undefined, { signal: deps.stop }).catch(() => undefined);
  }

  while (inFlight.size) await Promise.all([...inFlight]);
  deps.stop.removeEventListener('abort', onStop);
  result.exitCode = exitCodeOf(result);
  return result;
}

/** Stopped → 130 (everything resumable); else the worst run, where awaiting approval is an expected stop, not a failure. */
function exitCodeOf(result: WatchResult): number {
  if (result.stoppedBy) return 130;
  const codes = result.runs.map((r) => r.exitCode).filter((c) => c !== 4 && c !== 0);
  return codes.length ? Math.max(...codes) : result.exitCode;
}

/** A tracker's own wait, where its error carries one (RateLimited, or details.retryAfterSeconds). */
function retryAfterS(error: unknown): number | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const direct = (e as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof direct === 'number') return direct;
    const detail = (e as { details?: { retryAfterSeconds?: unknown } }).details?.retryAfterSeconds;
    if (typeof detail === 'number') return detail;
  }
  return undefined;
}

export { CLAIM_KIND };
