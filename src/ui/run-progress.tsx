// The Ink progress view of a run: one line per step (state, elapsed), a live line under the running step, and running
// totals of tokens and cost. Every line is cut to the terminal width, so it stays tidy at 80 columns.
import { Box, Text } from 'ink';
import type { StepStatus } from '../core/events.js';
import {
  formatDuration,
  formatTokens,
  formatUsd,
  STATUS_ICON,
  type RunView,
  type StepView,
} from './run-state.js';

export interface RunProgressProps {
  view: RunView;
  /** Epoch ms, for the elapsed time of running steps. */
  now: number;
  width: number;
}

const COLOR: Partial<Record<StepStatus, string>> = {
  succeeded: 'green',
  failed: 'red',
  running: 'yellow',
  awaiting_approval: 'magenta',
  compensated: 'cyan',
};
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
}

function right(step: StepView, now: number): string {
  const elapsed =
    step.status === 'running' && step.startedAt !== undefined ? now - step.startedAt : step.durationMs;
  const parts = [formatDuration(elapsed)];
  if (step.costUsd > 0) parts.push(formatUsd(step.costUsd));
  if (step.attempt > 1) parts.unshift(`try ${step.attempt}`);
  return parts.filter(Boolean).join(' ');
}

function StepLine({
  step,
  now,
  width,
  idWidth,
}: {
  step: StepView;
  now: number;
  width: number;
  idWidth: number;
}) {
  const icon =
    step.status === 'running' ? SPINNER[Math.floor(now / 100) % SPINNER.length]! : STATUS_ICON[step.status];
  const tail = step.status === 'pending' ? '' : right(step, now);
  const id = fit(step.id, idWidth).padEnd(idWidth);
  const room = width - 4 - idWidth - 1 - tail.length - 1;
  const label = step.status === 'failed' && step.error ? step.error : (step.title ?? step.kind);
  const middle = fit(label, Math.max(0, room)).padEnd(Math.max(0, room));
  const dim = step.status === 'pending' || step.status === 'skipped';
  return (
    <Text wrap="truncate">
      <Text color={COLOR[step.status]} dimColor={dim}>{` ${icon} `}</Text>
      <Text bold={step.status === 'running'} dimColor={dim}>
        {id}
      </Text>
      <Text dimColor>{` ${middle} `}</Text>
      <Text>{tail}</Text>
    </Text>
  );
}

export function RunProgress({ view, now, width }: RunProgressProps) {
  const w = Math.max(40, width);
  const idWidth = Math.min(18, Math.max(4, ...view.steps.map((s) => s.id.length)));
  const header = [`aidev ${view.workflow}`, view.taskId, view.runId].filter(Boolean).join(' · ');
  const elapsed = view.finishedMs ?? (view.startedAt ? now - view.startedAt : 0);
  const totals = `${formatTokens(view.tokens)} tokens · ${formatUsd(view.costUsd)} · ${formatDuration(elapsed)}${view.status ? ` · ${view.status}` : ''}`;
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">
        {fit(header, w)}
      </Text>
      {view.steps.map((step) => (
        <Box key={step.id} flexDirection="column">
          <StepLine step={step} now={now} width={w} idWidth={idWidth} />
          {view.live && view.live.stepId === step.id && step.status === 'running' ? (
            <Text dimColor wrap="truncate">
              {fit(`   │ ${view.live.text.replace(/\s+/g, ' ').trim()}`, w)}
            </Text>
          ) : null}
          {view.approval && view.approval.stepId === step.id ? (
            <Text color="magenta" wrap="truncate">
              {fit(`   ? ${view.approval.message}`, w)}
            </Text>
          ) : null}
        </Box>
      ))}
      {view.notes.map((note, i) => (
        <Text key={i} color="yellow" wrap="truncate">
          {fit(`! ${note}`, w)}
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {fit(totals, w)}
      </Text>
    </Box>
  );
}
