// The Reporter interface: it listens to RunEvents and prints the final RunResult. Reporters hold no business logic.
import type { RunResult } from '../core/engine/types.js';
import type { RunEvent } from '../core/events.js';

export interface ReporterStream {
  write(chunk: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
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
}

export interface Reporter {
  onEvent(event: RunEvent): void;
  /** Prints the outcome once, after run.finished. */
  finish(result: RunResult): void | Promise<void>;
  /** An interactive prompt is about to take the terminal: stop drawing until resume(). */
  pause?(): void;
  resume?(): void;
}

export type ReporterKind = 'ink' | 'text' | 'json' | 'stream-json';
