// How a watch reports: NDJSON events then the result (--output stream-json), one result object (--output json), log
// lines on stderr and a summary (text), or the live Ink dashboard (a TTY). Chosen once at the edge, like run reporters.
import type { RunEvent } from '../../core/events.js';
import type { WatchEvent, WatchResult } from '../../core/watch/types.js';
import type { ReporterStream } from '../../reporters/types.js';
import { formatUsd } from '../run-state.js';

export type WatchOutputKind = 'ink' | 'text' | 'json' | 'stream-json';

export interface WatchOutput {
  onEvent(event: WatchEvent | RunEvent): void;
  finish(result: WatchResult): void | Promise<void>;
}

export interface WatchOutputOptions {
  stdout: ReporterStream;
  stderr: ReporterStream;
  verbose?: boolean | undefined;
}

export async function createWatchOutput(
  kind: WatchOutputKind,
  options: WatchOutputOptions,
): Promise<WatchOutput> {
  switch (kind) {
    case 'stream-json':
      return {
        onEvent: (event) => void options.stdout.write(JSON.stringify(event) + '\n'),
        finish: (result) => void options.stdout.write(JSON.stringify({ type: 'result', ...result }) + '\n'),
      };
    case 'json':
      return {
        onEvent: () => undefined,
        finish: (result) => void options.stdout.write(JSON.stringify(result, null, 2) + '\n'),
      };
    case 'ink':
      return (await import('./ink-output.js')).createInkWatchOutput(options);
    default:
      return textOutput(options);
  }
}

/** One line per thing a person watching a log wants to know; engine step events only with --verbose. */
export function textLine(event: WatchEvent | RunEvent, verbose = false): string | null {
  const time = event.at.slice(11, 19);
  switch (event.type) {
    case 'watch.started': {
      const filter = [
        event.filter.assignee && `assignee ${event.filter.assignee}`,
        event.filter.label && `label ${event.filter.label}`,
      ]
        .filter(Boolean)
        .join(', ');
      return `${time} watching for todo tasks (${filter}) every ${event.intervalS} s, ${event.concurrency} at once; ledger ${event.ledger}`;
    }
    case 'watch.polled':
      return event.matching.length || verbose
        ? `${time} poll ${event.poll}: ${event.matching.length} matching (${event.durationMs} ms)`
        : null;
    case 'watch.poll_failed':
      return `${time} poll ${event.poll} failed: ${event.message}; retrying in ${event.retryInS} s`;
    case 'watch.claimed':
      return `${time} ${event.taskId}: claimed (run ${event.runId}) ${event.title}`;
    case 'watch.skipped':
      return `${time} ${event.taskId}: skipped, ${event.reason}`;
    case 'watch.run_started':
      return event.resumed ? `${time} ${event.taskId}: resuming run ${event.runId}` : null;
    case 'watch.run_finished':
      return `${time} ${event.taskId}: ${event.status} (${formatUsd(event.costUsd)}, run ${event.runId})`;
    case 'watch.approval_needed':
      return `${time} ${event.taskId}: waiting for approval: ${event.next}`;
    case 'watch.stopping':
      return `${time} ${event.reason}: no new claims; letting ${event.running.length} running step(s) reach a checkpoint (up to ${event.graceS} s)`;
    case 'log':
      return event.level === 'warn' || event.level === 'error' || verbose
        ? `${time} ${event.level}: ${event.message}`
        : null;
    case 'step.started':
      return verbose ? `${time} ${event.runId} ${event.stepId} started` : null;
    default:
      return null;
  }
}

export function summary(result: WatchResult): string {
  const by = new Map<string, number>();
  for (const run of result.runs) by.set(run.status, (by.get(run.status) ?? 0) + 1);
  const counts = [...by].map(([status, n]) => `${n} ${status}`).join(', ') || 'no runs';
  const cost = result.runs.reduce((sum, r) => sum + r.costUsd, 0);
  const stopped = result.stoppedBy
    ? `; stopped by ${result.stoppedBy}, interrupted runs resume on the next start`
    : '';
  return `watch: ${result.polls} poll(s), ${result.claimed.length} claimed, ${counts}, ${formatUsd(cost)}${stopped}`;
}

function textOutput(options: WatchOutputOptions): WatchOutput {
  return {
    onEvent(event) {
      const line = textLine(event, options.verbose);
      if (line) options.stderr.write(line + '\n');
    },
    finish(result) {
      options.stdout.write(summary(result) + '\n');
    },
  };
}
