// The plain-text closing lines of a run (text and ink reporters): status, totals, the error with its hint, and how to
// continue a paused or interrupted run.
import type { RunResult } from '../core/engine/types.js';
import { formatDuration, formatTokens, formatUsd } from '../ui/run-state.js';

export function summaryLines(result: RunResult): { stdout: string[]; stderr: string[] } {
  const stdout = [
    `${result.status} · ${result.workflow}${result.taskId ? ` · ${result.taskId}` : ''} · run ${result.runId} · ${formatDuration(result.durationMs)} · ${formatTokens(result.tokens)} tokens · ${formatUsd(result.costUsd)}`,
  ];
  if (result.next) stdout.push(`continue with: ${result.next}`);
  const stderr: string[] = [];
  if (result.error && (result.status === 'awaiting_approval' || result.status === 'interrupted')) {
    // Not a failure: the run is saved and `continue with` says what to do.
    stderr.push(`${result.status === 'interrupted' ? 'interrupted' : 'paused'}: ${result.error.message}`);
  } else if (result.error) {
    stderr.push(`error: ${result.error.message}`);
    if (result.error.hint) stderr.push(`  hint: ${result.error.hint}`);
  }
  return { stdout, stderr };
}
