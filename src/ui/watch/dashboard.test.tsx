import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../core/events.js';
import type { WatchEvent } from '../../core/watch/types.js';
import { WatchDashboard } from './dashboard.js';
import { textLine } from './watch-output.js';
import { emptyView, reduceWatch } from './watch-state.js';

const t = (s: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, s)).toISOString();
const events: (WatchEvent | RunEvent)[] = [
  {
    type: 'watch.started',
    filter: { assignee: 'aidev-bot', label: 'aidev' },
    intervalS: 60,
    concurrency: 2,
    ledger: 'postgres://aidev@db.internal:5432/aidev',
    at: t(0),
  },
  { type: 'watch.cost', todayUsd: 1.5, monthUsd: 120.25, monthlyBudgetUsd: 500, at: t(0) },
  {
    type: 'watch.polled',
    poll: 1,
    matching: ['AUTH-1', 'AUTH-2', 'AUTH-3', 'AUTH-4'],
    durationMs: 180,
    at: t(1),
  },
  { type: 'watch.claimed', taskId: 'AUTH-1', runId: 'r-a1', title: 'Login', at: t(1) },
  { type: 'watch.run_started', taskId: 'AUTH-1', runId: 'r-a1', resumed: false, at: t(1) },
  { type: 'watch.skipped', taskId: 'AUTH-2', reason: 'claimed by another watcher (run r-zz)', at: t(1) },
  { type: 'watch.claimed', taskId: 'AUTH-3', runId: 'r-a3', title: 'Logout', at: t(1) },
  { type: 'watch.run_started', taskId: 'AUTH-3', runId: 'r-a3', resumed: false, at: t(1) },
  { type: 'step.started', runId: 'r-a1', stepId: 'implement', kind: 'agent', attempt: 1, at: t(2) },
  {
    type: 'model.usage',
    runId: 'r-a1',
    stepId: 'implement',
    model: 'claude',
    costUsd: 0.12,
    totalCostUsd: 0.31,
    totalTokens: 9000,
    usage: { inputTokens: 8000, outputTokens: 1000, cacheReadTokens: 0, cacheWriteTokens: 0 },
    at: t(3),
  },
  {
    type: 'watch.run_finished',
    taskId: 'AUTH-3',
    runId: 'r-a3',
    status: 'awaiting_approval',
    costUsd: 0.8,
    at: t(4),
  },
  {
    type: 'watch.approval_needed',
    taskId: 'AUTH-3',
    runId: 'r-a3',
    next: 'aidev resume r-a3 --approve',
    at: t(4),
  },
  {
    type: 'watch.run_finished',
    taskId: 'AUTH-0',
    runId: 'r-a0',
    status: 'succeeded',
    costUsd: 0.42,
    at: t(5),
  },
];

describe('watch dashboard', () => {
  const view = events.reduce(reduceWatch, emptyView());

  it('folds events into queue, running, waiting and done', () => {
    expect(view.queue).toEqual([
      { taskId: 'AUTH-2', note: 'claimed by another watcher (run r-zz)' },
      { taskId: 'AUTH-4', note: 'todo' },
    ]);
    expect(view.running).toEqual([
      { taskId: 'AUTH-1', runId: 'r-a1', step: 'implement', costUsd: 0.31, resumed: false },
    ]);
    expect(view.awaiting).toEqual([{ taskId: 'AUTH-3', runId: 'r-a3', next: 'aidev resume r-a3 --approve' }]);
    expect(view.done).toEqual([{ taskId: 'AUTH-0', runId: 'r-a0', status: 'succeeded', costUsd: 0.42 }]);
  });

  it('renders within 80 columns with the costs against the budget', () => {
    const frame = render(<WatchDashboard view={view} width={80} />).lastFrame()!;
    expect(frame).toMatchSnapshot();
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame).toContain('cost today $1.50 · this month $120.25 of $500.00 (24%)');
    expect(frame).toContain('waiting for approval (1)');
    expect(frame).toContain('aidev resume r-a3 --approve');
  });

  it('text lines: one per claim, skip, result and approval; quiet polls stay quiet', () => {
    const lines = events.map((e) => textLine(e)).filter(Boolean);
    expect(lines).toContain('09:00:01 AUTH-2: skipped, claimed by another watcher (run r-zz)');
    expect(lines).toContain('09:00:04 AUTH-3: waiting for approval: aidev resume r-a3 --approve');
    expect(textLine({ type: 'watch.polled', poll: 2, matching: [], durationMs: 3, at: t(9) })).toBeNull();
  });
});
