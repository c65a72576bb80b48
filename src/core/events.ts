// The typed event stream the engine emits. Reporters (ink, text, json, stream-json) only listen to these.

export type StepStatus =
  'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'awaiting_approval' | 'compensated';
export type RunStatus =
  'running' | 'succeeded' | 'failed' | 'interrupted' | 'awaiting_approval' | 'budget_exceeded' | 'rejected';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type RunEvent =
  | {
      type: 'run.started';
      runId: string;
      workflow: string;
      taskId?: string | undefined;
      steps: { id: string; kind: string; title?: string | undefined }[];
      at: string;
    }
  | { type: 'step.started'; runId: string; stepId: string; kind: string; attempt: number; at: string }
  | {
      type: 'step.progress';
      runId: string;
      stepId: string;
      message: string;
      stream?: 'stdout' | 'stderr' | 'model' | 'tool' | undefined;
      at: string;
    }
  | {
      type: 'model.usage';
      runId: string;
      stepId: string;
      model: string;
      usage: Usage;
      costUsd: number;
      totalCostUsd: number;
      totalTokens: number;
      at: string;
    }
  | { type: 'budget.warning'; runId: string; message: string; percent: number; at: string }
  | {
      type: 'step.finished';
      runId: string;
      stepId: string;
      status: StepStatus;
      durationMs: number;
      error?: { code: string; message: string } | undefined;
      at: string;
    }
  | { type: 'approval.requested'; runId: string; stepId: string; message: string; at: string }
  | {
      type: 'approval.resolved';
      runId: string;
      stepId: string;
      decision: 'approved' | 'rejected' | 'feedback';
      by: string;
      at: string;
    }
  | {
      type: 'log';
      level: 'info' | 'warn' | 'error' | 'debug';
      message: string;
      runId?: string | undefined;
      at: string;
    }
  | {
      type: 'run.finished';
      runId: string;
      status: RunStatus;
      durationMs: number;
      costUsd: number;
      tokens: number;
      error?: { code: string; message: string; hint?: string | undefined } | undefined;
      at: string;
    };

export type RunEventType = RunEvent['type'];
export type Emit = (event: RunEvent) => void;

/** A tiny synchronous fan-out: the engine emits, each reporter listens. No buffering, so order is preserved. */
export class EventBus {
  readonly #listeners = new Set<Emit>();

  on(listener: Emit): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  readonly emit: Emit = (event) => {
    for (const listener of this.#listeners) listener(event);
  };
}
