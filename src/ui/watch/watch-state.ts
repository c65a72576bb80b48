// The watch dashboard's state, folded from events: what is queued, running, waiting for a person, done, and what it
// cost today and this month. Pure, so the Ink view and its tests share one reducer.
import type { RunEvent, RunStatus } from '../../core/events.js';
import type { WatchEvent } from '../../core/watch/types.js';

export interface RunningView {
  taskId: string;
  runId: string;
  step: string | null;
  costUsd: number;
  resumed: boolean;
}

export interface WatchView {
  filter: string;
  intervalS: number;
  concurrency: number;
  ledger: string;
  polls: number;
  lastPollAt: string | null;
  /** Matching tasks not claimed (yet), with why. */
  queue: { taskId: string; note: string }[];
  running: RunningView[];
  awaiting: { taskId: string; runId: string; next: string }[];
  done: { taskId: string; runId: string; status: RunStatus; costUsd: number }[];
  todayUsd: number;
  monthUsd: number;
  monthlyBudgetUsd: number;
  stopping: string | null;
  /** The last few warnings and errors. */
  notes: string[];
}

export function emptyView(): WatchView {
  return {
    filter: '',
    intervalS: 0,
    concurrency: 0,
    ledger: '',
    polls: 0,
    lastPollAt: null,
    queue: [],
    running: [],
    awaiting: [],
    done: [],
    todayUsd: 0,
    monthUsd: 0,
    monthlyBudgetUsd: 0,
    stopping: null,
    notes: [],
  };
}

const KEEP_DONE = 8;
const KEEP_NOTES = 4;

export function reduceWatch(view: WatchView, event: WatchEvent | RunEvent): WatchView {
  switch (event.type) {
    case 'watch.started': {
      const parts = [];
      if (event.filter.assignee) parts.push(`assignee ${event.filter.assignee}`);
      if (event.filter.label) parts.push(`label ${event.filter.label}`);
      return {
        ...view,
        filter: parts.join(', '),
        intervalS: event.intervalS,
        concurrency: event.concurrency,
        ledger: event.ledger,
      };
    }
    case 'watch.polled': {
      const busy = new Set([...view.running.map((r) => r.taskId), ...view.awaiting.map((a) => a.taskId)]);
      return {
        ...view,
        polls: event.poll,
        lastPollAt: event.at,
        queue: event.matching.filter((id) => !busy.has(id)).map((taskId) => ({ taskId, note: 'todo' })),
      };
    }
    case 'watch.poll_failed':
      return note(
        { ...view, polls: event.poll },
        `poll failed: ${event.message} (retry in ${event.retryInS} s)`,
      );
    case 'watch.skipped':
      return { ...view, queue: upsertQueue(view.queue, event.taskId, event.reason) };
    case 'watch.claimed':
      return { ...view, queue: upsertQueue(view.queue, event.taskId, `claimed, run ${event.runId}`) };
    case 'watch.run_started':
      return {
        ...view,
        queue: view.queue.filter((q) => q.taskId !== event.taskId),
        running: [
          ...view.running,
          { taskId: event.taskId, runId: event.runId, step: null, costUsd: 0, resumed: event.resumed },
        ],
      };
    case 'step.started':
      return { ...view, running: patchRun(view.running, event.runId, { step: event.stepId }) };
    case 'model.usage':
      return { ...view, running: patchRun(view.running, event.runId, { costUsd: event.totalCostUsd }) };
    case 'watch.run_finished': {
      const running = view.running.filter((r) => r.runId !== event.runId);
      if (event.status === 'awaiting_approval') return { ...view, running };
      const done = [
        { taskId: event.taskId, runId: event.runId, status: event.status, costUsd: event.costUsd },
        ...view.done,
      ].slice(0, KEEP_DONE);
      return { ...view, running, done };
    }
    case 'watch.approval_needed':
      return {
        ...view,
        awaiting: [...view.awaiting, { taskId: event.taskId, runId: event.runId, next: event.next }],
      };
    case 'watch.cost':
      return {
        ...view,
        todayUsd: event.todayUsd,
        monthUsd: event.monthUsd,
        monthlyBudgetUsd: event.monthlyBudgetUsd,
      };
    case 'watch.stopping':
      return { ...view, stopping: `${event.reason}: finishing running steps (up to ${event.graceS} s)` };
    case 'log':
      return event.level === 'warn' || event.level === 'error' ? note(view, event.message) : view;
    default:
      return view;
  }
}

function upsertQueue(queue: WatchView['queue'], taskId: string, noteText: string): WatchView['queue'] {
  // In place, so the queue keeps the tracker's order as notes change.
  if (!queue.some((q) => q.taskId === taskId)) return [...queue, { taskId, note: noteText }];
  return queue.map((q) => (q.taskId === taskId ? { taskId, note: noteText } : q));
}

function patchRun(running: RunningView[], runId: string, patch: Partial<RunningView>): RunningView[] {
  return running.map((r) => (r.runId === runId ? { ...r, ...patch } : r));
}

function note(view: WatchView, text: string): WatchView {
  return { ...view, notes: [...view.notes, text].slice(-KEEP_NOTES) };
}
