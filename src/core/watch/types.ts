// The watcher's vocabulary: its settings, the events it emits beside the engine's RunEvents (NDJSON with --output
// stream-json, the Ink dashboard on a TTY), and the result of a whole watch.
import type { RunStatus } from '../events.js';

export interface WatchSettings {
  /** Tasks assigned to this user (`me`: the tracker credential's user, where the tracker supports it). */
  assignee?: string | undefined;
  label?: string | undefined;
  /** Seconds between polls. */
  intervalS: number;
  /** ± fraction of the interval added at random, so watchers started together spread out. */
  jitter: number;
  /** Seconds running steps get to reach their checkpoint after SIGTERM/SIGINT before they are aborted. */
  graceS: number;
  /** Runs at once (system.max_concurrent_agents). */
  concurrency: number;
  once: boolean;
}

export type WatchEvent =
  | {
      type: 'watch.started';
      filter: { assignee: string | null; label: string | null };
      intervalS: number;
      concurrency: number;
      ledger: string;
      at: string;
    }
  | { type: 'watch.polled'; poll: number; matching: string[]; durationMs: number; at: string }
  | { type: 'watch.poll_failed'; poll: number; message: string; retryInS: number; at: string }
  | { type: 'watch.claimed'; taskId: string; runId: string; title: string; at: string }
  | { type: 'watch.skipped'; taskId: string; reason: string; at: string }
  | { type: 'watch.run_started'; taskId: string; runId: string; resumed: boolean; at: string }
  | {
      type: 'watch.run_finished';
      taskId: string;
      runId: string;
      status: RunStatus;
      costUsd: number;
      next?: string | undefined;
      at: string;
    }
  | { type: 'watch.approval_needed'; taskId: string; runId: string; next: string; at: string }
  | { type: 'watch.cost'; todayUsd: number; monthUsd: number; monthlyBudgetUsd: number; at: string }
  | { type: 'watch.stopping'; reason: string; graceS: number; running: string[]; at: string };

export interface WatchRunOutcome {
  taskId: string;
  runId: string;
  status: RunStatus;
  exitCode: number;
  costUsd: number;
  resumed: boolean;
  next?: string | undefined;
}

export interface WatchResult {
  polls: number;
  claimed: string[];
  runs: WatchRunOutcome[];
  /** Set when SIGTERM/SIGINT stopped the watch. */
  stoppedBy: string | null;
  exitCode: number;
}
