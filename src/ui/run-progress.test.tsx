import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../core/events.js';
import { RunProgress } from './run-progress.js';
import { emptyView, reduce } from './run-state.js';

const t = (s: number) => new Date(Date.UTC(2025, 2, 1, 10, 0, s)).toISOString();
const runId = 'r-lx3k9a-7f2c';
const events: RunEvent[] = [
  {
    type: 'run.started',
    runId,
    workflow: 'standard_dev',
    taskId: 'TASK-12',
    at: t(0),
    steps: [
      { id: 'task', kind: 'uses', title: 'Fetch the task' },
      { id: 'branch', kind: 'uses', title: 'Create the branch and worktree' },
      { id: 'plan', kind: 'ai', title: 'Plan the change' },
      { id: 'implement', kind: 'agent', title: 'Implement and verify' },
      { id: 'review', kind: 'approval', title: 'Review the diff' },
      {
        id: 'notify',
        kind: 'uses',
        title: 'Notify the team about this very long step title that will not fit',
      },
    ],
  },
  { type: 'step.started', runId, stepId: 'task', kind: 'uses', attempt: 1, at: t(0) },
  { type: 'step.finished', runId, stepId: 'task', status: 'succeeded', durationMs: 212, at: t(1) },
  { type: 'step.started', runId, stepId: 'branch', kind: 'uses', attempt: 1, at: t(1) },
  { type: 'step.finished', runId, stepId: 'branch', status: 'succeeded', durationMs: 1400, at: t(2) },
  { type: 'step.started', runId, stepId: 'plan', kind: 'ai', attempt: 1, at: t(2) },
  {
    type: 'model.usage',
    runId,
    stepId: 'plan',
    model: 'claude',
    costUsd: 0.0123,
    totalCostUsd: 0.0123,
    totalTokens: 3456,
    at: t(5),
    usage: { inputTokens: 3000, outputTokens: 456, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
  { type: 'step.finished', runId, stepId: 'plan', status: 'succeeded', durationMs: 3100, at: t(5) },
  { type: 'step.started', runId, stepId: 'implement', kind: 'agent', attempt: 2, at: t(5) },
  {
    type: 'step.progress',
    runId,
    stepId: 'implement',
    message:
      'run_command: npm test -- --reporter=dot (a long command line that goes past eighty columns for sure)',
    stream: 'tool',
    at: t(9),
  },
  {
    type: 'model.usage',
    runId,
    stepId: 'implement',
    model: 'claude',
    costUsd: 0.2,
    totalCostUsd: 0.2123,
    totalTokens: 45678,
    at: t(9),
    usage: { inputTokens: 40000, outputTokens: 2222, cacheReadTokens: 0, cacheWriteTokens: 0 },
  },
];

describe('RunProgress (Ink)', () => {
  const view = events.reduce(reduce, emptyView());

  it('shows steps with state and elapsed time, a live line, and totals, within 80 columns', () => {
    const { lastFrame } = render(<RunProgress view={view} now={Date.parse(t(12))} width={80} />);
    const frame = lastFrame()!;
    expect(frame).toMatchSnapshot();
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame).toContain('45,678 tokens · $0.21 · 12.0s');
    expect(frame).toMatch(/implement .* try 2 7\.0s \$0\.20/);
  });

  it('shows a pending approval and the final status', () => {
    const waiting = [
      { type: 'step.finished', runId, stepId: 'implement', status: 'succeeded', durationMs: 7000, at: t(12) },
      { type: 'step.started', runId, stepId: 'review', kind: 'approval', attempt: 1, at: t(12) },
      {
        type: 'approval.requested',
        runId,
        stepId: 'review',
        message: 'Commit and push these changes?',
        at: t(12),
      },
      {
        type: 'step.finished',
        runId,
        stepId: 'review',
        status: 'awaiting_approval',
        durationMs: 3,
        at: t(12),
      },
      {
        type: 'run.finished',
        runId,
        status: 'awaiting_approval',
        durationMs: 12_500,
        costUsd: 0.2123,
        tokens: 45678,
        at: t(13),
      },
    ] as RunEvent[];
    const after = waiting.reduce(reduce, view);
    const { lastFrame } = render(<RunProgress view={after} now={Date.parse(t(20))} width={80} />);
    expect(lastFrame()).toMatchSnapshot();
    expect(lastFrame()).toContain('· awaiting_approval');
  });
});
