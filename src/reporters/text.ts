// Plain progress lines for CI logs and pipes: one line per state change, no cursor movement, no spinner.
import type { RunEvent } from '../core/events.js';
import { formatDuration, formatUsd, STATUS_ICON } from '../ui/run-state.js';
import { summaryLines } from './summary.js';
import type { Reporter, ReporterOptions } from './types.js';

export function createTextReporter(options: ReporterOptions): Reporter {
  const err = (line: string) => options.stderr.write(line + '\n');
  const titles = new Map<string, string>();
  const cost = new Map<string, number>();
  let idWidth = 8;
  return {
    onEvent(event: RunEvent) {
      switch (event.type) {
        case 'run.started':
          for (const s of event.steps) titles.set(s.id, s.title ?? s.kind);
          idWidth = Math.min(18, Math.max(4, ...event.steps.map((s) => s.id.length)));
          err(
            `aidev ${event.workflow}${event.taskId ? ` · ${event.taskId}` : ''} · run ${event.runId} · ${event.steps.length} steps`,
          );
          return;
        case 'step.started':
          err(
            `→ ${event.stepId.padEnd(idWidth)} ${titles.get(event.stepId) ?? event.kind}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`,
          );
          return;
        case 'step.progress':
          if (event.stream === 'model' && !options.verbose) return;
          err(`  │ ${event.message}`);
          return;
        case 'model.usage':
          cost.set(event.stepId, (cost.get(event.stepId) ?? 0) + event.costUsd);
          return;
        case 'step.finished': {
          if (event.status === 'awaiting_approval') {
            err(`${STATUS_ICON[event.status]} ${event.stepId.padEnd(idWidth)} waiting for approval`);
            return;
          }
          const spent = cost.get(event.stepId);
          const extra = [
            event.status === 'skipped'
              ? 'skipped'
              : event.status === 'compensated'
                ? 'rolled back'
                : formatDuration(event.durationMs),
            spent ? formatUsd(spent) : '',
          ]
            .filter(Boolean)
            .join(' · ');
          const why =
            event.error && event.status !== 'pending'
              ? `  ${event.error.code}: ${event.error.message.split('\n')[0]!}`
              : '';
          err(`${STATUS_ICON[event.status]} ${event.stepId.padEnd(idWidth)} ${extra}${why}`);
          return;
        }
        case 'approval.requested':
          err(`? ${event.stepId}: ${event.message}`);
          return;
        case 'approval.resolved':
          err(`  ${event.decision} by ${event.by}`);
          return;
        case 'budget.warning':
          err(`! ${event.message}`);
          return;
        case 'log':
          if (event.level === 'debug' && !options.verbose) return;
          err(`${event.level === 'info' ? '·' : '!'} ${event.message}`);
          return;
        case 'run.finished':
          return;
      }
    },
    finish(result) {
      const lines = summaryLines(result);
      for (const line of lines.stderr) err(line);
      for (const line of lines.stdout) options.stdout.write(line + '\n');
    },
  };
}
