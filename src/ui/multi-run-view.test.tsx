import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../core/events.js';
import { ARM_MS, type PanelChoice } from './approval-panel.js';
import type { QueuedApproval } from './approval-queue.js';
import { emptyMultiView, planMulti, reduceMulti, settleMulti, totalsOf } from './multi-run-state.js';
import { footerLines, MultiRunView } from './multi-run-view.js';

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const t = (s: number) => new Date(T0 + s * 1000).toISOString();
const steps = [
  { id: 'task', kind: 'uses', title: 'Fetch the task' },
  { id: 'branch', kind: 'uses', title: 'Create the branch and worktree' },
  { id: 'implement', kind: 'agent', title: 'Implement and verify' },
  { id: 'review', kind: 'approval', title: 'Review the diff' },
  { id: 'pr', kind: 'uses', title: 'Open the pull request' },
];
const started = (runId: string, taskId: string, s: number): RunEvent => ({
  type: 'run.started',
  runId,
  workflow: 'standard_dev',
  taskId,
  steps,
  at: t(s),
});
const step = (runId: string, stepId: string, s: number, attempt = 1): RunEvent => ({
  type: 'step.started',
  runId,
  stepId,
  kind: 'uses',
  attempt,
  at: t(s),
});
const usage = (runId: string, stepId: string, totalTokens: number, totalCostUsd: number): RunEvent => ({
  type: 'model.usage',
  runId,
  stepId,
  model: 'claude',
  usage: { inputTokens: totalTokens, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
  costUsd: totalCostUsd,
  totalCostUsd,
  totalTokens,
  at: t(1),
});
const finished = (
  runId: string,
  status: 'succeeded' | 'failed' | 'interrupted',
  s: number,
  error?: { code: string; message: string },
): RunEvent => ({
  type: 'run.finished',
  runId,
  status,
  durationMs: s * 1000,
  costUsd: 0,
  tokens: 0,
  error,
  at: t(s),
});

const plan = {
  tasks: [
    { id: 'AUTH-1', title: 'Add the login form' },
    { id: 'AUTH-2', title: 'Hash passwords with argon2' },
    { id: 'AUTH-3', title: 'Document the session cookie' },
    { id: 'AUTH-4', title: 'Rate-limit the login endpoint' },
    { id: 'AUTH-5', title: 'Log out everywhere' },
    { id: 'AUTH-6', title: 'Remember me' },
  ],
  parallel: 3,
  requested: 5,
  maxConcurrent: 3,
};
const events: RunEvent[] = [
  started('r-1', 'AUTH-1', 0),
  step('r-1', 'task', 0),
  { type: 'step.finished', runId: 'r-1', stepId: 'task', status: 'succeeded', durationMs: 10, at: t(1) },
  step('r-1', 'implement', 2, 2),
  usage('r-1', 'implement', 12_345, 0.4212),
  {
    type: 'step.progress',
    runId: 'r-1',
    stepId: 'implement',
    stream: 'tool',
    message:
      'run_command: \u001b[32mnpm test\u001b[39m -- --reporter=dot, a long command line going well past eighty columns',
    at: t(3),
  },
  started('r-2', 'AUTH-2', 0),
  step('r-2', 'review', 20),
  { type: 'approval.requested', runId: 'r-2', stepId: 'review', message: 'Open a pull request?', at: t(20) },
  started('r-3', 'AUTH-3', 0),
  usage('r-3', 'implement', 8000, 0.2),
  finished('r-3', 'succeeded', 70),
  started('r-4', 'AUTH-4', 5),
  step('r-4', 'implement', 6),
  { type: 'step.finished', runId: 'r-4', stepId: 'implement', status: 'failed', durationMs: 9, at: t(9) },
  finished('r-4', 'failed', 10, {
    code: 'CHECKS_FAILED',
    message: 'npm test exited with code 1\n  3 failing',
  }),
  started('r-6', 'AUTH-6', 1),
  finished('r-6', 'interrupted', 2, { code: 'INTERRUPTED', message: 'interrupted before step task' }),
  { type: 'log', level: 'warn', message: 'interrupting: stopping the current step', at: t(30) },
];

function fold() {
  let view = planMulti(emptyMultiView(), plan);
  for (const e of events) view = reduceMulti(view, e);
  view = settleMulti(view, {
    taskId: 'AUTH-3',
    runId: 'r-3',
    status: 'succeeded',
    prUrl: 'https://github.com/acme/web/pull/42',
  });
  return settleMulti(view, {
    taskId: 'AUTH-6',
    runId: 'r-6',
    status: 'interrupted',
    prUrl: null,
    next: 'aidev resume r-6',
  });
}

const gate = (key: number, runId: string, details?: string): QueuedApproval => ({
  key,
  request: { runId, stepId: 'review', message: 'Open a pull request?', summary: '2 files, +40 -2', details },
});
const tick = () => new Promise((r) => setTimeout(r, 20));

describe('MultiRunView', () => {
  const view = fold();

  it('one block per task in every state, cut to 80 columns, with the totals and the bound', () => {
    const frame = render(
      <MultiRunView
        view={view}
        now={T0 + 95_000}
        width={80}
        height={40}
        approvals={[]}
        onChoice={() => {}}
      />,
    ).lastFrame()!;
    expect(frame).toMatchSnapshot();
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame).toContain('● AUTH-1  Add the login form');
    expect(frame).toContain('1m35s · 12,345 tok · $0.42');
    expect(frame).toContain('step 3/5 implement: Implement and verify (attempt 2)');
    expect(frame).toContain('│ run_command: npm test -- --reporter=dot');
    expect(frame).toContain('waiting for approval at review: Open a pull request?');
    expect(frame).toContain('succeeded · https://github.com/acme/web/pull/42');
    expect(frame).toContain('failed at implement: npm test exited with code 1');
    expect(frame).not.toContain('3 failing');
    expect(frame).toMatch(/○ AUTH-5 +Log out everywhere +queued/);
    expect(frame).toContain('paused (interrupted) · aidev resume r-6');
    expect(frame).toContain('! interrupting: stopping the current step');
    expect(totalsOf(view)).toMatchObject({
      running: 2,
      approval: 1,
      queued: 1,
      done: 1,
      failed: 1,
      paused: 1,
    });
    expect(footerLines(view)).toEqual([
      '2 running (1 waiting for approval) · 1 queued · 1 done · 1 failed · 1 paused',
      '$0.62 total · 20,345 tokens · at most 3 at once (--parallel 5 capped by system.max_concurrent_agents)',
    ]);
    expect(frame).toContain('$0.62 total · 20,345 tokens · at most 3 at once');
  });

  it('follows events: a queued task starts, a running one moves on', () => {
    const props = { now: T0 + 40_000, width: 100, height: 40, approvals: [], onChoice: () => {} };
    const { lastFrame, rerender } = render(<MultiRunView view={view} {...props} />);
    expect(lastFrame()).toMatch(/AUTH-5 .*queued/);
    let next = reduceMulti(view, started('r-5', 'AUTH-5', 30));
    next = reduceMulti(next, step('r-5', 'branch', 31));
    next = reduceMulti(next, {
      type: 'step.progress',
      runId: 'r-5',
      stepId: 'branch',
      stream: 'stdout',
      message: 'added 1312 packages in 9s',
      at: t(39),
    });
    next = reduceMulti(next, {
      type: 'step.finished',
      runId: 'r-1',
      stepId: 'implement',
      status: 'succeeded',
      durationMs: 30_000,
      at: t(39),
    });
    next = reduceMulti(next, step('r-1', 'pr', 39));
    rerender(<MultiRunView view={next} {...props} />);
    const frame = lastFrame()!;
    expect(frame).toContain('step 2/5 branch: Create the branch and worktree');
    expect(frame).toContain('│ added 1312 packages in 9s');
    expect(frame).toContain('step 5/5 pr: Open the pull request');
    expect(frame).toContain('3 running (1 waiting for approval) · 0 queued');
  });

  it('a short terminal gets one line per task', () => {
    const frame = render(
      <MultiRunView view={view} now={T0} width={80} height={10} approvals={[]} onChoice={() => {}} />,
    ).lastFrame()!;
    expect(frame.split('\n')).toHaveLength(6 + 1 + 3);
    expect(frame).toMatch(/✗ AUTH-4 +failed at implement: npm test exited with code 1/);
  });

  it('shows the oldest gate under the footer with its task; keys answer it', async () => {
    const choices: [number, PanelChoice][] = [];
    const diff = Array.from({ length: 50 }, (_, i) => (i % 2 ? `+added ${i}` : `-removed ${i}`)).join('\n');
    const { lastFrame, stdin, unmount } = render(
      <MultiRunView
        view={view}
        now={T0}
        width={100}
        height={30}
        approvals={[gate(7, 'r-2', diff), gate(8, 'r-1')]}
        armMs={0}
        onChoice={(key, choice) => choices.push([key, choice])}
      />,
    );
    await tick();
    let frame = lastFrame()!;
    expect(frame).toContain('── approval · AUTH-2 Hash passwords with argon2 · step review · 1 more waiting');
    expect(frame).toContain('AUTH-2: Open a pull request?');
    expect(frame).toContain(
      '[a] approve · [x] reject · [f] feedback · [d] details (50 lines) · Ctrl-C stops all runs',
    );
    expect(frame).toContain('waiting for approval at review (answer below)');
    stdin.write('d');
    await tick();
    frame = lastFrame()!;
    expect(frame).toContain('-removed 0');
    expect(frame).toMatch(/lines 1-\d+ of 50/);
    stdin.write(' ');
    await tick();
    expect(lastFrame()).not.toContain('-removed 0\n');
    stdin.write('q');
    await tick();
    stdin.write('x');
    await tick();
    expect(lastFrame()).toContain('Reject AUTH-2. Why? (optional)');
    for (const key of ['n', 'o', '\r']) {
      stdin.write(key);
      await tick();
    }
    expect(choices).toEqual([[7, { kind: 'reject', reason: 'no' }]]);
    unmount();
  });

  it('a long summary (a diffstat) keeps its head and its totals; a new gate ignores keys for a moment', async () => {
    const choices: PanelChoice[] = [];
    const summary = ['a.ts | 1 +', 'b.ts | 2 +-', 'c.ts | 3 ++-', 'd.ts | 4 ++--', '4 files changed'].join(
      '\n',
    );
    const long = { key: 3, request: { runId: 'r-2', stepId: 'review', message: 'Ship it?', summary } };
    const { lastFrame, stdin, unmount } = render(
      <MultiRunView
        view={view}
        now={T0}
        width={100}
        height={40}
        approvals={[long]}
        onChoice={(_key, choice) => choices.push(choice)}
      />,
    );
    await tick();
    const frame = lastFrame()!;
    expect(frame).toContain('  a.ts | 1 +\n  b.ts | 2 +-\n  … 2 more\n  4 files changed');
    expect(frame).not.toContain('c.ts');
    stdin.write('a');
    await tick();
    expect(choices).toEqual([]);
    await new Promise((r) => setTimeout(r, ARM_MS));
    stdin.write('a');
    await tick();
    expect(choices).toEqual([{ kind: 'approve' }]);
    unmount();
  });

  it('feedback needs text; Ctrl-C is handed back as an interrupt', async () => {
    const choices: PanelChoice[] = [];
    const { lastFrame, stdin, unmount } = render(
      <MultiRunView
        view={view}
        now={T0}
        width={100}
        height={30}
        approvals={[gate(1, 'r-2')]}
        armMs={0}
        onChoice={(_key, choice) => choices.push(choice)}
      />,
    );
    await tick();
    for (const key of ['f', '\r']) {
      stdin.write(key);
      await tick();
    }
    expect(lastFrame()).toContain("Feedback for AUTH-2's next attempt:");
    expect(choices).toEqual([]);
    stdin.write('\u0003');
    await tick();
    expect(choices).toEqual([{ kind: 'interrupt' }]);
    unmount();
  });
});
