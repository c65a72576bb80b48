import { describe, expect, it } from 'vitest';
import { presetApprover, nonInteractiveApprover } from '../approvals.js';
import { AidevError } from '../errors.js';
import { harness, workflowFrom } from '../../../test/helpers/engine.js';
import { resumeRun, startRun } from './executor.js';

const flow = `
name: flow
inputs:
  task_id: {description: the task}
steps:
  - id: get
    uses: tasks.get
    with: {id: "\${inputs.task_id}"}
  - id: start
    uses: tasks.update_status
    with: {status: in_progress}
  - id: shape
    uses: workflow.set_outputs
    with: {title: "\${task.title}", upper: "\${{ format('{0}!', task.title) }}"}
    outputs: {title: headline}
  - id: comment
    uses: tasks.comment
    with: {body: "Working on \${headline} in \${run.id}"}
  - id: notify
    uses: chat.notify
    if: contains(task.title, 'greeting')
    with: {text: "\${steps.shape.outputs.upper}"}
  - id: never
    uses: chat.notify
    if: \${{ task.status == 'done' }}
    with: {text: never}
`;

describe('executor', () => {
  it('runs steps in order, passes outputs along and checkpoints every step', async () => {
    const h = harness();
    const result = await startRun({ ...h.deps, workflow: workflowFrom(flow), inputs: { task_id: 'T-1' } });
    expect(result.status).toBe('succeeded');
    expect(result.exitCode).toBe(0);
    expect(h.world.comments).toEqual([
      { taskId: 'T-1', body: `Working on Add a greeting in ${result.runId}` },
    ]);
    expect(h.world.messages.map((m) => m.text)).toEqual(['Add a greeting!']);
    expect(h.world.tasks.get('T-1')!.status).toBe('in_progress');
    expect(result.steps.map((s) => [s.id, s.status])).toEqual([
      ['get', 'succeeded'],
      ['start', 'succeeded'],
      ['shape', 'succeeded'],
      ['comment', 'succeeded'],
      ['notify', 'succeeded'],
      ['never', 'skipped'],
    ]);
    const rows = h.ledger.listSteps(result.runId);
    expect(rows.find((r) => r.stepId === 'comment')!.inputs).toEqual({
      body: `Working on Add a greeting in ${result.runId}`,
    });
    expect(rows.find((r) => r.stepId === 'shape')!.outputs).toEqual({
      title: 'Add a greeting',
      upper: 'Add a greeting!',
    });
    expect(h.ledger.getRun(result.runId)!.status).toBe('succeeded');
    const types = h.events.map((e) => e.type);
    expect(types[0]).toBe('run.started');
    expect(types.at(-1)).toBe('run.finished');
    expect(h.ledger.listEffects(result.runId).map((e) => [e.key, e.status])).toEqual([
      [`${result.runId}:start:status`, 'done'],
      [`${result.runId}:comment:comment`, 'done'],
      [`${result.runId}:notify:notify`, 'done'],
    ]);
  });

  it('refuses missing required inputs before creating a run', async () => {
    const h = harness();
    await expect(startRun({ ...h.deps, workflow: workflowFrom(flow), inputs: {} })).rejects.toThrow(
      /needs --input task_id=…/,
    );
    expect(h.ledger.listRuns()).toEqual([]);
  });

  it('fails the step, naming the variable, when a reference is not set at run time', async () => {
    const h = harness();
    const wf = workflowFrom(`
name: t
steps:
  - id: maybe
    uses: workflow.set_outputs
    if: false
    with: {x: 1}
  - id: use
    uses: chat.notify
    with: {text: "\${steps.maybe.outputs.x}"}
`);
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('failed');
    expect(result.error!.message).toBe('step use: ${steps.maybe.outputs.x} is not set');
    expect(result.error!.hint).toMatch(/was skipped/);
  });

  it('on_error: continue records the failure, exposes outputs, and failure() sees it', async () => {
    const h = harness();
    const wf = workflowFrom(`
name: t
steps:
  - id: tests
    run: "echo partial; exit 3"
    on_error: continue
  - id: report
    uses: chat.notify
    if: failure() && steps.tests.outputs.exit_code == 3
    with: {text: "tests said \${steps.tests.outputs.stdout}"}
  - id: happy
    uses: chat.notify
    if: success()
    with: {text: never}
`);
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('succeeded');
    expect(h.world.messages.map((m) => m.text)).toEqual(['tests said partial']);
    expect(result.steps.map((s) => s.status)).toEqual(['failed', 'succeeded', 'skipped']);
  });

  it('a non-JSON output fails the step clearly', async () => {
    const { registerAction } = await import('./actions/index.js');
    const { z } = await import('zod');
    registerAction({
      name: 'test.map_output',
      description: '',
      input: z.strictObject({}),
      outputs: ['m'],
      run: () => Promise.resolve({ m: new Map([[1, 2]]) }),
    });
    const h = harness();
    const result = await startRun({
      ...h.deps,
      workflow: workflowFrom('name: t\nsteps:\n  - id: m\n    uses: test.map_output\n'),
      inputs: {},
    });
    expect(result.status).toBe('failed');
    expect(result.error!.message).toBe('step m: outputs.m is a Map, which cannot be saved as JSON');
  });
});

describe('approval gates', () => {
  const gated = `
name: gated
steps:
  - id: work
    uses: workflow.set_outputs
    with: {n: "\${{ feedback || 'first' }}"}
  - id: review
    approval: {message: "Ship it?", retry_step: work}
    with: {details: "\${steps.work.outputs.n}"}
  - id: ship
    uses: chat.notify
    with: {text: "shipped \${steps.work.outputs.n}"}
`;

  it('--yes approves and records it as automatic', async () => {
    const h = harness();
    const result = await startRun({ ...h.deps, workflow: workflowFrom(gated), inputs: {} });
    expect(result.status).toBe('succeeded');
    const audit = h.ledger.listAudit(result.runId).filter((a) => a.action === 'approval');
    expect(audit.map((a) => a.decision)).toEqual(['approved (automatic)']);
  });

  it('feedback loops back to retry_step with ${feedback}, with fresh effect keys', async () => {
    const answers = [
      { decision: 'feedback' as const, by: 'ann', feedback: 'smaller please' },
      { decision: 'approved' as const, by: 'ann' },
    ];
    const seen: string[] = [];
    const h = harness({
      approver: {
        kind: 'interactive',
        request: (req) => {
          seen.push(req.details ?? '');
          return Promise.resolve(answers.shift()!);
        },
      },
    });
    const result = await startRun({ ...h.deps, workflow: workflowFrom(gated), inputs: {} });
    expect(result.status).toBe('succeeded');
    expect(seen).toEqual(['first', 'smaller please']);
    expect(h.world.messages.map((m) => m.text)).toEqual(['shipped smaller please']);
    expect(h.ledger.getRun(result.runId)!.state.engine).toMatchObject({ pass: { work: 2, review: 2 } });
  });

  it('non-interactive pauses (exit 4), then resume --approve continues from the gate', async () => {
    const h = harness({ approver: nonInteractiveApprover });
    const wf = workflowFrom(gated);
    const paused = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(paused.status).toBe('awaiting_approval');
    expect(paused.exitCode).toBe(4);
    expect(paused.next).toBe(`aidev resume ${paused.runId} --approve   (or --reject, or --feedback "…")`);
    expect(h.world.messages).toEqual([]);
    const resumed = await resumeRun({
      ...h.deps,
      approver: presetApprover({ decision: 'approved', by: 'bob' }, nonInteractiveApprover),
      workflow: wf,
      run: h.ledger.getRun(paused.runId)!,
    });
    expect(resumed.status).toBe('succeeded');
    expect(h.world.messages.map((m) => m.text)).toEqual(['shipped first']);
  });

  it('reject stops with exit 5 and rolls back', async () => {
    const h = harness({
      approver: {
        kind: 'interactive',
        request: () => Promise.resolve({ decision: 'rejected', by: 'ann', reason: 'no' }),
      },
    });
    const wf = workflowFrom(`
name: t
steps:
  - id: start
    uses: tasks.update_status
    with: {id: T-1, status: in_progress}
  - id: review
    approval: {message: ok?}
`);
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('rejected');
    expect(result.exitCode).toBe(5);
    expect(h.world.tasks.get('T-1')!.status).toBe('todo');
    expect(result.steps[0]!.status).toBe('compensated');
  });
});

describe('retry and rollback', () => {
  it('retries a failing action by its policy and then succeeds', async () => {
    const world = new (await import('../../../test/helpers/fake-providers.js')).FakeWorld();
    world.failNext('chat.notify', new Error('502 bad gateway'), 2);
    const h = harness({}, world);
    const wf = workflowFrom(`
name: t
steps:
  - id: ping
    uses: chat.notify
    with: {text: hi}
    retry: {max_attempts: 3, initial_interval: 1ms, backoff: 1}
`);
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('succeeded');
    expect(world.count('chat.notify')).toBe(3);
    expect(world.messages).toHaveLength(1);
    expect(result.steps[0]!.attempt).toBe(3);
    expect(
      h.events.filter((e) => e.type === 'step.started').map((e) => (e as { attempt: number }).attempt),
    ).toEqual([1, 2, 3]);
  });

  it('does not retry a non_retryable code', async () => {
    const world = new (await import('../../../test/helpers/fake-providers.js')).FakeWorld();
    world.failNext('chat.notify', new AidevError('POLICY_DENIED', 'nope'), 5);
    const h = harness({}, world);
    const wf = workflowFrom(
      'name: t\nsteps:\n  - id: ping\n    uses: chat.notify\n    with: {text: hi}\n    retry: {max_attempts: 4, initial_interval: 1ms}\n',
    );
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('failed');
    expect(world.count('chat.notify')).toBe(1);
  });

  it('rolls back completed steps in reverse on failure, unless rollback is off', async () => {
    const wf = workflowFrom(`
name: t
steps:
  - id: start
    uses: tasks.update_status
    with: {id: T-1, status: in_progress}
  - id: pr
    uses: vcs.open_pull_request
    with: {title: t, head: feature/T-1}
  - id: note
    uses: chat.notify
    with: {text: opened}
    compensate: {uses: chat.notify, with: {text: "undo \${steps.pr.outputs.url}"}}
  - id: boom
    uses: workflow.fail
    with: {message: broken}
`);
    const h = harness();
    const result = await startRun({ ...h.deps, workflow: wf, inputs: {} });
    expect(result.status).toBe('failed');
    expect(result.error!.message).toBe('step boom: broken');
    expect(h.world.messages.map((m) => m.text)).toEqual(['opened', 'undo https://example.test/pr/1']);
    expect(h.world.prs[0]!.state).toBe('closed');
    expect(h.world.tasks.get('T-1')!.status).toBe('todo');
    const order = h.world.calls
      .filter((c) => ['notify', 'closePullRequest', 'updateStatus'].includes(c.method))
      .map((c) => c.method);
    expect(order).toEqual(['updateStatus', 'notify', 'notify', 'closePullRequest', 'updateStatus']);
    expect(
      h.ledger
        .listAudit(result.runId)
        .filter((a) => a.action === 'compensate')
        .map((a) => [a.stepId, a.decision]),
    ).toEqual([
      ['note', 'done'],
      ['pr', 'done'],
      ['start', 'done'],
    ]);

    const h2 = harness({ rollback: false });
    const kept = await startRun({ ...h2.deps, workflow: wf, inputs: {} });
    expect(kept.status).toBe('failed');
    expect(h2.world.prs[0]!.state).toBe('open');
    expect(kept.next).toMatch(/aidev resume/);
  });
});
