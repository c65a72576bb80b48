import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { harness, workflowFrom } from '../../test/helpers/engine.js';
import type { RunResult } from '../core/engine/types.js';
import { startRun } from '../core/engine/executor.js';
import type { RunEvent } from '../core/events.js';
import { createApprovalQueue } from '../ui/approval-queue.js';
import { createMultiInkReporter, FRAME_MS } from './ink-multi.js';
import type { Reporter } from './types.js';
import { sleep, until } from '../../test/helpers/wait.js';

function setup(opts: { approvals?: boolean; interrupt?: () => void; columns?: number } = {}) {
  let out = '';
  let err = '';
  let mounted: ReturnType<typeof render> | undefined;
  const approvals = opts.approvals ? createApprovalQueue({ user: 'ana' }) : undefined;
  const reporter = createMultiInkReporter({
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), columns: opts.columns ?? 100, rows: 40 },
    color: false,
    approvals,
    interrupt: opts.interrupt,
    mount: (tree: ReactElement) => (mounted = render(tree)),
    armMs: 0,
  });
  return {
    reporter,
    approvals,
    out: () => out,
    err: () => err,
    // Unmounting writes an empty frame last; the view's last frame is the one before.
    frame: () => mounted?.frames.filter((f) => f.trim()).at(-1) ?? '',
    frames: () => mounted?.frames.length ?? 0,
    stdin: () => mounted!.stdin,
  };
}

const at = '2026-03-01T10:00:00.000Z';
const batch = (ids: string[], parallel = ids.length) => ({
  tasks: ids.map((id) => ({ id, title: `Task ${id}` })),
  parallel,
  requested: parallel,
  maxConcurrent: 4,
});
const started = (runId: string, taskId: string): RunEvent => ({
  type: 'run.started',
  runId,
  workflow: 'wf',
  taskId,
  steps: [{ id: 'work', kind: 'run', title: 'Work' }],
  at,
});

describe('combined ink reporter', () => {
  it('folds every event but draws at most one frame per FRAME_MS, so busy runs are not slowed', async () => {
    const ui = setup();
    const ids = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5'];
    ui.reporter.onBatch!(batch(ids, 5));
    ids.forEach((id, i) => ui.reporter.onEvent(started(`r-${i}`, id)));
    for (let n = 0; n < 2000; n++)
      for (let i = 0; i < 5; i++)
        ui.reporter.onEvent({
          type: 'step.progress',
          runId: `r-${i}`,
          stepId: 'work',
          message: `line ${n} of run ${i}`,
          stream: 'stdout',
          at,
        });
    await sleep(FRAME_MS * 2.5);
    expect(ui.frames()).toBeGreaterThan(0);
    expect(ui.frames()).toBeLessThanOrEqual(3);
    expect(ui.frame()).toContain('│ line 1999 of run 4');
    expect(ui.frame()).toContain('5 running · 0 queued · 0 done · 0 failed');
    ui.reporter.dispose!();
  });

  it('draws 80 columns wide on a terminal that reports no size (0 columns)', async () => {
    const ui = setup({ columns: 0 });
    ui.reporter.onBatch!(batch(['A-1']));
    ui.reporter.onEvent(started('r-0', 'A-1'));
    await until(() => ui.frame().includes('A-1'), 'the first frame');
    const widths = ui
      .frame()
      .split('\n')
      .map((l) => l.length);
    expect(Math.max(...widths)).toBeGreaterThan(40);
    expect(Math.max(...widths)).toBeLessThanOrEqual(80);
    ui.reporter.dispose!();
  });

  it('queues gates of several real runs and shows them one at a time; the other runs keep updating', async () => {
    const ui = setup({ approvals: true });
    const gated = workflowFrom(
      'name: gated\nsteps:\n  - id: hello\n    uses: chat.notify\n    with: {text: hi}\n  - id: review\n    approval: {message: Open a pull request?}\n',
    );
    const h = harness();
    const signal = new AbortController().signal;
    ui.reporter.onBatch!(batch(['A-1', 'A-2', 'A-3']));
    const run = (taskId: string) =>
      startRun({
        ...h.deps,
        emit: (e) => ui.reporter.onEvent(e),
        approver: ui.approvals!,
        signal,
        workflow: gated,
        inputs: {},
        taskId,
      });
    const runs = [run('A-1'), run('A-2')];
    await until(() => ui.approvals!.pending().length === 2, 'two gates');
    await until(() => ui.frame().includes('[a] approve'), 'the first gate');
    expect(ui.frame()).toContain('── approval · A-1 Task A-1 · step review · 1 more waiting');
    expect(ui.frame()).toMatch(/A-2 .*\n {2}waiting for approval at review \(2 of 2 in line\)/);

    // A third run goes on while the gate is open; its block follows.
    ui.reporter.onEvent(started('r-x', 'A-3'));
    ui.reporter.onEvent({ type: 'step.started', runId: 'r-x', stepId: 'work', kind: 'run', attempt: 1, at });
    ui.reporter.onEvent({ type: 'step.progress', runId: 'r-x', stepId: 'work', message: 'compiling', at });
    await until(() => ui.frame().includes('│ compiling'), 'the third run');
    expect(ui.frame()).toContain('── approval · A-1');

    ui.stdin().write('a');
    await until(() => ui.frame().includes('── approval · A-2'), 'the second gate');
    expect(ui.frame()).not.toContain('more waiting');
    ui.stdin().write('x');
    await until(() => ui.frame().includes('Reject A-2'), 'the reject prompt');
    ui.stdin().write('\r');
    const [first, second] = await Promise.all(runs);
    expect([first!.status, second!.status]).toEqual(['succeeded', 'rejected']);
    expect(second!.error?.message).toBe('rejected at step review by ana');
    await until(() => !ui.frame().includes('approval ·'), 'the panel to go');
    expect(ui.frame()).toMatch(/✓ A-1 .*\n {2}succeeded/);
    expect(ui.frame()).toMatch(/✗ A-2 .*\n {2}rejected: rejected at step review by ana/);
    ui.reporter.dispose!();
  });

  it('Ctrl-C at a gate stops every run; the end lists the interrupted runs and how to resume each', async () => {
    let interrupts = 0;
    const ui = setup({ approvals: true, interrupt: () => interrupts++ });
    const controller = new AbortController();
    ui.reporter.onBatch!(batch(['A-1', 'A-2']));
    ui.reporter.onEvent(started('r-1', 'A-1'));
    ui.reporter.onEvent({ type: 'approval.requested', runId: 'r-1', stepId: 'work', message: 'Go?', at });
    const gate = ui.approvals!.request({ runId: 'r-1', stepId: 'work', message: 'Go?' }, controller.signal);
    await until(() => ui.frame().includes('[a] approve'), 'the gate');
    ui.stdin().write('\u0003');
    await until(() => interrupts === 1, 'the interrupt');
    controller.abort();
    await expect(gate).rejects.toMatchObject({ code: 'INTERRUPTED' });
    for (const [runId, taskId] of [
      ['r-1', 'A-1'],
      ['r-2', 'A-2'],
    ] as const) {
      if (runId === 'r-2') ui.reporter.onEvent(started(runId, taskId));
      ui.reporter.onEvent({
        type: 'run.finished',
        runId,
        status: 'interrupted',
        durationMs: 5,
        costUsd: 0.01,
        tokens: 10,
        error: { code: 'INTERRUPTED', message: 'interrupted before step work' },
        at,
      });
      ui.reporter.onRunSettled!({
        taskId,
        runId,
        status: 'interrupted',
        prUrl: null,
        next: `aidev resume ${runId}`,
      });
    }
    const result: RunResult = {
      runId: 'r-1,r-2',
      workflow: 'wf',
      taskId: null,
      status: 'interrupted',
      exitCode: 130,
      steps: [],
      outputs: {},
      costUsd: 0.02,
      tokens: 20,
      durationMs: 5,
      error: { code: 'INTERRUPTED', message: 'interrupted before step work' },
      next: 'A-1: aidev resume r-1; A-2: aidev resume r-2',
    };
    await ui.reporter.finish(result);
    expect(ui.frame()).toMatch(/‖ A-1 .*\n {2}paused \(interrupted\) · aidev resume r-1/);
    expect(ui.err()).toBe(
      [
        'interrupted: 2 runs saved at a checkpoint; continue each with:',
        '  A-1  aidev resume r-1',
        '  A-2  aidev resume r-2',
        '',
      ].join('\n'),
    );
    expect(ui.out()).toContain('continue with: A-1: aidev resume r-1; A-2: aidev resume r-2');
    const framesAfter = ui.frames();
    ui.reporter.onEvent(started('r-3', 'A-3'));
    await sleep(FRAME_MS * 2);
    expect(ui.frames()).toBe(framesAfter);
  });

  it('dispose gives the terminal back when the body failed before finish', async () => {
    const ui = setup();
    const reporter: Reporter = ui.reporter;
    reporter.onBatch!(batch(['A-1', 'A-2']));
    await until(() => ui.frame().includes('○ A-1'), 'the first frame');
    reporter.dispose!();
    reporter.dispose!();
    await reporter.finish({
      runId: 'r',
      workflow: 'wf',
      taskId: null,
      status: 'failed',
      exitCode: 1,
      steps: [],
      outputs: {},
      costUsd: 0,
      tokens: 0,
      durationMs: 0,
    });
    expect(ui.out()).toBe('');
  });
});
