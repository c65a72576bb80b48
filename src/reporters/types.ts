// The Reporter interface: it listens to RunEvents and prints the final RunResult. Reporters hold no business logic.
import type { Readable } from 'node:stream';
import type { RunResult } from '../core/engine/types.js';
import type { RunEvent, RunStatus } from '../core/events.js';
import type { ApprovalQueue } from '../ui/approval-queue.js';

export interface ReporterStream {
  write(chunk: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  rows?: number | undefined;
}

export interface ReporterOptions {
  /** Results go here (and stream-json events). */
  stdout: ReporterStream;
  /** Progress and logs go here. */
  stderr: ReporterStream;
  color: boolean;
  verbose?: boolean | undefined;
  /** Epoch ms, injectable so output is deterministic in tests. */
  now?: (() => number) | undefined;
  /** The keyboard, for views that take keys (the combined view's approval panel). */
  stdin?: Readable | undefined;
  /** Gates waiting for a person, answered inside the combined view (absent with --yes). */
  approvals?: ApprovalQueue | undefined;
  /** What Ctrl-C does; a view that puts the terminal in raw mode receives Ctrl-C as a key and calls this. */
  interrupt?: (() => void) | undefined;
}

/** Several tasks about to run (aidev run A B C): what the combined view shows as queued, and the concurrency bound. */
export interface BatchPlan {
  tasks: { id: string; title: string }[];
  /** How many run at once: --parallel capped by system.max_concurrent_agents. */
  parallel: number;
  /** --parallel as given. */
  requested: number;
  maxConcurrent: number;
}

/** One task's run after it settled (worktree removed or kept): what a script or a person looks for. */
export interface RunOutcome {
  taskId: string;
  runId: string;
  status: RunStatus;
  prUrl: string | null;
  next?: string | undefined;
}

export interface Reporter {
  onEvent(event: RunEvent): void;
  /** Prints the outcome once, after run.finished. */
  finish(result: RunResult): void | Promise<void>;
  /** An interactive prompt is about to take the terminal: stop drawing until resume(). */
  pause?(): void;
  resume?(): void;
  /** Several runs: the tasks and the bound, before the first starts. */
  onBatch?(plan: BatchPlan): void;
  onRunSettled?(outcome: RunOutcome): void;
  /** Gives the terminal back when the body failed before finish() (idempotent; nothing after finish). */
  dispose?(): void;
}

export type ReporterKind = 'ink' | 'ink-multi' | 'text' | 'json' | 'stream-json';
