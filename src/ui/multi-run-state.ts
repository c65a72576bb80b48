// The combined view of several runs (aidev run A B C --parallel N), folded from RunEvents: one block per task, each
// holding the single-run view of run-state.ts once its run has started. Pure and React-free, like run-state.ts.
import type { RunEvent } from '../core/events.js';
import type { BatchPlan, RunOutcome } from '../reporters/types.js';
import { emptyView, reduce, type RunView } from './run-state.js';

export interface TaskBlock {
  id: string;
  title: string;
  /** The run's own view, from its run.started on. */
  run?: RunView | undefined;
  /** From the settled run: its pull request and how to continue it. */
  prUrl?: string | null | undefined;
  next?: string | undefined;
  /** The run's ending error (run.finished), for failed and paused blocks. */
  error?: { code: string; message: string } | undefined;
}

export interface MultiView {
  tasks: TaskBlock[];
  parallel: number;
  requested: number;
  maxConcurrent: number;
  /** Warnings that belong to no run (the Ctrl-C notice, a provider's warning), the last few. */
  notes: string[];
}

export type Phase = 'queued' | 'running' | 'approval' | 'succeeded' | 'failed' | 'rejected' | 'paused';

export interface Totals {
  running: number;
  /** Of the running, how many wait at a gate. */
  approval: number;
  queued: number;
  done: number;
  failed: number;
  paused: number;
  rejected: number;
  tokens: number;
  costUsd: number;
}

const KEEP_NOTES = 3;

export function emptyMultiView(): MultiView {
  return { tasks: [], parallel: 1, requested: 1, maxConcurrent: 1, notes: [] };
}

export function planMulti(view: MultiView, plan: BatchPlan): MultiView {
  const known = new Map(view.tasks.map((t) => [t.id, t]));
  const tasks = plan.tasks.map((t) => ({ ...known.get(t.id), id: t.id, title: t.title }));
  // Blocks that started before the plan arrived (never in practice) stay at the end.
  for (const t of view.tasks) if (!plan.tasks.some((p) => p.id === t.id)) tasks.push(t);
  return {
    ...view,
    tasks,
    parallel: plan.parallel,
    requested: plan.requested,
    maxConcurrent: plan.maxConcurrent,
  };
}

function patchTask(view: MultiView, index: number, patch: Partial<TaskBlock>): MultiView {
  return { ...view, tasks: view.tasks.map((t, i) => (i === index ? { ...t, ...patch } : t)) };
}

export function reduceMulti(view: MultiView, event: RunEvent): MultiView {
  if (event.type === 'run.started') {
    const id = event.taskId ?? event.runId;
    const run = reduce(emptyView(), event);
    const index = view.tasks.findIndex((t) => t.id === id);
    if (index < 0) return { ...view, tasks: [...view.tasks, { id, title: '', run }] };
    return patchTask(view, index, { run, prUrl: undefined, next: undefined, error: undefined });
  }
  const runId = 'runId' in event ? event.runId : undefined;
  const index = runId === undefined ? -1 : view.tasks.findIndex((t) => t.run?.runId === runId);
  const block = view.tasks[index];
  if (!block?.run) {
    if (event.type === 'log' && (event.level === 'warn' || event.level === 'error'))
      return { ...view, notes: [...view.notes, event.message].slice(-KEEP_NOTES) };
    return view;
  }
  const run = reduce(block.run, event);
  return patchTask(view, index, event.type === 'run.finished' ? { run, error: event.error } : { run });
}

export function settleMulti(view: MultiView, outcome: RunOutcome): MultiView {
  const index = view.tasks.findIndex((t) => t.run?.runId === outcome.runId || t.id === outcome.taskId);
  if (index < 0) return view;
  return patchTask(view, index, { prUrl: outcome.prUrl, next: outcome.next });
}

export function phaseOf(block: TaskBlock): Phase {
  const run = block.run;
  if (!run) return 'queued';
  switch (run.status) {
    case undefined:
    case 'running':
      return run.approval ? 'approval' : 'running';
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'rejected':
      return 'rejected';
    default:
      // interrupted, awaiting_approval, budget_exceeded: saved, and `aidev resume` continues them
      return 'paused';
  }
}

export function totalsOf(view: MultiView): Totals {
  const totals: Totals = {
    running: 0,
    approval: 0,
    queued: 0,
    done: 0,
    failed: 0,
    paused: 0,
    rejected: 0,
    tokens: 0,
    costUsd: 0,
  };
  for (const block of view.tasks) {
    const phase = phaseOf(block);
    if (phase === 'approval') {
      totals.running++;
      totals.approval++;
    } else if (phase === 'succeeded') totals.done++;
    else totals[phase]++;
    totals.tokens += block.run?.tokens ?? 0;
    totals.costUsd += block.run?.costUsd ?? 0;
  }
  return totals;
}

/** The step a running block is on: its 1-based position, the count, and its id and title. */
export function currentStep(
  run: RunView,
): { index: number; count: number; id: string; title: string; attempt: number } | null {
  const index = run.steps.findIndex((s) => s.status === 'running' || s.status === 'awaiting_approval');
  const step = run.steps[index];
  if (!step) return null;
  return {
    index: index + 1,
    count: run.steps.length,
    id: step.id,
    title: step.title ?? step.kind,
    attempt: step.attempt,
  };
}
