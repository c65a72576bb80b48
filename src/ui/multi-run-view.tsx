// The combined Ink view of several runs: one block per task (state, elapsed, tokens and cost, the latest line of live
// output), the warnings that belong to no run, a footer with the totals and the concurrency bound, and under it the
// oldest gate waiting for a person. Every line is cut to the terminal width; blocks shrink to one line each when the
// whole would not fit the terminal's height.
import { stripVTControlCharacters } from 'node:util';
import { Box, Text } from 'ink';
import type { QueuedApproval } from './approval-queue.js';
import { ApprovalPanel, type PanelChoice } from './approval-panel.js';
import {
  currentStep,
  phaseOf,
  totalsOf,
  type MultiView,
  type Phase,
  type TaskBlock,
} from './multi-run-state.js';
import { fit } from './run-progress.js';
import { formatTokens, formatUsd } from './run-state.js';

export interface MultiRunViewProps {
  view: MultiView;
  /** Epoch ms, for the elapsed time of running tasks. */
  now: number;
  width: number;
  /** Terminal rows. */
  height: number;
  /** Gates waiting, oldest first: the first is shown under the footer. */
  approvals: readonly QueuedApproval[];
  onChoice(key: number, choice: PanelChoice): void;
  /** How long a new gate ignores keys (tests pass 0). */
  armMs?: number | undefined;
}

const ICON: Record<Phase, string> = {
  queued: '○',
  running: '●',
  approval: '?',
  succeeded: '✓',
  failed: '✗',
  rejected: '✗',
  paused: '‖',
};
const COLOR: Partial<Record<Phase, string>> = {
  running: 'yellow',
  approval: 'magenta',
  succeeded: 'green',
  failed: 'red',
  rejected: 'red',
  paused: 'yellow',
};
/** The approval panel's lines besides the details: rule, message, summary (four at most), keys. */
const PANEL_LINES = 7;

/** Whole seconds: a block's clock ticks once a second. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

const oneLine = (text: string): string => stripVTControlCharacters(text).replace(/\s+/g, ' ').trim();
const firstLine = (text: string): string => oneLine(text.split('\n')[0] ?? '');

function figures(block: TaskBlock, now: number): string {
  const run = block.run;
  if (!run) return 'queued';
  const elapsed = run.finishedMs ?? now - run.startedAt;
  const parts = [formatElapsed(elapsed)];
  if (run.tokens) parts.push(`${formatTokens(run.tokens)} tok`);
  parts.push(formatUsd(run.costUsd));
  return parts.join(' · ');
}

/** The block's second line: where the run is, or how it ended. */
export function statusLine(block: TaskBlock, queue: readonly QueuedApproval[]): string {
  const run = block.run;
  if (!run) return 'queued';
  const phase = phaseOf(block);
  const step = currentStep(run);
  const failedStep = run.steps.find((s) => s.status === 'failed');
  const error = block.error ? firstLine(block.error.message) : '';
  switch (phase) {
    case 'queued':
    case 'running':
      if (!step) return 'starting';
      return `step ${step.index}/${step.count} ${step.id}: ${step.title}${step.attempt > 1 ? ` (attempt ${step.attempt})` : ''}`;
    case 'approval': {
      const at = queue.findIndex((q) => q.request.runId === run.runId);
      const where = at === 0 ? 'answer below' : at > 0 ? `${at + 1} of ${queue.length} in line` : '';
      return `waiting for approval at ${run.approval?.stepId ?? step?.id ?? '?'}${where ? ` (${where})` : ''}: ${oneLine(run.approval?.message ?? '')}`;
    }
    case 'succeeded':
      return block.prUrl ? `succeeded · ${block.prUrl}` : 'succeeded';
    case 'failed':
      return `failed${failedStep ? ` at ${failedStep.id}` : ''}: ${error || (failedStep?.error ? firstLine(failedStep.error) : 'see the summary')}`;
    case 'rejected':
      return `rejected: ${error}`;
    case 'paused': {
      const why =
        run.status === 'interrupted'
          ? 'interrupted'
          : run.status === 'budget_exceeded'
            ? 'budget cap reached'
            : 'waiting for approval';
      return `paused (${why})${block.next ? ` · ${block.next}` : ''}`;
    }
  }
}

function liveLine(block: TaskBlock): string | null {
  const run = block.run;
  const phase = phaseOf(block);
  if (!run || phase !== 'running') return null;
  if (run.live) return oneLine(run.live.text) || null;
  const note = run.notes.at(-1);
  return note ? `! ${oneLine(note)}` : null;
}

function Block(props: {
  block: TaskBlock;
  now: number;
  width: number;
  idWidth: number;
  compact: boolean;
  queue: readonly QueuedApproval[];
}) {
  const { block, width } = props;
  const phase = phaseOf(block);
  const right = figures(block, props.now);
  const status = statusLine(block, props.queue);
  const id = block.id.padEnd(props.idWidth);
  const room = Math.max(0, width - right.length - 1);
  const label = props.compact && phase !== 'queued' ? status : block.title;
  const left = fit(`${ICON[phase]} ${id}  ${label}`, room).padEnd(room);
  const live = props.compact ? null : liveLine(block);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text color={COLOR[phase]} dimColor={phase === 'queued'} bold={phase === 'running'}>
          {left}
        </Text>
        <Text dimColor>{` ${right}`}</Text>
      </Text>
      {!props.compact && phase !== 'queued' ? (
        <Text color={phase === 'failed' ? 'red' : undefined} wrap="truncate">
          {fit(`  ${status}`, width)}
        </Text>
      ) : null}
      {live ? (
        <Text dimColor wrap="truncate">
          {fit(`  │ ${live}`, width)}
        </Text>
      ) : null}
    </Box>
  );
}

/** Lines the blocks take: one for a queued task, two for the others, three with live output. */
function blockLines(view: MultiView): number {
  return view.tasks.reduce(
    (n, b) => n + (phaseOf(b) === 'queued' ? 1 : 2) + (liveLine(b) !== null ? 1 : 0),
    0,
  );
}

/** The footer: the counts, then the spend and the concurrency bound. */
export function footerLines(view: MultiView): [string, string] {
  const t = totalsOf(view);
  const counts = [
    `${t.running} running${t.approval ? ` (${t.approval} waiting for approval)` : ''}`,
    `${t.queued} queued`,
    `${t.done} done`,
    `${t.failed} failed`,
  ];
  if (t.paused) counts.push(`${t.paused} paused`);
  if (t.rejected) counts.push(`${t.rejected} rejected`);
  const bound =
    view.requested > view.parallel
      ? `at most ${view.parallel} at once (--parallel ${view.requested} capped by system.max_concurrent_agents)`
      : `at most ${view.parallel} at once`;
  return [
    counts.join(' · '),
    [`${formatUsd(t.costUsd)} total`, `${formatTokens(t.tokens)} tokens`, bound].join(' · '),
  ];
}

export function MultiRunView(props: MultiRunViewProps) {
  const { view, approvals } = props;
  const width = Math.max(40, props.width);
  const head = approvals[0];
  const headTask = head ? view.tasks.find((t) => t.run?.runId === head.request.runId) : undefined;
  const fixed = 3 + view.notes.length + (head ? PANEL_LINES : 0);
  const compact = blockLines(view) + fixed > props.height;
  const used = compact ? view.tasks.length : blockLines(view);
  const pageLines = Math.max(3, props.height - used - fixed - 1);
  const idWidth = Math.min(16, Math.max(4, ...view.tasks.map((t) => t.id.length)));
  return (
    <Box flexDirection="column">
      {view.tasks.map((block) => (
        <Block
          key={block.id}
          block={block}
          now={props.now}
          width={width}
          idWidth={idWidth}
          compact={compact}
          queue={approvals}
        />
      ))}
      {view.notes.map((note, i) => (
        <Text key={`n${i}`} color="yellow" wrap="truncate">
          {fit(`! ${oneLine(note)}`, width)}
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {'─'.repeat(width)}
      </Text>
      {footerLines(view).map((line, i) => (
        <Text key={`f${i}`} wrap="truncate" bold={i === 0}>
          {fit(line, width)}
        </Text>
      ))}
      {head ? (
        <ApprovalPanel
          key={`approval-${head.key}`}
          request={head.request}
          taskId={headTask?.id ?? head.request.runId}
          title={headTask?.title}
          waiting={approvals.length}
          width={width}
          pageLines={pageLines}
          armMs={props.armMs}
          onChoice={(choice) => props.onChoice(head.key, choice)}
        />
      ) : null}
    </Box>
  );
}
