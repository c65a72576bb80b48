// The progress view's state, folded from RunEvents. Pure and React-free, so the Ink view and tests share it.
import type { RunEvent, RunStatus, StepStatus } from '../core/events.js';

export interface StepView {
  id: string;
  kind: string;
  title?: string | undefined;
  status: StepStatus;
  attempt: number;
  /** Epoch ms when the current attempt started. */
  startedAt?: number | undefined;
  durationMs?: number | undefined;
  tokens: number;
  costUsd: number;
  error?: string | undefined;
}

export interface RunView {
  runId: string;
  workflow: string;
  taskId?: string | undefined;
  steps: StepView[];
  /** The latest progress line of the running step (agent activity, command output, streamed text). */
  live?: { stepId: string; text: string } | undefined;
  tokens: number;
  costUsd: number;
  startedAt: number;
  status?: RunStatus | undefined;
  finishedMs?: number | undefined;
  approval?: { stepId: string; message: string } | undefined;
  notes: string[];
}

export function emptyView(): RunView {
  return { runId: '', workflow: '', steps: [], tokens: 0, costUsd: 0, startedAt: 0, notes: [] };
}

const ms = (at: string): number => Date.parse(at);

export function reduce(view: RunView, event: RunEvent): RunView {
  const step = (id: string, patch: (s: StepView) => Partial<StepView>): StepView[] =>
    view.steps.map((s) => (s.id === id ? { ...s, ...patch(s) } : s));
  switch (event.type) {
    case 'run.started':
      return {
        ...emptyView(),
        runId: event.runId,
        workflow: event.workflow,
        taskId: event.taskId,
        startedAt: ms(event.at),
        steps: event.steps.map((s) => ({ ...s, status: 'pending', attempt: 0, tokens: 0, costUsd: 0 })),
      };
    case 'step.started':
      return {
        ...view,
        live: undefined,
        steps: step(event.stepId, () => ({
          status: 'running',
          attempt: event.attempt,
          startedAt: ms(event.at),
          error: undefined,
        })),
      };
    case 'step.progress': {
      // Streamed model text arrives in fragments: keep the tail of the current line.
      const previous = view.live?.stepId === event.stepId && event.stream === 'model' ? view.live.text : '';
      const text = event.stream === 'model' ? (previous + event.message).split('\n').pop()! : event.message;
      return { ...view, live: { stepId: event.stepId, text } };
    }
    case 'model.usage':
      return {
        ...view,
        tokens: event.totalTokens,
        costUsd: event.totalCostUsd,
        steps: step(event.stepId, (s) => ({
          tokens: s.tokens + event.usage.inputTokens + event.usage.outputTokens,
          costUsd: s.costUsd + event.costUsd,
        })),
      };
    case 'step.finished':
      return {
        ...view,
        live: view.live?.stepId === event.stepId ? undefined : view.live,
        approval: view.approval?.stepId === event.stepId ? undefined : view.approval,
        steps: step(event.stepId, () => ({
          status: event.status,
          durationMs: event.durationMs,
          error: event.error?.message,
        })),
      };
    case 'approval.requested':
      return { ...view, approval: { stepId: event.stepId, message: event.message } };
    case 'approval.resolved':
      return { ...view, approval: undefined };
    case 'budget.warning':
      return { ...view, notes: [...view.notes, event.message].slice(-3) };
    case 'log':
      return event.level === 'warn' || event.level === 'error'
        ? { ...view, notes: [...view.notes, event.message].slice(-3) }
        : view;
    case 'run.finished':
      return {
        ...view,
        status: event.status,
        finishedMs: event.durationMs,
        live: undefined,
        tokens: Math.max(view.tokens, event.tokens),
        costUsd: Math.max(view.costUsd, event.costUsd),
      };
  }
}

export function formatDuration(msValue: number | undefined): string {
  if (msValue === undefined) return '';
  if (msValue < 1000) return `${Math.max(0, Math.round(msValue))}ms`;
  const s = msValue / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

export function formatUsd(value: number): string {
  return `$${value > 0 && value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;
}

export function formatTokens(n: number): string {
  return n.toLocaleString('en-US');
}

export const STATUS_ICON: Record<StepStatus, string> = {
  pending: '○',
  running: '●',
  succeeded: '✓',
  failed: '✗',
  skipped: '–',
  awaiting_approval: '?',
  compensated: '↺',
};
